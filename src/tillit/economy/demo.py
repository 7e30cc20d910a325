"""Demo economy for team Norr: the year's budget by account group, outcomes up to last month (one month off by
more than the threshold and not yet explained), the team's forecast, the list of attestants and invoices at each
step of attestation. Loaded after the demo decisions, whose purchase mandate makes a team member an attestant."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tillit.accounts.models import User
from tillit.decisions.models import Mandate
from tillit.economy import services
from tillit.economy.models import AccountGroup, Attestant, CostCentre, Transaction
from tillit.notifications.services import without_email
from tillit.organisation.models import Membership, RoleAssignment, Team

GROUPS = [
    ("30", "Intäkter"),
    ("50", "Personalkostnader"),
    ("64", "Förbrukningsmaterial"),
    ("65", "Köpta tjänster"),
    ("70", "Lokalkostnader"),
]
BUDGET = {"30": -360_000, "50": 6_240_000, "64": 180_000, "65": 420_000, "70": 540_000}
# Each month's outcome as a share of its budget: July's temporary staff pushed it far over.
SHARES = [0.97, 1.02, 1.15, 0.99, 1.01, 0.96, 1.24, 0.93, 1.03, 0.98, 1.0, 1.0]


def _outcome_csv(year: int, months: int) -> bytes:
    lines = ["kostnadsstalle;kontogrupp;ar;manad;belopp"]
    for month in range(1, months + 1):
        for code, yearly in BUDGET.items():
            share = SHARES[month - 1] if code != "30" else 1.0
            amount = Decimal(yearly) / 12 * Decimal(str(share))
            lines.append(f"1410;{code};{year};{month};{amount:.2f}".replace(".", ","))
    return "\n".join(lines).encode()


@without_email()
def load_demo_economy() -> None:
    keeper = User.objects.filter(role_assignments__role=RoleAssignment.Role.ADMINISTRATOR).first()
    anna = User.objects.get(email="anna@exempelstad.se")
    coach = User.objects.get(email="coach@exempelstad.se")
    norr = Team.objects.get(name="Barn, unga, familj – team Norr")
    budget_holder = Mandate.objects.get(team=norr, category=Mandate.Category.PURCHASE, active=True).delegate
    reviewer = (
        User.objects.filter(memberships__team=norr, memberships__role=Membership.Role.MEMBER)
        .exclude(pk__in=(anna.pk, budget_holder.pk))
        .order_by("full_name")
        .first()
    )
    assert reviewer is not None
    groups = {code: AccountGroup.objects.create(code=code, name=name) for code, name in GROUPS}
    centre = CostCentre.objects.create(code="1410", name="Team Norr", unit=norr.unit, team=norr)
    CostCentre.objects.create(
        code="1420", name="Hemtjänst Centrum", unit=Team.objects.get(name="Hemtjänst Centrum").unit
    )
    today = timezone.localdate()
    year = today.year
    services.budget_set(
        actor=keeper,
        cost_centre=centre,
        year=year,
        amounts={groups[code]: Decimal(amount) for code, amount in BUDGET.items()},
    )
    if today.month > 1:
        services.outcomes_import(
            actor=keeper, file_name=f"utfall-{year}.csv", content=_outcome_csv(year, today.month - 1)
        )
    if today.month > 3:
        services.deviation_explain(
            actor=anna,
            cost_centre=centre,
            year=year,
            month=3,
            text="Två nya kollegor började i mars med dubbla introduktionsveckor, och datorerna till dem köptes in.",
        )
    for month in range(today.month, 13):
        services.forecast_set(
            actor=anna,
            cost_centre=centre,
            year=year,
            month=month,
            amount=Decimal(sum(BUDGET.values())) / 12 * Decimal("1.03"),
            comment="Vikarier under sjukskrivning i teamet; bör minska efter årsskiftet."
            if month == today.month
            else "",
        )
    services.attestant_add(
        actor=keeper, cost_centre=centre, year=year, person=coach, step=Attestant.Step.DECISION
    )
    for person in (anna, reviewer):
        services.attestant_add(
            actor=keeper,
            cost_centre=centre,
            year=year,
            person=person,
            step=Attestant.Step.REVIEW,
            amount_limit=Decimal(50_000),
        )

    def invoice(
        counterparty: str, reference: str, amount: int, group: str, days_ago: int, **extra: object
    ) -> Transaction:
        dated = today - datetime.timedelta(days=days_ago)
        return services.transaction_register(
            actor=anna,
            cost_centre=centre,
            account_group=groups[group],
            kind=extra.pop("kind", Transaction.Kind.INVOICE),
            reference=reference,
            counterparty=counterparty,
            payee=extra.pop("payee", None),
            description=extra.pop("description", ""),
            amount=Decimal(amount),
            dated=dated,
            due_on=dated + datetime.timedelta(days=30),
        )

    done = invoice(
        "Kontorsvaror AB", "F-88102", 2_860, "64", 40, description="Pärmar, papper och whiteboardpennor"
    )
    services.transaction_attest(actor=budget_holder, transaction=done, approve=True)
    services.transaction_attest(actor=reviewer, transaction=done, approve=True)
    review = invoice(
        "Hjälpmedelsbolaget i Norden AB",
        "F-1203",
        12_900,
        "64",
        9,
        description="Hjälpmedel till hembesök: två mobila arbetsstationer",
    )
    services.transaction_attest(actor=budget_holder, transaction=review, approve=True)
    invoice("Kontorsvaror AB", "F-88231", 4_320, "64", 5, description="Förbrukningsmaterial för hösten")
    invoice(
        "Familjeterapeuterna Väst AB",
        "F-2026-118",
        38_500,
        "65",
        3,
        description="Handledning för teamet, tre tillfällen",
    )
    invoice(
        "Karin Sundberg",
        "U-0412",
        640,
        "64",
        2,
        kind=Transaction.Kind.EXPENSE,
        payee=coach,
        description="Tågbiljett till nätverksträff om självstyrande team",
    )
    rejected = invoice(
        "Möbelhuset AB", "F-5521", 74_000, "64", 12, description="Soffgrupp till samtalsrummet"
    )
    services.transaction_attest(
        actor=coach,
        transaction=rejected,
        approve=False,
        comment="Inte beställd av teamet; leverantören har skickat fakturan fel. Returneras.",
    )
