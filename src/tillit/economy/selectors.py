"""Reads for the economy pages: who may attest what (the attestation rules in one place), a cost centre's year
in figures, and the attestation queue."""

import datetime
from collections import defaultdict
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
    Attestation,
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


class AttestRules:
    """The attestation regulation for one person on one day, with what it needs to know about them fetched once,
    so that a queue of transactions costs the same few queries as one."""

    def __init__(
        self, person: Any, transactions: list[Transaction], day: datetime.date | None = None
    ) -> None:
        self.person = person
        self.day = day or timezone.localdate()
        ids = [t.pk for t in transactions]
        self.conflicts = set(
            AttestConflict.objects.filter(person=person, transaction_id__in=ids).values_list(
                "transaction_id", flat=True
            )
        )
        self.attested = set(
            Attestation.objects.filter(person=person, transaction_id__in=ids).values_list(
                "transaction_id", flat=True
            )
        )
        payees = {t.payee_id for t in transactions if t.payee_id}
        self.relatives: set[int] = set()
        self.superiors: set[int] = set()
        if payees:
            for pair in CloseRelation.objects.filter(
                Q(person=person, relative_id__in=payees) | Q(person_id__in=payees, relative=person)
            ).values_list("person_id", "relative_id"):
                self.relatives |= set(pair) - {person.pk}
            self.superiors = superior_ids(person)
        centres = list({t.cost_centre_id: t.cost_centre for t in transactions}.values())
        self.lines = [line for line in attestant_lines(centres, self.day.year) if line.person.pk == person.pk]
        principals = {line.deputy_for.pk for line in self.lines if line.deputy_for is not None}
        self.absent = (
            set(
                Absence.objects.filter(
                    person_id__in=principals, starts_on__lte=self.day, ends_on__gte=self.day
                ).values_list("person_id", flat=True)
            )
            if principals
            else set()
        )

    def _usable(self, line: AttestantLine) -> bool:
        return line.deputy_for is None or line.deputy_for.pk in self.absent

    def _lines_for(self, transaction: Transaction) -> list[AttestantLine]:
        """The person's lines that may take the transaction's next step: a decision line for the decision
        attestation; any line of the cost centre for the review."""
        decision = transaction.status == Transaction.Status.AWAITING_DECISION
        steps = {Attestant.Step.DECISION} if decision else set(Attestant.Step)
        return [
            line
            for line in self.lines
            if line.cost_centre.pk == transaction.cost_centre_id and line.step in steps
        ]

    def refusal(self, transaction: Transaction) -> str | None:
        """Why the person may not take the transaction's next attestation step, or None if they may. Every rule
        of the attestation regulation is here: authority for the cost centre and amount, a deputy only during
        the ordinary attestant's recorded absence, two different people, nothing paid to oneself, a close
        relative or one's own superior, and no declared conflict of interest."""
        if not transaction.open:
            return _("The transaction is no longer waiting for attestation.")
        decision = transaction.status == Transaction.Status.AWAITING_DECISION
        if transaction.pk in self.conflicts:
            return _("You have declared a conflict of interest in this transaction.")
        if transaction.pk in self.attested:
            return _(
                "You have already attested this transaction: the second step must be taken by someone else."
            )
        if transaction.payee_id == self.person.pk:
            return _("No one may attest a payment to themselves.")
        if transaction.payee_id in self.relatives:
            return _("The payment goes to a close relative of yours.")
        if transaction.payee_id in self.superiors:
            return _("The payment goes to your own superior.")
        steps = {Attestant.Step.DECISION} if decision else set(Attestant.Step)
        code = transaction.cost_centre.code
        lines = [
            line
            for line in self.lines
            if line.cost_centre.pk == transaction.cost_centre_id and line.step in steps
        ]
        if not lines:
            if decision:
                return _("You are not a decision attestant for cost centre %(code)s this year.") % {
                    "code": code
                }
            return _("You are not an attestant for cost centre %(code)s this year.") % {"code": code}
        covering = [line for line in lines if line.covers(transaction.amount)]
        if not covering:
            limit = max(line.amount_limit or ZERO for line in lines)
            return _("The amount is above your limit of %(limit)s kronor.") % {
                "limit": number_format(limit, decimal_pos=0, force_grouping=True)
            }
        if not any(self._usable(line) for line in covering):
            names = ", ".join(sorted({line.deputy_for.full_name for line in covering if line.deputy_for}))
            return _("You are a deputy: you attest only while %(names)s is recorded as absent.") % {
                "names": names
            }
        return None

    def acting_line(self, transaction: Transaction) -> AttestantLine | None:
        """The line the person attests by: their own, or, when that is all they have, a deputy's for someone
        recorded as absent."""
        lines = [
            line
            for line in self._lines_for(transaction)
            if line.covers(transaction.amount) and self._usable(line)
        ]
        lines.sort(key=lambda line: line.deputy_for is not None)
        return lines[0] if lines else None


def attest_refusal(person: Any, transaction: Transaction, *, day: datetime.date | None = None) -> str | None:
    """Why the person may not take the transaction's next step, or None if they may (see AttestRules)."""
    return AttestRules(person, [transaction], day).refusal(transaction)


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
    found = list(transactions.order_by("status", "due_on", "pk")[:200])
    rules = AttestRules(user, found)
    return [QueueItem(t, rules.refusal(t) if t.open else None) for t in found]


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
        if self.outcome is None or self.deviation is None:
            return False
        if not self.budget:
            return bool(self.outcome)
        return abs(self.deviation) * 100 > abs(self.budget) * self.threshold


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
    return year_figures_for([cost_centre], year)[0]


def year_figures_for(centres: list[CostCentre], year: int) -> list[YearFigures]:
    """Budget, outcome and forecast by month and by account group for each cost centre, in five queries
    whatever their number."""
    cents = Decimal("0.01")
    budgets: dict[int, list[BudgetLine]] = defaultdict(list)
    for line in BudgetLine.objects.filter(cost_centre__in=centres, year=year).select_related("account_group"):
        budgets[line.cost_centre_id].append(line)
    outcomes = Outcome.objects.filter(cost_centre__in=centres, year=year)
    by_month: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for centre_id, month, total in (
        outcomes.values("cost_centre", "month")
        .annotate(total=Sum("amount"))
        .values_list("cost_centre", "month", "total")
    ):
        by_month[centre_id][month] = Decimal(total).quantize(cents)
    by_group: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for centre_id, group, total in (
        outcomes.values("cost_centre", "account_group")
        .annotate(total=Sum("amount"))
        .values_list("cost_centre", "account_group", "total")
    ):
        by_group[centre_id][group] = Decimal(total).quantize(cents)
    forecasts = {
        (f.cost_centre_id, f.month): f for f in Forecast.objects.filter(cost_centre__in=centres, year=year)
    }
    explanations = {
        (e.cost_centre_id, e.month): e
        for e in DeviationExplanation.objects.filter(cost_centre__in=centres, year=year).select_related(
            "written_by"
        )
    }
    known = {line.account_group_id: line.account_group for lines in budgets.values() for line in lines}
    unknown = {group for groups in by_group.values() for group in groups} - set(known)
    if unknown:
        known.update({group.pk: group for group in AccountGroup.objects.filter(pk__in=unknown)})
    result = []
    for centre in centres:
        lines = budgets.get(centre.pk, [])
        yearly = sum((line.amount for line in lines), ZERO)
        monthly = (yearly / 12).quantize(cents)
        figures = YearFigures(centre, year)
        for month in MONTHS:
            figures.months.append(
                MonthFigures(
                    month,
                    yearly - monthly * 11 if month == 12 else monthly,
                    by_month[centre.pk].get(month),
                    forecasts.get((centre.pk, month)),
                    explanations.get((centre.pk, month)),
                    centre.deviation_threshold,
                )
            )
        groups = {
            line.account_group_id: GroupFigures(line.account_group, line.amount, ZERO) for line in lines
        }
        for pk, total in by_group[centre.pk].items():
            groups.setdefault(pk, GroupFigures(known[pk], ZERO, ZERO)).outcome = total
        figures.groups = sorted(groups.values(), key=lambda g: g.account_group.code)
        result.append(figures)
    return result
