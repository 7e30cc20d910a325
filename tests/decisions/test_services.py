import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from tests.organisation.factories import PersonFactory
from tillit.core.models import HistoryEntry
from tillit.decisions import selectors, services
from tillit.decisions.models import Decision, Mandate, MandateVersion, Proposal, Response

from .factories import CommitteeFactory, administrator, mandate, proposal, team_with_members

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in English; the Swedish ones are checked in test_views."""
    with translation.override("en"):
        yield


@pytest.fixture
def team():
    return team_with_members(4)


def messages_of(error):
    return " ".join(error.value.messages)


def test_a_matter_that_may_not_be_delegated_is_refused_with_the_law(team):
    team, (anna, *_rest) = team
    with pytest.raises(ValidationError) as error:
        mandate(team, anna, category=Mandate.Category.GOALS, matter="Verksamhetens mål för 2027")
    assert "6 kap. 38 § KL" in messages_of(error)
    # The matter's own words are enough, whatever kind was chosen.
    with pytest.raises(ValidationError):
        mandate(team, anna, matter="Yttrande till kommunfullmäktige om äldreplanen")
    assert not Mandate.objects.exists()


def test_a_mandate_never_names_a_group(team):
    team, (anna, *_rest) = team
    with pytest.raises(ValidationError) as error:
        mandate(team, team)
    assert "6 kap. 37 § KL" in messages_of(error)
    with pytest.raises(ValidationError):
        mandate(team, anna, delegate_role="Hela teamet")
    assert not Mandate.objects.exists()
    created = mandate(team, anna)
    assert created.version == 1
    assert MandateVersion.objects.get(mandate=created).content["delegate_id"] == anna.pk


def test_consent_amended_until_no_objection_then_the_delegate_decides(team):
    team, (anna, bo, cia, dan) = team
    order = mandate(team, cia, deputy=dan)
    made = proposal(team, anna, mandate=order, amount=30000)
    services.proposal_respond(actor=bo, proposal=made, position=Response.Position.CONSENT)
    with pytest.raises(ValidationError) as error:
        services.proposal_respond(actor=dan, proposal=made, position=Response.Position.OBJECT)
    assert "reason" in messages_of(error)
    services.proposal_respond(
        actor=dan, proposal=made, position=Response.Position.OBJECT, reason="Vi behöver skydd för skärmen."
    )
    with pytest.raises(ValidationError) as error:
        services.proposal_decide(actor=cia, proposal=made, outcome="Vi köper sex surfplattor.")
    assert "objection" in messages_of(error)
    with pytest.raises(ValidationError):
        services.proposal_amend(actor=bo, proposal=made, reason="x", background="Annat")
    services.proposal_amend(
        actor=anna,
        proposal=made,
        reason="Skydd och fodral ingår nu.",
        background="Vi köper surfplattor med skyddsfodral.",
    )
    made.refresh_from_db()
    assert made.version == 2
    assert services.standing_objections(made) == []
    # Only the named delegate decides; a member who is not the delegate is told who does.
    with pytest.raises(ValidationError) as error:
        services.proposal_decide(actor=anna, proposal=made, outcome="Vi köper.")
    assert cia.full_name in messages_of(error)
    decision = services.proposal_decide(
        actor=cia,
        proposal=made,
        outcome="Vi köper sex surfplattor med fodral.",
        review_on=timezone.localdate() + datetime.timedelta(days=90),
    )
    assert decision.number == f"{timezone.localdate().year}-0001"
    assert decision.decided_by == cia and not decision.as_deputy
    assert decision.is_delegated and decision.mandate_version == 1
    made.refresh_from_db()
    assert made.status == Proposal.Status.DECIDED
    assert [v.number for v in made.versions.all()] == [1]
    assert HistoryEntry.objects.filter(action="decision.made", object_id=str(decision.pk)).exists()
    with pytest.raises(ValidationError):
        services.proposal_respond(actor=bo, proposal=made, position=Response.Position.CONSENT)


def test_a_changed_response_keeps_its_history(team):
    team, (anna, bo, *_rest) = team
    made = proposal(team, anna)
    services.proposal_respond(actor=bo, proposal=made, position=Response.Position.OBJECT, reason="För dyrt")
    services.proposal_respond(actor=bo, proposal=made, position=Response.Position.CONSENT)
    responses = list(Response.objects.filter(person=bo).order_by("pk"))
    assert [(r.position, r.current) for r in responses] == [("object", False), ("consent", True)]
    assert services.standing_objections(made) == []


def test_a_declared_conflict_stops_responding_and_deciding_and_the_deputy_decides(team):
    team, (anna, _bo, cia, dan) = team
    order = mandate(team, cia, deputy=dan)
    made = proposal(team, anna, mandate=order)
    services.proposal_respond(actor=cia, proposal=made, position=Response.Position.CONSENT)
    services.conflict_declare(actor=cia, proposal=made, reason="Min bror säljer surfplattorna.")
    assert not Response.objects.filter(person=cia, current=True).exists()
    with pytest.raises(ValidationError):
        services.proposal_respond(actor=cia, proposal=made, position=Response.Position.CONSENT)
    with pytest.raises(ValidationError) as error:
        services.proposal_decide(actor=cia, proposal=made, outcome="Vi köper.")
    assert "conflict of interest" in messages_of(error)
    decision = services.proposal_decide(actor=dan, proposal=made, outcome="Vi köper.")
    assert decision.as_deputy and decision.decided_by == dan


def test_an_amount_above_the_mandate_is_refused(team):
    team, (anna, _bo, cia, _dan) = team
    order = mandate(team, cia, amount_limit=50000)
    with pytest.raises(ValidationError) as error:
        proposal(team, anna, mandate=order, amount=75000)
    assert "50" in messages_of(error)
    assert not Proposal.objects.exists()


def test_only_members_propose_and_only_the_team_or_its_units_mandates(team):
    team, (anna, *_rest) = team
    other, (olle, *_others) = team_with_members(1)
    with pytest.raises(ValidationError):
        proposal(team, olle)
    foreign = mandate(other, olle)
    with pytest.raises(ValidationError):
        proposal(team, anna, mandate=foreign)


def test_a_decision_is_amended_by_a_new_version_never_edited(team):
    team, (anna, *_rest) = team
    made = proposal(team, anna, process=Proposal.Process.ADVICE)
    first = services.proposal_decide(actor=anna, proposal=made, outcome="Vi provar i tre månader.")
    second = services.decision_amend(
        actor=anna, decision=first, outcome="Vi provar i sex månader.", reason="Längre prov."
    )
    first.refresh_from_db()
    assert first.outcome == "Vi provar i tre månader."
    assert (second.number, second.version, second.replaces) == (first.number, 2, first)
    assert list(selectors.register_for(user=anna, filters=selectors.RegisterFilter())) == [second]
    with pytest.raises(ValidationError):
        services.decision_amend(actor=anna, decision=first, outcome="Igen", reason="x")


def test_the_committee_report_lists_delegated_decisions_and_marks_them_reported(team):
    team, (anna, bo, cia, _dan) = team
    committee = CommitteeFactory()
    delegated = mandate(team, cia, committee=committee)
    execution = mandate(
        team,
        cia,
        committee=committee,
        number="3.3",
        kind=Mandate.Kind.EXECUTION,
        matter="Beställa förbrukningsmaterial",
    )
    today = timezone.localdate()
    for order in (delegated, execution):
        made = proposal(team, anna, mandate=order, process=Proposal.Process.VOTE)
        services.proposal_respond(actor=bo, proposal=made, position=Response.Position.AGREE)
        services.proposal_decide(actor=cia, proposal=made, outcome=f"Beslut om {order.matter}")
    listed = list(services.reportable(committee, today.replace(day=1), today))
    assert [d.mandate for d in listed] == [delegated]
    report = services.report_make(
        actor=administrator(),
        committee=committee,
        period_start=today.replace(day=1),
        period_end=today,
        reported_on=today,
    )
    assert list(report.decisions.all()) == listed
    with pytest.raises(ValidationError):
        services.report_make(
            actor=anna, committee=committee, period_start=today, period_end=today, reported_on=today
        )


def test_changing_a_mandate_is_a_proposal_and_a_new_version(team):
    team, (anna, bo, cia, _dan) = team
    keeper = administrator()
    order = mandate(team, cia, actor=keeper)
    with pytest.raises(ValidationError):
        services.mandate_change_propose(
            actor=anna,
            mandate=order,
            in_team=team,
            background="Bo tar över",
            deadline=timezone.now() + datetime.timedelta(days=3),
            delegate=team,
        )
    change = services.mandate_change_propose(
        actor=anna,
        mandate=order,
        in_team=team,
        background="Bo tar över budgetrollen.",
        deadline=timezone.now() + datetime.timedelta(days=3),
        delegate=bo,
    )
    order.refresh_from_db()
    assert order.delegate == cia  # nothing changes before the decision
    with pytest.raises(ValidationError):
        services.proposal_decide(actor=cia, proposal=change, outcome="Ja")
    services.proposal_decide(actor=keeper, proposal=change, outcome="Bo är delegat från i dag.")
    order.refresh_from_db()
    assert (order.delegate, order.version) == (bo, 2)
    assert [v.number for v in order.versions.all()] == [2, 1]


def test_hidden_responses_show_once_you_have_responded(team):
    team, (anna, bo, cia, _dan) = team
    made = proposal(team, anna, hide_results=True)
    services.proposal_respond(actor=bo, proposal=made, position=Response.Position.CONSENT)
    assert not selectors.tally(made, cia).visible
    services.proposal_respond(actor=cia, proposal=made, position=Response.Position.CONSENT)
    tally = selectors.tally(made, cia)
    assert tally.visible
    assert tally.counts[0][1] == 2  # consent


def test_advice_is_asked_outside_the_team_and_the_proposer_decides(team):
    team, (anna, bo, *_rest) = team
    expert = PersonFactory(full_name="Erik Expert")
    made = proposal(team, anna, process=Proposal.Process.ADVICE, advisers=[expert])
    assert expert.has_perm("decisions.respond", made)
    services.proposal_respond(
        actor=expert, proposal=made, position=Response.Position.ADVICE, reason="Fråga IT om MDM."
    )
    with pytest.raises(ValidationError):
        services.proposal_decide(actor=bo, proposal=made, outcome="Vi köper.")
    decision = services.proposal_decide(actor=anna, proposal=made, outcome="Vi köper, med MDM.")
    assert decision.mandate is None
    assert Decision.objects.count() == 1


def test_a_vote_scores_the_options_and_the_tally_ranks_them(team):
    team, (anna, bo, cia, dan) = team
    made = proposal(team, anna, process=Proposal.Process.VOTE, options="Onsdag\nFredag")
    services.proposal_respond(
        actor=bo, proposal=made, position=Response.Position.AGREE, scores={"Onsdag": 2, "Fredag": 5}
    )
    services.proposal_respond(
        actor=cia, proposal=made, position=Response.Position.AGREE, scores={"Onsdag": 4, "Fredag": 4}
    )
    with pytest.raises(ValidationError):
        services.proposal_respond(
            actor=dan, proposal=made, position=Response.Position.AGREE, scores={"Onsdag": 9}
        )
    with pytest.raises(ValidationError):
        services.proposal_respond(
            actor=dan, proposal=made, position=Response.Position.AGREE, scores={"Lördag": 1}
        )
    assert selectors.tally(made, anna).scores == [("Fredag", 9, 2, 4.5), ("Onsdag", 6, 2, 3.0)]
