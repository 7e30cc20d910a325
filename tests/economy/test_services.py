"""Budgets, forecasts, explanations, the list of attestants, absences, close relatives and transactions: each
change checked, saved whole or not at all, with its history."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.organisation.factories import TeamFactory
from tillit.core.models import HistoryEntry
from tillit.economy import services
from tillit.economy.models import Absence, Attestant, BudgetLine, CloseRelation, Forecast, Transaction
from tillit.notifications.models import Notification

from .factories import (
    DECISION,
    PERSONNUMMER,
    REVIEW,
    Economy,
    absence,
    account_group,
    approve,
    attestant,
    cost_centre,
    days_from_today,
    economy,
    member_of,
    this_year,
    transaction,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def eco() -> Economy:
    return economy()


def history(obj: Any, action: str) -> list[HistoryEntry]:
    return list(HistoryEntry.objects.for_object(obj).filter(action=action).order_by("pk"))


# Budget.


def test_budget_set_creates_changes_and_removes_lines_with_history(eco: Economy) -> None:
    staff, material = account_group("50", "Personalkostnader"), account_group("64", "Förbrukningsmaterial")
    services.budget_set(
        actor=eco.admin,
        cost_centre=eco.centre,
        year=2026,
        amounts={staff: Decimal("6240000"), material: Decimal("180000")},
    )
    lines = dict(
        BudgetLine.objects.filter(cost_centre=eco.centre, year=2026).values_list(
            "account_group__code", "amount"
        )
    )
    assert lines == {"50": Decimal("6240000.00"), "64": Decimal("180000.00")}
    services.budget_set(
        actor=eco.admin,
        cost_centre=eco.centre,
        year=2026,
        amounts={staff: Decimal("6300000"), material: None},
    )
    lines = dict(
        BudgetLine.objects.filter(cost_centre=eco.centre, year=2026).values_list(
            "account_group__code", "amount"
        )
    )
    assert lines == {"50": Decimal("6300000.00")}
    entries = history(eco.centre, "budget.set")
    assert len(entries) == 2 and all(e.actor == eco.admin for e in entries)
    assert entries[0].changes["year"] == 2026
    assert entries[1].changes["50 Personalkostnader"] == ["6240000.00", "6300000"]
    assert entries[1].changes["64 Förbrukningsmaterial"] == ["180000.00", None]


def test_budget_set_without_a_change_writes_no_history(eco: Economy) -> None:
    staff = account_group("50", "Personalkostnader")
    services.budget_set(actor=eco.admin, cost_centre=eco.centre, year=2026, amounts={staff: Decimal("100")})
    services.budget_set(
        actor=eco.admin, cost_centre=eco.centre, year=2026, amounts={staff: Decimal("100.00")}
    )
    assert len(history(eco.centre, "budget.set")) == 1


def test_the_budget_of_one_year_leaves_the_other_years(eco: Economy) -> None:
    staff = account_group("50", "Personalkostnader")
    services.budget_set(actor=eco.admin, cost_centre=eco.centre, year=2025, amounts={staff: Decimal("100")})
    services.budget_set(actor=eco.admin, cost_centre=eco.centre, year=2026, amounts={staff: None})
    assert BudgetLine.objects.get().year == 2025


# Forecast and explanations.


def test_forecast_set_creates_then_updates_the_month_with_history(eco: Economy) -> None:
    member = eco.reviewer
    first = services.forecast_set(
        actor=member,
        cost_centre=eco.centre,
        year=2026,
        month=11,
        amount=Decimal("580000"),
        comment="Vikarier.",
    )
    second = services.forecast_set(
        actor=eco.decider, cost_centre=eco.centre, year=2026, month=11, amount=Decimal("600000")
    )
    assert first.pk == second.pk and Forecast.objects.count() == 1
    saved = Forecast.objects.get()
    assert saved.amount == Decimal("600000.00") and saved.comment == "" and saved.changed_by == eco.decider
    entries = history(saved, "forecast.set")
    assert [e.actor for e in entries] == [member, eco.decider]


@pytest.mark.parametrize("month", [0, 13])
def test_forecast_and_explanation_refuse_a_month_outside_1_to_12(eco: Economy, month: int) -> None:
    with pytest.raises(ValidationError):
        services.forecast_set(
            actor=eco.admin, cost_centre=eco.centre, year=2026, month=month, amount=Decimal(1)
        )
    with pytest.raises(ValidationError):
        services.deviation_explain(
            actor=eco.admin, cost_centre=eco.centre, year=2026, month=month, text="Ja."
        )


def test_a_forecast_comment_with_a_personal_identity_number_is_refused(eco: Economy) -> None:
    with pytest.raises(ValidationError):
        services.forecast_set(
            actor=eco.admin,
            cost_centre=eco.centre,
            year=2026,
            month=3,
            amount=Decimal(1),
            comment=f"Vikarie för {PERSONNUMMER}",
        )
    assert not Forecast.objects.exists()


def test_deviation_explain_needs_a_text_and_keeps_one_per_month(eco: Economy) -> None:
    with pytest.raises(ValidationError):
        services.deviation_explain(actor=eco.reviewer, cost_centre=eco.centre, year=2026, month=7, text="  ")
    first = services.deviation_explain(
        actor=eco.reviewer, cost_centre=eco.centre, year=2026, month=7, text="Sommarvikarier."
    )
    second = services.deviation_explain(
        actor=eco.decider,
        cost_centre=eco.centre,
        year=2026,
        month=7,
        text="Sommarvikarier och ett nytt ärende.",
    )
    assert first.pk == second.pk
    assert second.written_by == eco.decider and second.text == "Sommarvikarier och ett nytt ärende."
    assert len(history(second, "deviation.explained")) == 2


# The list of attestants.


def test_attestant_add_records_history_and_refuses_a_duplicate(eco: Economy) -> None:
    person = member_of(eco.team)
    line = attestant(person, eco.centre, REVIEW, limit=10_000, actor=eco.admin)
    assert line.added_by == eco.admin and line.amount_limit == Decimal("10000.00")
    assert history(line, "attestant.added")[0].actor == eco.admin
    with pytest.raises(ValidationError):
        attestant(person, eco.centre, REVIEW, limit=20_000)
    # The other step, or the same step another year, is a line of its own.
    attestant(person, eco.centre, DECISION)
    attestant(person, eco.centre, REVIEW, year=this_year() + 1)
    assert Attestant.objects.filter(person=person).count() == 3


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_attestant_limit_must_be_more_than_zero(eco: Economy, limit: str) -> None:
    with pytest.raises(ValidationError):
        attestant(member_of(eco.team), eco.centre, DECISION, limit=limit)


def test_no_one_is_their_own_deputy(eco: Economy) -> None:
    person = member_of(eco.team)
    with pytest.raises(ValidationError):
        attestant(person, eco.centre, DECISION, deputy_for=person)
    assert not Attestant.objects.filter(person=person).exists()


def test_a_removed_line_can_be_added_again_and_is_not_removed_twice(eco: Economy) -> None:
    line = Attestant.objects.get(person=eco.decider)
    services.attestant_remove(actor=eco.admin, attestant=line)
    assert Attestant.objects.get(pk=line.pk).removed_at is not None
    with pytest.raises(ValidationError):
        services.attestant_remove(actor=eco.admin, attestant=line)
    attestant(eco.decider, eco.centre, DECISION, limit=50_000)
    assert Attestant.objects.filter(person=eco.decider).count() == 2


# Absences and close relatives.


def test_absence_record_with_history(eco: Economy) -> None:
    made = absence(eco.decider, 2, 5, actor=eco.admin)
    assert (made.starts_on, made.ends_on) == (days_from_today(2), days_from_today(5))
    assert made.recorded_by == eco.admin
    entry = history(made, "absence.recorded")[0]
    assert entry.changes == {"starts_on": str(days_from_today(2)), "ends_on": str(days_from_today(5))}


def test_an_absence_cannot_end_before_it_starts(eco: Economy) -> None:
    with pytest.raises(ValidationError):
        absence(eco.decider, 5, 4)
    assert not Absence.objects.exists()


@pytest.mark.parametrize(("starts", "ends"), [(5, 10), (0, 2), (10, 12), (1, 20), (6, 6)])
def test_overlapping_absences_are_refused(eco: Economy, starts: int, ends: int) -> None:
    absence(eco.decider, 2, 10)
    with pytest.raises(ValidationError):
        absence(eco.decider, starts, ends)
    assert Absence.objects.count() == 1


def test_adjacent_absences_and_other_people_do_not_overlap(eco: Economy) -> None:
    absence(eco.decider, 2, 10)
    absence(eco.decider, 11, 12)
    absence(eco.decider, 0, 1)
    absence(eco.reviewer, 2, 10)
    assert Absence.objects.count() == 4


def test_absence_remove_keeps_a_history_entry(eco: Economy) -> None:
    made = absence(eco.decider, 2, 10)
    pk = made.pk
    services.absence_remove(actor=eco.admin, absence=made)
    assert not Absence.objects.filter(pk=pk).exists()
    assert HistoryEntry.objects.filter(action="absence.removed", object_id=str(pk)).exists()


def test_close_relation_declare(eco: Economy) -> None:
    with pytest.raises(ValidationError):
        services.close_relation_declare(actor=eco.decider, relative=eco.decider)
    services.close_relation_declare(actor=eco.decider, relative=eco.reviewer)
    services.close_relation_declare(actor=eco.decider, relative=eco.reviewer)
    relation = CloseRelation.objects.get()
    assert (relation.person, relation.relative) == (eco.decider, eco.reviewer)
    assert len(history(relation, "relation.declared")) == 1


# Transactions.


def test_transaction_register_writes_history(eco: Economy) -> None:
    made = transaction(eco.centre, actor=eco.reviewer, amount="4320.50")
    assert made.status == Transaction.Status.AWAITING_DECISION and made.created_by == eco.reviewer
    entry = history(made, "transaction.registered")[0]
    assert entry.actor == eco.reviewer and entry.changes["amount"] == "4320.50"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": Decimal("-10")}, "amount"),
        ({"due_on": datetime.date(2026, 1, 1), "dated": datetime.date(2026, 1, 2)}, "due_on"),
        ({"description": f"Gäller {PERSONNUMMER}"}, "description"),
        ({"counterparty": PERSONNUMMER}, "counterparty"),
    ],
)
def test_transaction_register_refuses_bad_input(eco: Economy, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        transaction(eco.centre, **fields)
    assert field in caught.value.message_dict
    assert not Transaction.objects.exists()


def test_the_same_invoice_is_registered_once_per_cost_centre(eco: Economy) -> None:
    transaction(eco.centre, reference="F-1", counterparty="Kontorsvaror AB")
    with pytest.raises(ValidationError):
        transaction(eco.centre, reference="F-1", counterparty="Kontorsvaror AB")
    transaction(
        cost_centre("1420", team=TeamFactory.create()), reference="F-1", counterparty="Kontorsvaror AB"
    )
    transaction(eco.centre, reference="F-1", counterparty="Pappershuset AB")
    assert Transaction.objects.count() == 3


# Who is told.


def told(person: Any) -> list[str]:
    return list(Notification.objects.filter(person=person).values_list("url", flat=True))


def test_those_who_may_take_the_next_step_are_told(
    eco: Economy, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        made = transaction(eco.centre, actor=eco.reviewer)
    url = made.get_absolute_url()
    assert told(eco.decider) == [url]
    assert told(eco.reviewer) == []  # a review attestant cannot take the decision step
    with django_capture_on_commit_callbacks(execute=True):
        approve(eco.decider, made)
    assert told(eco.reviewer) == [url]
    assert told(eco.decider) == [url]  # not told again: they may not take the second step


def test_no_one_is_told_of_a_payment_to_themselves(
    eco: Economy, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        transaction(eco.centre, payee=eco.decider)
    assert told(eco.decider) == []


def test_the_team_is_asked_to_explain_an_imported_deviation(
    eco: Economy, django_capture_on_commit_callbacks: Any
) -> None:
    staff = account_group("50", "Personalkostnader")
    services.budget_set(
        actor=eco.admin, cost_centre=eco.centre, year=2026, amounts={staff: Decimal("120000")}
    )
    content = b"kostnadsstalle;kontogrupp;ar;manad;belopp\n1410;50;2026;6;10500\n1410;50;2026;7;15000\n"
    with django_capture_on_commit_callbacks(execute=True):
        services.outcomes_import(actor=eco.admin, file_name="utfall.csv", content=content)
    assert told(eco.reviewer) == ["/ekonomi/1410/2026/7/"]
    assert told(eco.admin) == []
