"""Role × state grid for meetings, and who may keep roles."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tests.decisions.factories import administrator, coach_of, team_with_members
from tests.organisation.factories import PersonFactory
from tillit.teams import services
from tillit.teams.models import Meeting

pytestmark = pytest.mark.django_db

PERMS = ("view_meeting", "add_item", "run_meeting")


@pytest.fixture
def world():
    team, (member, facilitator) = team_with_members(2)
    meeting = services.meeting_plan(
        actor=member, team=team, starts_at=timezone.now(), facilitator=facilitator
    )
    people = {
        "member": member,
        "facilitator": facilitator,
        "coach": coach_of(team),
        "administrator": administrator(),
        "outsider": PersonFactory(),
        "anonymous": AnonymousUser(),
    }
    return team, meeting, people


def grid(meeting, people):
    return {
        role: {p for p in PERMS if person.has_perm(f"teams.{p}", meeting)} for role, person in people.items()
    }


def test_meeting_grid_open_and_closed(world):
    _team, meeting, people = world
    services.meeting_open(actor=people["facilitator"], meeting=meeting)
    assert grid(Meeting.objects.get(pk=meeting.pk), people) == {
        "member": {"view_meeting", "add_item"},
        "facilitator": {"view_meeting", "add_item", "run_meeting"},
        "coach": {"view_meeting"},
        "administrator": {"view_meeting"},
        "outsider": set(),
        "anonymous": set(),
    }
    services.meeting_close(actor=people["facilitator"], meeting=meeting)
    assert grid(Meeting.objects.get(pk=meeting.pk), people) == {
        "member": {"view_meeting"},
        "facilitator": {"view_meeting"},
        "coach": {"view_meeting"},
        "administrator": {"view_meeting"},
        "outsider": set(),
        "anonymous": set(),
    }


def test_who_keeps_roles_and_plans_meetings(world):
    team, _meeting, people = world
    assert {
        role: {p for p in ("manage_roles", "plan_meeting") if person.has_perm(f"teams.{p}", team)}
        for role, person in people.items()
    } == {
        "member": {"manage_roles", "plan_meeting"},
        "facilitator": {"manage_roles", "plan_meeting"},
        "coach": {"manage_roles"},
        "administrator": {"manage_roles"},
        "outsider": set(),
        "anonymous": set(),
    }
