"""Reads for the economy pages: who may attest what (the attestation rules in one place), a cost centre's year
in figures, and the attestation queue."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tillit.core.permissions import require
from tillit.decisions.models import Mandate
from tillit.economy.models import (
    MONTHS,
    Absence,
    AccountGroup,
    Attestant,
    AttestConflict,
    BudgetLine,
    CloseRelation,
    CostCentre,
    DeviationExplanation,
    Forecast,
    Outcome,
    Transaction,
)
from tillit.organisation.models import Membership, RoleAssignment
from tillit.organisation.selectors import managed_unit_ids, superior_ids

ZERO = Decimal("0.00")


# Who may attest.


@dataclass
class AttestantLine:
    """One line of the list of attestants: stored, or given by an active purchase mandate of the team."""

    cost_centre: CostCentre
    person: Any
    step: str
    amount_limit: Decimal | None
    deputy_for: Any = None
    mandate: Mandate | None = None
    attestant: Attestant | None = None

    def covers(self, amount: Decimal) -> bool:
        return self.amount_limit is None or amount <= self.amount_limit

    @property
    def step_label(self) -> str:
        return str(Attestant.Step(self.step).label)


def attestant_lines(cost_centres: list[CostCentre], year: int) -> list[AttestantLine]:
    """The year's attestants for the cost centres. A team's active purchase mandates give their delegate the
    decision attestation up to the mandate's amount, and their deputy the same as a deputy."""
    lines = [
        AttestantLine(
            cost_centre=a.cost_centre,
            person=a.person,
            step=a.step,
            amount_limit=a.amount_limit,
            deputy_for=a.deputy_for,
            attestant=a,
        )
        for a in Attestant.objects.filter(
            cost_centre__in=cost_centres, year=year, removed_at__isnull=True
        ).select_related("cost_centre", "person", "deputy_for")
    ]
    by_team: dict[int, list[CostCentre]] = {}
    for centre in cost_centres:
        if centre.team_id:
            by_team.setdefault(centre.team_id, []).append(centre)
    mandates = Mandate.objects.filter(
        active=True, category=Mandate.Category.PURCHASE, team_id__in=by_team
    ).select_related("delegate", "deputy")
    for mandate in mandates:
        for centre in by_team[mandate.team_id or 0]:
            for person, deputy_for in ((mandate.delegate, None), (mandate.deputy, mandate.delegate)):
                if person is not None:
                    lines.append(
                        AttestantLine(
                            cost_centre=centre,
                            person=person,
                            step=Attestant.Step.DECISION,
                            amount_limit=mandate.amount_limit,
                            deputy_for=deputy_for,
                            mandate=mandate,
                        )
                    )
    return sorted(
        lines,
        key=lambda line: (
            line.cost_centre.code,
            line.step,
            line.person.full_name,
            line.deputy_for is not None,
        ),
    )


def _absent(person: Any, day: datetime.date) -> bool:
    return Absence.objects.filter(person=person, starts_on__lte=day, ends_on__gte=day).exists()


def attest_refusal(person: Any, transaction: Transaction, *, day: datetime.date | None = None) -> str | None:
    """Why the person may not take the transaction's next attestation step, or None if they may. Every rule of
    the attestation regulation is here: authority for the cost centre and amount, a deputy only during the
    ordinary attestant's recorded absence, two different people, nothing paid to oneself, a close relative or
    one's own superior, and no declared conflict of interest."""
    day = day or timezone.localdate()
    if not transaction.open:
        return _("The transaction is no longer waiting for attestation.")
    step = (
        Attestant.Step.DECISION
        if transaction.status == Transaction.Status.AWAITING_DECISION
        else Attestant.Step.REVIEW
    )
    if AttestConflict.objects.filter(transaction=transaction, person=person).exists():
        return _("You have declared a conflict of interest in this transaction.")
    if transaction.attestations.filter(person=person).exists():
        return _("You have already attested this transaction: the second step must be taken by someone else.")
    if transaction.payee_id == person.pk:
        return _("No one may attest a payment to themselves.")
    if transaction.payee_id is not None:
        if CloseRelation.objects.filter(
            Q(person=person, relative_id=transaction.payee_id)
            | Q(person_id=transaction.payee_id, relative=person)
        ).exists():
            return _("The payment goes to a close relative of yours.")
        if transaction.payee_id in superior_ids(person):
            return _("The payment goes to your own superior.")
    steps = {Attestant.Step.DECISION} if step == Attestant.Step.DECISION else set(Attestant.Step)
    lines = [
        line
        for line in attestant_lines([transaction.cost_centre], day.year)
        if line.person.pk == person.pk and line.step in steps
    ]
    if not lines:
        if step == Attestant.Step.DECISION:
            return _("You are not a decision attestant for cost centre %(code)s this year.") % {
                "code": transaction.cost_centre.code
            }
        return _("You are not an attestant for cost centre %(code)s this year.") % {
            "code": transaction.cost_centre.code
        }
    covering = [line for line in lines if line.covers(transaction.amount)]
    if not covering:
        limit = max(line.amount_limit or ZERO for line in lines)
        return _("The amount is above your limit of %(limit)s kronor.") % {
            "limit": number_format(limit, decimal_pos=0, force_grouping=True)
        }
    if all(line.deputy_for is not None for line in covering) and not any(
        _absent(line.deputy_for, day) for line in covering
    ):
        names = ", ".join(sorted({line.deputy_for.full_name for line in covering}))
        return _("You are a deputy: you attest only while %(names)s is recorded as absent.") % {
            "names": names
        }
    return None


def acting_line(person: Any, transaction: Transaction, day: datetime.date) -> AttestantLine | None:
    """The line the person attests by: their own, or, when that is all they have, a deputy's for someone
    recorded as absent."""
    lines = [
        line
        for line in attestant_lines([transaction.cost_centre], day.year)
        if line.person.pk == person.pk
        and line.covers(transaction.amount)
        and (line.deputy_for is None or _absent(line.deputy_for, day))
    ]
    lines.sort(key=lambda line: line.deputy_for is not None)
    return lines[0] if lines else None


# Who may see what.


def cost_centre_queryset_for(user: Any) -> QuerySet[CostCentre]:
    """The cost centres the person works with: their teams', their units' as a manager, those they attest for;
    all of them for administrators."""
    centres = CostCentre.objects.select_related("team", "unit")
    if not user.is_authenticated:
        return centres.none()
    managed = managed_unit_ids(user)
    if (
        managed is None
        or RoleAssignment.objects.filter(person=user, role=RoleAssignment.Role.ADMINISTRATOR).exists()
    ):
        return centres
    teams = Membership.objects.filter(person=user).values("team_id")
    return centres.filter(
        Q(team__in=teams)
        | Q(unit__in=managed)
        | Q(attestants__person=user, attestants__removed_at__isnull=True)
    ).distinct()


def cost_centre_get_for(*, user: Any, code: str) -> CostCentre:
    try:
        centre = CostCentre.objects.select_related("team", "unit").get(code=code)
    except CostCentre.DoesNotExist as exc:
        raise Http404 from exc
    require(user, "economy.view_cost_centre", centre)
    return centre


def transaction_get_for(*, user: Any, pk: int) -> Transaction:
    try:
        transaction = Transaction.objects.select_related(
            "cost_centre", "cost_centre__team", "cost_centre__unit", "account_group", "payee", "created_by"
        ).get(pk=pk)
    except Transaction.DoesNotExist as exc:
        raise Http404 from exc
    require(user, "economy.view_cost_centre", transaction.cost_centre)
    return transaction


@dataclass
class QueueItem:
    transaction: Transaction
    refusal: str | None

    @property
    def can_attest(self) -> bool:
        return self.refusal is None


def attest_queue_for(*, user: Any, include_closed: bool = False) -> list[QueueItem]:
    """Transactions of the person's cost centres: those waiting for attestation first, with whether the person
    may take the next step and, if not, why."""
    transactions = Transaction.objects.filter(cost_centre__in=cost_centre_queryset_for(user)).select_related(
        "cost_centre", "account_group", "payee"
    )
    if not include_closed:
        transactions = transactions.filter(
            status__in=(Transaction.Status.AWAITING_DECISION, Transaction.Status.AWAITING_REVIEW)
        )
    return [
        QueueItem(t, attest_refusal(user, t) if t.open else None)
        for t in transactions.order_by("status", "due_on", "pk")[:200]
    ]


# A cost centre's year in figures.


@dataclass
class MonthFigures:
    month: int
    budget: Decimal
    outcome: Decimal | None
    forecast: Forecast | None
    explanation: DeviationExplanation | None
    threshold: int

    @property
    def date(self) -> datetime.date:
        return datetime.date(2000, self.month, 1)

    @property
    def deviation(self) -> Decimal | None:
        return None if self.outcome is None else self.outcome - self.budget

    @property
    def deviation_percent(self) -> Decimal | None:
        if self.deviation is None or not self.budget:
            return None
        return (self.deviation / abs(self.budget) * 100).quantize(Decimal("1"))

    @property
    def needs_explanation(self) -> bool:
        if self.outcome is None:
            return False
        if not self.budget:
            return bool(self.outcome)
        return abs(self.deviation_percent or ZERO) > Decimal(self.threshold)


@dataclass
class GroupFigures:
    account_group: AccountGroup
    budget: Decimal
    outcome: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.outcome


@dataclass
class YearFigures:
    cost_centre: CostCentre
    year: int
    months: list[MonthFigures] = field(default_factory=list)
    groups: list[GroupFigures] = field(default_factory=list)

    @property
    def budget(self) -> Decimal:
        return sum((m.budget for m in self.months), ZERO)

    @property
    def outcome(self) -> Decimal:
        return sum((m.outcome or ZERO for m in self.months), ZERO)

    @property
    def last_outcome_month(self) -> int:
        return max((m.month for m in self.months if m.outcome is not None), default=0)

    @property
    def year_forecast(self) -> Decimal:
        """Outcome for the months booked, then the team's forecast (or the budget where it has none)."""
        last = self.last_outcome_month
        return sum(
            (
                (m.outcome or ZERO) if m.month <= last else (m.forecast.amount if m.forecast else m.budget)
                for m in self.months
            ),
            ZERO,
        )

    @property
    def forecast_deviation(self) -> Decimal:
        return self.year_forecast - self.budget

    @property
    def unexplained(self) -> list[MonthFigures]:
        return [m for m in self.months if m.needs_explanation and m.explanation is None]


def year_figures(cost_centre: CostCentre, year: int) -> YearFigures:
    """Budget, outcome and forecast by month and by account group, in five queries."""
    budgets = list(
        BudgetLine.objects.filter(cost_centre=cost_centre, year=year).select_related("account_group")
    )
    outcomes = Outcome.objects.filter(cost_centre=cost_centre, year=year)
    cents = Decimal("0.01")
    by_month = {
        month: Decimal(total).quantize(cents)
        for month, total in outcomes.values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
    }
    by_group = {
        group: Decimal(total).quantize(cents)
        for group, total in outcomes.values("account_group")
        .annotate(total=Sum("amount"))
        .values_list("account_group", "total")
    }
    forecasts = {f.month: f for f in Forecast.objects.filter(cost_centre=cost_centre, year=year)}
    explanations = {
        e.month: e
        for e in DeviationExplanation.objects.filter(cost_centre=cost_centre, year=year).select_related(
            "written_by"
        )
    }
    yearly = sum((line.amount for line in budgets), ZERO)
    monthly = (yearly / 12).quantize(Decimal("0.01"))
    figures = YearFigures(cost_centre, year)
    for month in MONTHS:
        budget = yearly - monthly * 11 if month == 12 else monthly
        figures.months.append(
            MonthFigures(
                month,
                budget,
                by_month.get(month),
                forecasts.get(month),
                explanations.get(month),
                cost_centre.deviation_threshold,
            )
        )
    groups = {line.account_group_id: GroupFigures(line.account_group, line.amount, ZERO) for line in budgets}
    missing = set(by_group) - set(groups)
    for group in AccountGroup.objects.filter(pk__in=missing):
        groups[group.pk] = GroupFigures(group, ZERO, ZERO)
    for pk, total in by_group.items():
        groups[pk].outcome = total
    figures.groups = sorted(groups.values(), key=lambda g: g.account_group.code)
    return figures
