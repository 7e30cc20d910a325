"""Every change to budgets, outcomes, forecasts, attestants and transactions: checked, in a transaction, with
history. Views check who may ask; these functions check what may happen (the attestation rules included)."""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.accounts.models import User
from tillit.core.history import label_actions, label_values, record, save_and_record
from tillit.core.sensitive import validate_no_identity_numbers
from tillit.economy.csv_files import (
    parse_amount,
    parse_date,
    parse_period,
    raise_row_errors,
    read_rows,
    row_error,
)
from tillit.economy.models import (
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
    OutcomeImport,
    Transaction,
)
from tillit.economy.selectors import AttestRules, attest_refusal, attestant_lines, year_figures
from tillit.notifications.models import Kind
from tillit.notifications.services import notify
from tillit.organisation.models import Membership

label_values("step", Attestant.Step.choices)
label_values("status", Transaction.Status.choices)
label_values("outcome", Attestation.Outcome.choices)
label_actions(
    {
        "budget.set": gettext_lazy("Budget set"),
        "outcomes.imported": gettext_lazy("Outcomes imported"),
        "forecast.set": gettext_lazy("Forecast changed"),
        "deviation.explained": gettext_lazy("Deviation explained"),
        "attestant.added": gettext_lazy("Attestant added"),
        "attestant.removed": gettext_lazy("Attestant removed"),
        "absence.recorded": gettext_lazy("Absence recorded"),
        "absence.removed": gettext_lazy("Absence removed"),
        "relation.declared": gettext_lazy("Close relative declared"),
        "transaction.registered": gettext_lazy("Transaction registered"),
        "transaction.attested": gettext_lazy("Attestation step taken"),
        "transaction.conflict": gettext_lazy("Conflict of interest declared"),
    }
)

OUTCOME_COLUMNS = {
    "cost_centre": ("kostnadsstalle", "ansvar", "cost_centre"),
    "account_group": ("kontogrupp", "konto", "account_group"),
    "year": ("ar", "year"),
    "month": ("manad", "month"),
    "period": ("period",),
    "amount": ("belopp", "utfall", "amount"),
}
TRANSACTION_COLUMNS = {
    "cost_centre": ("kostnadsstalle", "ansvar", "cost_centre"),
    "account_group": ("kontogrupp", "konto", "account_group"),
    "kind": ("typ", "kind"),
    "reference": ("referens", "fakturanummer", "reference"),
    "counterparty": ("motpart", "leverantor", "counterparty"),
    "payee": ("medarbetare", "payee"),
    "description": ("beskrivning", "description"),
    "amount": ("belopp", "amount"),
    "dated": ("datum", "fakturadatum", "date"),
    "due_on": ("forfallodag", "forfallodatum", "due"),
}
KINDS = {
    "faktura": Transaction.Kind.INVOICE,
    "invoice": Transaction.Kind.INVOICE,
    "utlagg": Transaction.Kind.EXPENSE,
    "utlägg": Transaction.Kind.EXPENSE,
    "expense": Transaction.Kind.EXPENSE,
}


def _month(month: int) -> None:
    if not 1 <= month <= 12:
        raise ValidationError(_("The month must be 1–12."))


# Budget, outcome, forecast.


@db_transaction.atomic
def budget_set(
    *, actor: Any, cost_centre: CostCentre, year: int, amounts: Mapping[AccountGroup, Decimal | None]
) -> CostCentre:
    """The year's budget per account group. An empty amount removes the group's line."""
    existing = {
        line.account_group_id: line for line in BudgetLine.objects.filter(cost_centre=cost_centre, year=year)
    }
    changes: dict[str, list[Any]] = {}
    for group, amount in amounts.items():
        line = existing.get(group.pk)
        before = line.amount if line else None
        if amount is None:
            if line is not None:
                line.delete()
        elif line is None:
            BudgetLine.objects.create(cost_centre=cost_centre, account_group=group, year=year, amount=amount)
        else:
            line.amount = amount
            line.save(update_fields=["amount"])
        if before != amount:
            changes[f"{group.code} {group.name}"] = [
                None if before is None else str(before),
                None if amount is None else str(amount),
            ]
    if changes:
        record(actor=actor, obj=cost_centre, action="budget.set", changes={"year": year, **changes})
    return cost_centre


def outcomes_import(*, actor: Any, file_name: str, content: bytes) -> OutcomeImport:
    """Monthly outcomes from the financial system (docs/economy.md). Every row is checked first; a file with
    any wrong row changes nothing. A month already imported is replaced by the new figure."""
    rows = read_rows(content, OUTCOME_COLUMNS, {"cost_centre", "account_group", "amount"})
    centres = {c.code: c for c in CostCentre.objects.all()}
    groups = {g.code: g for g in AccountGroup.objects.all()}
    errors: list[str] = []
    parsed: dict[tuple[int, int, int, int], tuple[int, Decimal]] = {}
    for row in rows:
        values = row.values
        problems = []
        centre = centres.get(values["cost_centre"])
        if centre is None:
            problems.append(_("unknown cost centre “%(code)s”") % {"code": values["cost_centre"]})
        group = groups.get(values["account_group"])
        if group is None:
            problems.append(_("unknown account group “%(code)s”") % {"code": values["account_group"]})
        try:
            year, month = parse_period(
                values.get("year", ""), values.get("month", ""), values.get("period", "")
            )
        except ValueError as error:
            problems.append(str(error))
        try:
            amount = parse_amount(values["amount"])
        except ValueError as error:
            problems.append(str(error))
        if problems:
            errors.append(row_error(row, "; ".join(problems)))
            continue
        assert centre is not None and group is not None
        key = (centre.pk, group.pk, year, month)
        if key in parsed:
            errors.append(
                row_error(
                    row,
                    _("the same cost centre, account group and month as row %(line)s")
                    % {"line": parsed[key][0]},
                )
            )
            continue
        parsed[key] = (row.line, amount)
    raise_row_errors(errors)
    with db_transaction.atomic():
        source = OutcomeImport.objects.create(file_name=file_name[:200], rows=len(parsed), imported_by=actor)
        # A month in the file replaces that month of the cost centre as a whole: a group the financial system no
        # longer books on (moved to another account) does not linger.
        months = {(centre_pk, year, month) for (centre_pk, _g, year, month) in parsed}
        replaced = Q()
        for centre_pk, year, month in months:
            replaced |= Q(cost_centre_id=centre_pk, year=year, month=month)
        Outcome.objects.filter(replaced).delete()
        Outcome.objects.bulk_create(
            Outcome(
                cost_centre_id=centre_pk,
                account_group_id=group_pk,
                year=year,
                month=month,
                amount=amount,
                source=source,
            )
            for (centre_pk, group_pk, year, month), (_line, amount) in parsed.items()
        )
        periods = sorted({f"{year}-{month:02}" for (_c, _g, year, month) in parsed})
        _ask_for_explanations({(c, y) for (c, _g, y, _m) in parsed})
        record(
            actor=actor,
            obj=source,
            action="outcomes.imported",
            changes={"rows": len(parsed), "periods": ", ".join(periods)},
        )
    return source


def _ask_for_explanations(periods: set[tuple[int, int]]) -> None:
    """Each team whose imported outcome is off its budget by more than the threshold is asked to explain it."""
    for centre in CostCentre.objects.filter(
        pk__in={c for c, _y in periods}, team__isnull=False
    ).select_related("team"):
        members = [m.person for m in Membership.objects.filter(team=centre.team).select_related("person")]
        for year in sorted({y for c, y in periods if c == centre.pk}):
            for month in year_figures(centre, year).unexplained:
                notify(
                    members,
                    Kind.ECONOMY,
                    _(
                        "%(centre)s: the outcome for %(month)s differs from the budget by %(percent)s %%. Explain it."
                    )
                    % {
                        "centre": centre,
                        "month": f"{year}-{month.month:02}",
                        "percent": month.deviation_percent,
                    },
                    reverse("economy:month", args=[centre.code, year, month.month]),
                    f"deviation:{centre.pk}:{year}:{month.month}",
                )


def _ask_to_attest(transaction: Transaction) -> None:
    """Those who may take the transaction's next step are told it is waiting."""
    day = timezone.localdate()
    people = {
        line.person.pk: line.person
        for line in attestant_lines([transaction.cost_centre], day.year)
        if attest_refusal(line.person, transaction, day=day) is None
    }
    notify(
        people.values(),
        Kind.ECONOMY,
        _("%(status)s: %(counterparty)s, %(amount)s kronor")
        % {
            "status": transaction.get_status_display(),
            "counterparty": transaction.counterparty,
            "amount": number_format(transaction.amount, decimal_pos=0, force_grouping=True),
        },
        transaction.get_absolute_url(),
        f"attest:{transaction.pk}:{transaction.status}",
    )


@db_transaction.atomic
def forecast_set(
    *, actor: Any, cost_centre: CostCentre, year: int, month: int, amount: Decimal, comment: str = ""
) -> Forecast:
    _month(month)
    forecast = Forecast.objects.filter(cost_centre=cost_centre, year=year, month=month).first() or Forecast(
        cost_centre=cost_centre, year=year, month=month
    )
    return save_and_record(
        forecast,
        actor=actor,
        action="forecast.set",
        tracked=("year", "month", "amount", "comment"),
        fields={"amount": amount, "comment": comment, "changed_by": actor},
    )


@db_transaction.atomic
def deviation_explain(
    *, actor: Any, cost_centre: CostCentre, year: int, month: int, text: str
) -> DeviationExplanation:
    _month(month)
    if not text.strip():
        raise ValidationError({"text": _("Write what explains the deviation.")})
    explanation = DeviationExplanation.objects.filter(
        cost_centre=cost_centre, year=year, month=month
    ).first() or DeviationExplanation(cost_centre=cost_centre, year=year, month=month)
    return save_and_record(
        explanation,
        actor=actor,
        action="deviation.explained",
        tracked=("year", "month", "text"),
        fields={"text": text, "written_by": actor},
    )


# The list of attestants, absences and close relatives.


@db_transaction.atomic
def attestant_add(
    *,
    actor: Any,
    cost_centre: CostCentre,
    year: int,
    person: Any,
    step: str,
    amount_limit: Decimal | None = None,
    deputy_for: Any = None,
) -> Attestant:
    if deputy_for is not None and deputy_for.pk == person.pk:
        raise ValidationError({"deputy_for": _("A person cannot be their own deputy.")})
    if amount_limit is not None and amount_limit <= 0:
        raise ValidationError({"amount_limit": _("The limit must be more than zero, or empty for no limit.")})
    if Attestant.objects.filter(
        cost_centre=cost_centre, year=year, person=person, step=step, removed_at__isnull=True
    ).exists():
        raise ValidationError({"person": _("This person is already on the list for this step.")})
    return save_and_record(
        Attestant(cost_centre=cost_centre, year=year, added_by=actor),
        actor=actor,
        action="attestant.added",
        tracked=("person", "step", "amount_limit", "deputy_for", "year"),
        fields={"person": person, "step": step, "amount_limit": amount_limit, "deputy_for": deputy_for},
    )


@db_transaction.atomic
def attestant_remove(*, actor: Any, attestant: Attestant) -> Attestant:
    """Taken off the list from now on; the line stays, with when, for the year's record."""
    if attestant.removed_at is not None:
        raise ValidationError(_("This line has already been removed."))
    attestant.removed_at = timezone.now()
    attestant.save(update_fields=["removed_at"])
    record(
        actor=actor,
        obj=attestant.cost_centre,
        action="attestant.removed",
        changes={"person": str(attestant.person), "step": attestant.step, "year": attestant.year},
    )
    return attestant


@db_transaction.atomic
def absence_record(*, actor: Any, person: Any, starts_on: datetime.date, ends_on: datetime.date) -> Absence:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The absence cannot end before it starts.")})
    if Absence.objects.filter(person=person, starts_on__lte=ends_on, ends_on__gte=starts_on).exists():
        raise ValidationError(_("An absence is already recorded for part of this period."))
    absence = Absence.objects.create(person=person, starts_on=starts_on, ends_on=ends_on, recorded_by=actor)
    record(
        actor=actor,
        obj=absence,
        action="absence.recorded",
        changes={"starts_on": str(starts_on), "ends_on": str(ends_on)},
    )
    return absence


@db_transaction.atomic
def absence_remove(*, actor: Any, absence: Absence) -> None:
    record(actor=actor, obj=absence, action="absence.removed", changes={})
    absence.delete()


@db_transaction.atomic
def close_relation_declare(*, actor: Any, relative: Any) -> CloseRelation:
    if relative.pk == actor.pk:
        raise ValidationError({"relative": _("Choose someone other than yourself.")})
    relation, created = CloseRelation.objects.get_or_create(person=actor, relative=relative)
    if created:
        record(actor=actor, obj=relation, action="relation.declared", changes={"relative": str(relative)})
    return relation


# Transactions and their attestation.

TRANSACTION_FIELDS = (
    "cost_centre",
    "account_group",
    "kind",
    "reference",
    "counterparty",
    "payee",
    "description",
    "amount",
    "dated",
    "due_on",
)


def _check_transaction(transaction: Transaction) -> None:
    if transaction.amount is not None and transaction.amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    if transaction.due_on and transaction.dated and transaction.due_on < transaction.dated:
        raise ValidationError({"due_on": _("The due date cannot be before the date.")})


@db_transaction.atomic
def transaction_register(*, actor: Any, **fields: Any) -> Transaction:
    registered = save_and_record(
        Transaction(created_by=actor),
        actor=actor,
        action="transaction.registered",
        tracked=TRANSACTION_FIELDS,
        fields=fields,
        check=_check_transaction,
    )
    _ask_to_attest(registered)
    return registered


def transactions_import(*, actor: Any, content: bytes, allowed: set[int] | None = None) -> list[Transaction]:
    """Invoices and expenses from a CSV file (docs/economy.md), all or none. `allowed` limits the cost
    centres the person may register for (None: all)."""
    rows = read_rows(
        content,
        TRANSACTION_COLUMNS,
        {"cost_centre", "account_group", "reference", "counterparty", "description", "amount", "dated"},
    )
    centres = {c.code: c for c in CostCentre.objects.all()}
    groups = {g.code: g for g in AccountGroup.objects.all()}
    emails = {row.values.get("payee", "").casefold() for row in rows} - {""}
    people = {u.email.casefold(): u for u in User.objects.filter(email__in=emails)} if emails else {}
    errors: list[str] = []
    prepared: list[Transaction] = []
    seen: dict[tuple[str, str, str], int] = {}
    for row in rows:
        values = row.values
        problems: list[str] = []
        centre = centres.get(values["cost_centre"])
        if centre is None or (allowed is not None and centre.pk not in allowed):
            problems.append(_("unknown cost centre “%(code)s”") % {"code": values["cost_centre"]})
        group = groups.get(values["account_group"])
        if group is None:
            problems.append(_("unknown account group “%(code)s”") % {"code": values["account_group"]})
        kind = KINDS.get(values.get("kind", "").casefold() or "faktura")
        if kind is None:
            problems.append(
                _("the type must be faktura or utlägg, not “%(text)s”") % {"text": values["kind"]}
            )
        payee = None
        if values.get("payee"):
            payee = people.get(values["payee"].casefold())
            if payee is None:
                problems.append(
                    _("no one in Tillit has the e-mail address “%(text)s”") % {"text": values["payee"]}
                )
        amount = dated = due_on = None
        try:
            amount = parse_amount(values["amount"])
            if amount <= 0:
                problems.append(_("the amount must be more than zero"))
        except ValueError as error:
            problems.append(str(error))
        try:
            dated = parse_date(values["dated"])
            due_on = parse_date(values["due_on"]) if values.get("due_on") else None
        except ValueError as error:
            problems.append(str(error))
        for name in ("reference", "counterparty", "description"):
            if not values[name]:
                problems.append(_("the column %(name)s is empty") % {"name": TRANSACTION_COLUMNS[name][0]})
            else:
                try:
                    validate_no_identity_numbers(values[name])
                except ValidationError as error:
                    problems.append(" ".join(error.messages).rstrip("."))
        key = (values["cost_centre"], values["counterparty"], values["reference"])
        if key in seen:
            problems.append(_("the same invoice as row %(line)s") % {"line": seen[key]})
        seen[key] = row.line
        if (
            centre is not None
            and Transaction.objects.filter(
                cost_centre=centre, counterparty=values["counterparty"], reference=values["reference"]
            ).exists()
        ):
            problems.append(_("this invoice is already registered"))
        if problems:
            errors.append(row_error(row, "; ".join(problems)))
            continue
        assert kind is not None and amount is not None and dated is not None
        prepared.append(
            Transaction(
                cost_centre=centre,
                account_group=group,
                kind=kind,
                reference=values["reference"][:60],
                counterparty=values["counterparty"][:200],
                payee=payee,
                description=values["description"],
                amount=amount,
                dated=dated,
                due_on=due_on,
            )
        )
    raise_row_errors(errors)
    with db_transaction.atomic():
        return [
            transaction_register(actor=actor, **{name: getattr(t, name) for name in TRANSACTION_FIELDS})
            for t in prepared
        ]


def transaction_attest(
    *, actor: Any, transaction: Transaction, approve: bool, comment: str = ""
) -> Attestation:
    """The transaction's next step, by the actor, if the attestation rules allow it. Approving the decision step
    sends it to review; approving the review makes it attested; rejecting at either step ends it."""
    with db_transaction.atomic():
        transaction = (
            Transaction.objects.select_for_update(of=("self",))
            .select_related("cost_centre", "payee")
            .get(pk=transaction.pk)
        )
        rules = AttestRules(actor, [transaction])
        refusal = rules.refusal(transaction)
        if refusal:
            raise ValidationError(refusal)
        if not approve and not comment.strip():
            raise ValidationError({"comment": _("Say why the transaction is rejected.")})
        step = (
            Attestant.Step.DECISION
            if transaction.status == Transaction.Status.AWAITING_DECISION
            else Attestant.Step.REVIEW
        )
        line = rules.acting_line(transaction)
        attestation = Attestation(
            transaction=transaction,
            step=step,
            person=actor,
            deputy_for=line.deputy_for if line else None,
            outcome=Attestation.Outcome.APPROVED if approve else Attestation.Outcome.REJECTED,
            comment=comment,
        )
        attestation.full_clean()
        attestation.save()
        if not approve:
            transaction.status = Transaction.Status.REJECTED
        elif step == Attestant.Step.DECISION:
            transaction.status = Transaction.Status.AWAITING_REVIEW
        else:
            transaction.status = Transaction.Status.ATTESTED
            transaction.attested_at = timezone.now()
        transaction.save(update_fields=["status", "attested_at"])
        changes: dict[str, Any] = {"step": step, "outcome": attestation.outcome, "status": transaction.status}
        if attestation.deputy_for is not None:
            changes["deputy_for"] = str(attestation.deputy_for)
        if comment:
            changes["comment"] = comment
        record(actor=actor, obj=transaction, action="transaction.attested", changes=changes)
        if transaction.status == Transaction.Status.AWAITING_REVIEW:
            _ask_to_attest(transaction)
        return attestation


@db_transaction.atomic
def attest_conflict_declare(*, actor: Any, transaction: Transaction, reason: str) -> AttestConflict:
    """A conflict of interest (jäv) the person declares: from now on they may not attest the transaction."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say briefly what the conflict is.")})
    if AttestConflict.objects.filter(transaction=transaction, person=actor).exists():
        raise ValidationError(_("You have already declared a conflict in this transaction."))
    conflict = AttestConflict(transaction=transaction, person=actor, reason=reason)
    conflict.full_clean()
    conflict.save()
    record(
        actor=actor,
        obj=transaction,
        action="transaction.conflict",
        changes={"person": str(actor), "reason": reason},
    )
    return conflict
