"""The municipality's attestation rules (attestreglemente): two different people, authority for the cost centre
and the amount, nothing paid to oneself, a close relative or one's superior, deputies only during an absence,
and no attestation with a declared conflict of interest."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.decisions.factories import mandate
from tests.organisation.factories import PersonFactory, TeamFactory
from tillit.core.models import HistoryEntry
from tillit.decisions import services as decision_services
from tillit.decisions.models import Mandate
from tillit.economy import services
from tillit.economy.models import Attestant, Attestation, AttestConflict, CloseRelation, Transaction
from tillit.economy.selectors import attest_refusal
from tillit.organisation.models import Membership

from .factories import (
    DECISION,
    PERSONNUMMER,
    REVIEW,
    Economy,
    absence,
    approve,
    attestant,
    cost_centre,
    days_from_today,
    economy,
    fresh,
    manager_of,
    member_of,
    reject,
    this_year,
    transaction,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def eco() -> Economy:
    return economy()


def refused(person: Any, made: Transaction, **kwargs: Any) -> bool:
    return attest_refusal(person, fresh(made), **kwargs) is not None


def refuses(person: Any, made: Transaction) -> None:
    """The service refuses the step and nothing is recorded."""
    before = (Attestation.objects.count(), fresh(made).status)
    with pytest.raises(ValidationError):
        approve(person, fresh(made))
    assert (Attestation.objects.count(), fresh(made).status) == before


# Two steps by two different people.


def test_decision_then_review_by_two_people_attests_the_transaction(eco: Economy) -> None:
    made = transaction(eco.centre, amount=12_500)
    assert made.status == Transaction.Status.AWAITING_DECISION
    assert attest_refusal(eco.decider, made) is None

    first = approve(eco.decider, made)
    assert (
        first.step == DECISION
        and first.outcome == Attestation.Outcome.APPROVED
        and first.person == eco.decider
    )
    assert fresh(made).status == Transaction.Status.AWAITING_REVIEW
    assert fresh(made).attested_at is None

    second = approve(eco.reviewer, fresh(made))
    assert second.step == REVIEW and second.person == eco.reviewer
    attested = fresh(made)
    assert attested.status == Transaction.Status.ATTESTED
    assert attested.attested_at is not None
    steps = list(attested.attestations.values_list("step", "person", "outcome", "deputy_for"))
    assert steps == [
        (DECISION, eco.decider.pk, "approved", None),
        (REVIEW, eco.reviewer.pk, "approved", None),
    ]
    history = HistoryEntry.objects.for_object(attested).filter(action="transaction.attested").order_by("pk")
    assert [(h.actor, h.changes["step"], h.changes["status"]) for h in history] == [
        (eco.decider, DECISION, Transaction.Status.AWAITING_REVIEW),
        (eco.reviewer, REVIEW, Transaction.Status.ATTESTED),
    ]


def test_the_same_person_cannot_take_both_steps(eco: Economy) -> None:
    attestant(eco.decider, eco.centre, REVIEW, limit=50_000)
    made = transaction(eco.centre)
    approve(eco.decider, made)
    assert refused(eco.decider, made)
    refuses(eco.decider, made)
    assert fresh(made).attestations.count() == 1


def test_an_attested_or_rejected_transaction_takes_no_more_steps(eco: Economy) -> None:
    other_reviewer = member_of(eco.team)
    attestant(other_reviewer, eco.centre, REVIEW)
    done = transaction(eco.centre)
    approve(eco.decider, done)
    approve(eco.reviewer, fresh(done))
    assert refused(other_reviewer, done)
    refuses(other_reviewer, done)
    stopped = transaction(eco.centre)
    reject(eco.decider, stopped)
    assert refused(eco.reviewer, stopped) and refused(other_reviewer, stopped)
    refuses(eco.reviewer, stopped)


# Nothing paid to oneself, a close relative or one's own superior.


def test_no_one_attests_a_payment_to_themselves(eco: Economy) -> None:
    expense = transaction(eco.centre, payee=eco.decider, counterparty="Bo Budget", amount=640)
    assert refused(eco.decider, expense)
    refuses(eco.decider, expense)
    # Someone else takes the decision; the payee cannot review it either.
    attestant(eco.decider, eco.centre, REVIEW)
    other = member_of(eco.team)
    attestant(other, eco.centre, DECISION)
    approve(other, expense)
    refuses(eco.decider, expense)
    approve(eco.reviewer, fresh(expense))
    assert fresh(expense).status == Transaction.Status.ATTESTED


@pytest.mark.parametrize("declared_by", ["attestant", "payee"])
def test_no_one_attests_a_payment_to_a_declared_close_relative(eco: Economy, declared_by: str) -> None:
    relative = member_of(eco.team)
    if declared_by == "attestant":
        services.close_relation_declare(actor=eco.decider, relative=relative)
    else:
        services.close_relation_declare(actor=relative, relative=eco.decider)
    expense = transaction(eco.centre, payee=relative)
    assert refused(eco.decider, expense)
    refuses(eco.decider, expense)
    # Someone without a relation attests the same expense.
    unrelated = transaction(eco.centre, payee=member_of(eco.team))
    assert not refused(eco.decider, unrelated)


def test_a_close_relation_of_someone_else_does_not_block(eco: Economy) -> None:
    payee = member_of(eco.team)
    CloseRelation.objects.create(person=payee, relative=member_of(eco.team))
    assert not refused(eco.decider, transaction(eco.centre, payee=payee))


@pytest.mark.parametrize("level", ["unit", "administration"])
def test_no_one_attests_a_payment_to_their_own_superior(eco: Economy, level: str) -> None:
    boss = manager_of(eco.unit if level == "unit" else eco.administration)
    expense = transaction(eco.centre, payee=boss, counterparty=str(boss))
    assert refused(eco.decider, expense)
    refuses(eco.decider, expense)


def test_a_manager_of_an_unrelated_unit_is_no_superior(eco: Economy) -> None:
    elsewhere = manager_of(TeamFactory.create().unit)
    assert not refused(eco.decider, transaction(eco.centre, payee=elsewhere))


def test_a_manager_may_attest_a_payment_to_someone_they_manage(eco: Economy) -> None:
    boss = manager_of(eco.unit)
    attestant(boss, eco.centre, DECISION)
    assert not refused(boss, transaction(eco.centre, payee=eco.reviewer))


# Authority for the cost centre, the step and the amount.


@pytest.mark.parametrize(
    ("amount", "allowed"), [("49999.99", True), ("50000", True), ("50000.01", False), ("74000", False)]
)
def test_the_amount_limit_is_inclusive(eco: Economy, amount: str, allowed: bool) -> None:
    made = transaction(eco.centre, amount=amount)
    assert (attest_refusal(eco.decider, made) is None) is allowed
    if allowed:
        approve(eco.decider, made)
        assert (attest_refusal(eco.reviewer, fresh(made)) is None) is allowed
    else:
        refuses(eco.decider, made)


def test_the_review_limit_counts_too(eco: Economy) -> None:
    boss = manager_of(eco.unit)
    attestant(boss, eco.centre, DECISION)
    made = transaction(eco.centre, amount=74_000)
    approve(boss, made)
    refuses(eco.reviewer, made)
    unlimited = member_of(eco.team)
    attestant(unlimited, eco.centre, REVIEW)
    approve(unlimited, fresh(made))
    assert fresh(made).status == Transaction.Status.ATTESTED


def test_not_on_the_list_for_the_cost_centre_or_the_year_is_refused(eco: Economy) -> None:
    other_centre = cost_centre("1420", team=TeamFactory.create())
    elsewhere = member_of(other_centre.team)
    attestant(elsewhere, other_centre, DECISION)
    last_year = member_of(eco.team)
    attestant(last_year, eco.centre, DECISION, year=this_year() - 1)
    next_year = member_of(eco.team)
    attestant(next_year, eco.centre, DECISION, year=this_year() + 1)
    made = transaction(eco.centre)
    for person in (elsewhere, last_year, next_year, member_of(eco.team), eco.admin):
        assert refused(person, made), person
        refuses(person, made)
    assert not refused(elsewhere, transaction(other_centre))


def test_the_decision_step_needs_a_decision_line_and_the_review_step_either(eco: Economy) -> None:
    made = transaction(eco.centre)
    assert refused(eco.reviewer, made)
    refuses(eco.reviewer, made)
    second_decider = member_of(eco.team)
    attestant(second_decider, eco.centre, DECISION)
    approve(eco.decider, made)
    # Awaiting review: a review line or a decision line will do.
    assert not refused(eco.reviewer, made)
    assert not refused(second_decider, made)
    approve(second_decider, fresh(made))
    assert list(fresh(made).attestations.values_list("step", flat=True)) == [DECISION, REVIEW]


def test_a_removed_attestant_line_no_longer_gives_authority(eco: Economy) -> None:
    line = Attestant.objects.get(person=eco.decider, step=DECISION)
    made = transaction(eco.centre)
    assert not refused(eco.decider, made)
    services.attestant_remove(actor=eco.admin, attestant=line)
    assert refused(eco.decider, made)
    refuses(eco.decider, made)
    assert HistoryEntry.objects.for_object(eco.centre).filter(action="attestant.removed").exists()


# Deputies act only during the ordinary attestant's recorded absence.


@pytest.fixture
def deputy(eco: Economy) -> Any:
    person = member_of(eco.team, full_name="Dag Deputy")
    attestant(person, eco.centre, DECISION, limit=50_000, deputy_for=eco.decider)
    return person


@pytest.mark.parametrize(
    ("starts", "ends", "allowed"),
    [
        (1, 10, False),  # today is the day before the absence
        (-10, -1, False),  # today is the day after it
        (0, 10, True),  # its first day
        (-10, 0, True),  # its last day
        (0, 0, True),  # a one-day absence
    ],
)
def test_a_deputy_attests_only_during_the_absence(
    eco: Economy, deputy: Any, starts: int, ends: int, allowed: bool
) -> None:
    made = transaction(eco.centre)
    assert refused(deputy, made)
    absence(eco.decider, starts, ends)
    assert (attest_refusal(deputy, fresh(made)) is None) is allowed
    if allowed:
        attestation = approve(deputy, made)
        assert attestation.deputy_for == eco.decider
        entry = HistoryEntry.objects.for_object(made).get(action="transaction.attested")
        assert entry.changes["deputy_for"] == str(eco.decider)
    else:
        refuses(deputy, made)


def test_the_day_of_the_check_decides_for_a_deputy(eco: Economy, deputy: Any) -> None:
    made = transaction(eco.centre)
    absence(eco.decider, 3, 7)
    assert refused(deputy, made, day=days_from_today(2))
    assert not refused(deputy, made, day=days_from_today(3))
    assert not refused(deputy, made, day=days_from_today(7))
    assert refused(deputy, made, day=days_from_today(8))


def test_an_absence_of_someone_else_does_not_let_a_deputy_act(eco: Economy, deputy: Any) -> None:
    absence(eco.reviewer, -1, 1)
    absence(deputy, -1, 1)
    assert refused(deputy, transaction(eco.centre))


def test_the_mandate_deputy_attests_during_the_delegate_absence(eco: Economy) -> None:
    delegate, stand_in = member_of(eco.team), member_of(eco.team)
    mandate(eco.team, delegate, deputy=stand_in, amount_limit=30_000)
    made = transaction(eco.centre, amount=20_000)
    assert attest_refusal(delegate, made) is None
    assert refused(stand_in, made)
    absence(delegate, -2, 2)
    assert attest_refusal(stand_in, made) is None
    assert approve(stand_in, made).deputy_for == delegate


def test_a_deputy_with_an_own_review_line_has_deputy_for_recorded(eco: Economy) -> None:
    """Anna in the demo: her own review line, and deputy for the team's budget holder by the purchase mandate."""
    delegate, stand_in = member_of(eco.team), member_of(eco.team)
    mandate(eco.team, delegate, deputy=stand_in, amount_limit=30_000)
    attestant(stand_in, eco.centre, REVIEW, limit=50_000)
    absence(delegate, -2, 2)
    made = transaction(eco.centre, amount=20_000)
    assert approve(stand_in, made).deputy_for == delegate


# A declared conflict of interest (jäv).


def test_a_declared_conflict_blocks_the_step(eco: Economy) -> None:
    made = transaction(eco.centre)
    services.attest_conflict_declare(actor=eco.decider, transaction=made, reason="Min bror äger firman.")
    assert AttestConflict.objects.filter(transaction=made, person=eco.decider).exists()
    assert refused(eco.decider, made)
    refuses(eco.decider, made)
    assert HistoryEntry.objects.for_object(made).filter(action="transaction.conflict").exists()
    # The conflict is the declarer's only.
    other = member_of(eco.team)
    attestant(other, eco.centre, DECISION)
    assert not refused(other, made)


def test_a_conflict_needs_a_reason_and_is_declared_once(eco: Economy) -> None:
    made = transaction(eco.centre)
    with pytest.raises(ValidationError):
        services.attest_conflict_declare(actor=eco.decider, transaction=made, reason="  ")
    services.attest_conflict_declare(actor=eco.decider, transaction=made, reason="Jäv.")
    with pytest.raises(ValidationError):
        services.attest_conflict_declare(actor=eco.decider, transaction=made, reason="Igen.")
    assert AttestConflict.objects.count() == 1


# Rejecting.


@pytest.mark.parametrize("comment", ["", "   "])
def test_rejecting_needs_a_comment(eco: Economy, comment: str) -> None:
    made = transaction(eco.centre)
    with pytest.raises(ValidationError):
        services.transaction_attest(actor=eco.decider, transaction=made, approve=False, comment=comment)
    assert fresh(made).status == Transaction.Status.AWAITING_DECISION
    assert not Attestation.objects.exists()


@pytest.mark.parametrize("at_step", [DECISION, REVIEW])
def test_rejecting_ends_the_transaction(eco: Economy, at_step: str) -> None:
    made = transaction(eco.centre)
    if at_step == REVIEW:
        approve(eco.decider, made)
        rejection = reject(eco.reviewer, fresh(made), "Fel belopp.")
    else:
        rejection = reject(eco.decider, made, "Fel belopp.")
    assert rejection.outcome == Attestation.Outcome.REJECTED and rejection.comment == "Fel belopp."
    assert rejection.step == at_step
    ended = fresh(made)
    assert ended.status == Transaction.Status.REJECTED and ended.attested_at is None and not ended.open
    someone = member_of(eco.team)
    attestant(someone, eco.centre, DECISION)
    refuses(someone, ended)


# Authority from the team's purchase mandate.


def test_a_mandate_delegate_gets_authority_from_the_active_purchase_mandate(eco: Economy) -> None:
    delegate = PersonFactory.create()
    made = transaction(eco.centre, amount=25_000)
    assert refused(delegate, made)
    given = mandate(eco.team, delegate, amount_limit=30_000)
    assert attest_refusal(delegate, made) is None
    assert refused(delegate, transaction(eco.centre, amount="30000.01"))
    decision_services.mandate_end(actor=eco.admin, mandate=given)
    assert refused(delegate, made)
    refuses(delegate, made)


@pytest.mark.parametrize("kind", ["other_category", "other_team"])
def test_only_the_team_purchase_mandate_gives_authority(eco: Economy, kind: str) -> None:
    delegate = PersonFactory.create()
    if kind == "other_category":
        mandate(eco.team, delegate, category=Mandate.Category.OPERATIONS)
    else:
        mandate(TeamFactory.create(), delegate)
    assert refused(delegate, transaction(eco.centre))


def test_the_mandate_gives_the_decision_step_only(eco: Economy) -> None:
    delegate = member_of(eco.team)
    mandate(eco.team, delegate, amount_limit=None)
    made = transaction(eco.centre, amount=Decimal("80000"))
    boss = manager_of(eco.unit)
    attestant(boss, eco.centre, DECISION)
    approve(delegate, made)
    assert fresh(made).status == Transaction.Status.AWAITING_REVIEW
    # Review: the mandate is a decision line, which counts for the review step too, but not for the same person.
    refuses(delegate, made)
    approve(boss, fresh(made))
    assert fresh(made).status == Transaction.Status.ATTESTED


def test_a_coach_is_not_a_superior(eco: Economy) -> None:
    coach = member_of(eco.team, role=Membership.Role.COACH)
    assert not refused(eco.decider, transaction(eco.centre, payee=coach))


def test_a_review_deputy_attests_only_during_the_reviewer_absence(eco: Economy) -> None:
    stand_in = member_of(eco.team)
    attestant(stand_in, eco.centre, REVIEW, limit=50_000, deputy_for=eco.reviewer)
    made = transaction(eco.centre)
    assert refused(stand_in, made)  # a review line gives no decision step
    approve(eco.decider, made)
    assert refused(stand_in, made)
    refuses(stand_in, made)
    absence(eco.reviewer, 0, 3)
    attestation = approve(stand_in, fresh(made))
    assert (attestation.step, attestation.deputy_for) == (REVIEW, eco.reviewer)
    assert fresh(made).status == Transaction.Status.ATTESTED


def test_an_ordinary_line_needs_no_absence_and_records_no_deputy(eco: Economy, deputy: Any) -> None:
    attestant(deputy, eco.centre, REVIEW)
    made = transaction(eco.centre)
    approve(eco.decider, made)
    assert approve(deputy, fresh(made)).deputy_for is None


# Free text in an attestation is checked for personal identity numbers like every other free text.


def test_an_attestation_comment_with_a_personal_identity_number_is_refused(eco: Economy) -> None:
    made = transaction(eco.centre)
    with pytest.raises(ValidationError):
        reject(eco.decider, made, f"Gäller klient {PERSONNUMMER}")
    assert not Attestation.objects.exists()


def test_a_conflict_reason_with_a_personal_identity_number_is_refused(eco: Economy) -> None:
    made = transaction(eco.centre)
    with pytest.raises(ValidationError):
        services.attest_conflict_declare(
            actor=eco.decider, transaction=made, reason=f"Min bror {PERSONNUMMER}"
        )
    assert not AttestConflict.objects.exists()


def test_a_manager_does_not_attest_a_payment_to_the_manager_above(eco: Economy) -> None:
    boss = manager_of(eco.unit)
    attestant(boss, eco.centre, DECISION)
    head = manager_of(eco.administration)
    expense = transaction(eco.centre, payee=head)
    assert refused(boss, expense)
    refuses(boss, expense)
    # The manager above may take the decision step on the unit manager's own expense.
    attestant(head, eco.centre, DECISION)
    assert not refused(head, transaction(eco.centre, payee=boss))
