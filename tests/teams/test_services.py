import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from tests.decisions.factories import team_with_members
from tests.organisation.factories import PersonFactory
from tillit.decisions import services as decisions
from tillit.decisions.models import Decision, Response
from tillit.teams import services
from tillit.teams.models import Meeting, RoleHolder

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def team():
    return team_with_members(3)


def soon():
    return timezone.now() + datetime.timedelta(days=3)


def test_a_role_from_a_template_and_a_holder_chosen_by_consent(team):
    team, (anna, bo, cia) = team
    role = services.role_create(actor=anna, team=team, template="budget", term_months=12)
    assert role.name == "Budget keeper" and "forecast" in role.accountabilities
    proposal = services.role_holder_propose(
        actor=anna, role=role, person=bo, starts_on=datetime.date(2026, 1, 31), deadline=soon()
    )
    assert not RoleHolder.objects.exists()  # nothing before the team has consented
    decisions.proposal_respond(actor=cia, proposal=proposal, position=Response.Position.CONSENT)
    decision = decisions.proposal_decide(actor=cia, proposal=proposal, outcome="Bo är budgetansvarig.")
    holder = RoleHolder.objects.get()
    assert (holder.person, holder.decision) == (bo, decision)
    assert (holder.starts_on, holder.ends_on) == (datetime.date(2026, 1, 31), datetime.date(2027, 1, 30))
    with pytest.raises(ValidationError):
        services.role_holder_propose(
            actor=anna, role=role, person=bo, starts_on=timezone.localdate(), deadline=soon()
        )


def test_holders_are_members_and_ended_terms_stay(team):
    team, (anna, bo, _cia) = team
    role = services.role_create(actor=anna, team=team, name="Planering", purpose="Schemat håller.")
    with pytest.raises(ValidationError):
        services.role_holder_propose(
            actor=anna, role=role, person=PersonFactory(), starts_on=timezone.localdate(), deadline=soon()
        )
    holder = RoleHolder.objects.create(
        role=role,
        person=bo,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    assert holder.ends_within(30)
    services.role_holder_end(actor=anna, holder=holder)
    holder.refresh_from_db()
    assert not holder.current and RoleHolder.objects.count() == 1
    with pytest.raises(ValidationError):
        services.role_holder_end(actor=anna, holder=holder)


def test_a_meeting_from_approval_to_minutes_decision_and_actions(team):
    team, (anna, bo, cia) = team
    meeting = services.meeting_plan(actor=anna, team=team, starts_at=timezone.now(), facilitator=bo)
    with pytest.raises(ValidationError):
        services.meeting_open(actor=anna, meeting=meeting)  # only the facilitator
    with pytest.raises(ValidationError):
        services.meeting_approve_previous_minutes(actor=bo, meeting=meeting)  # not open yet
    services.meeting_open(actor=bo, meeting=meeting)
    services.meeting_approve_previous_minutes(actor=bo, meeting=meeting)
    inform = services.agenda_item_add(
        actor=cia, meeting=meeting, title="Nytt journalsystem", purpose="inform", minutes=5
    )
    decide = services.agenda_item_add(
        actor=anna, meeting=meeting, title="Lunch på onsdagar", purpose="decide"
    )
    with pytest.raises(ValidationError):
        services.agenda_item_add(
            actor=PersonFactory(), meeting=meeting, title="Utomstående", purpose="inform"
        )
    assert [i.order for i in meeting.items.all()] == [1, 2]
    services.agenda_item_record(actor=bo, item=inform, notes="Systemet byts i mars.")
    with pytest.raises(ValidationError):
        services.agenda_item_decide(actor=bo, item=inform, outcome="x")
    decision = services.agenda_item_decide(
        actor=bo, item=decide, outcome="Vi äter lunch tillsammans på onsdagar."
    )
    assert decision.proposal.created_by == anna and decision.decided_by == bo and decision.mandate is None
    action = services.action_add(
        actor=bo, team=team, item=inform, text="Boka utbildning", owner=cia, due_on=timezone.localdate()
    )
    services.meeting_close(actor=bo, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED and meeting.previous_minutes_approved
    with pytest.raises(ValidationError):
        services.agenda_item_add(actor=cia, meeting=meeting, title="För sent", purpose="inform")
    services.action_done(actor=cia, action=action)
    action.refresh_from_db()
    assert action.done_at is not None
    assert Decision.objects.count() == 1
