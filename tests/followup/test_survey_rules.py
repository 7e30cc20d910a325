"""Role × state grids: who may survey a team or a unit, change and run a survey, and see above the teams."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.organisation.factories import PersonFactory, TeamFactory, UnitFactory
from tillit.followup.models import Survey

from .survey_factories import (
    administrator,
    coach_of,
    development_lead,
    facilitator,
    member_of,
    sent,
    survey,
    team_with_members,
)

pytestmark = pytest.mark.django_db

ROLES = (
    "creator",
    "member_of_the_team",
    "coach_of_the_team",
    "member_of_another_team",
    "coach_of_another_team",
    "facilitator",
    "development_lead",
    "administrator",
    "employee_without_team",
    "inactive_member_of_the_team",
    "inactive_facilitator",
    "anonymous",
)


@pytest.fixture
def world() -> tuple[Survey, dict[str, Any]]:
    team, (creator, *_rest) = team_with_members(5)
    other_team = TeamFactory.create()
    inactive_member = member_of(team)
    inactive_member.is_active = False
    inactive_member.save()
    inactive_facilitator = facilitator()
    inactive_facilitator.is_active = False
    inactive_facilitator.save()
    people = {
        "creator": creator,
        "member_of_the_team": member_of(team),
        "coach_of_the_team": coach_of(team),
        "member_of_another_team": member_of(other_team),
        "coach_of_another_team": coach_of(other_team),
        "facilitator": facilitator(),
        "development_lead": development_lead(),
        "administrator": administrator(),
        "employee_without_team": PersonFactory.create(),
        "inactive_member_of_the_team": inactive_member,
        "inactive_facilitator": inactive_facilitator,
        "anonymous": AnonymousUser(),
    }
    return survey(actor=creator, team=team), people


def fresh(person: Any) -> Any:
    """The person as a new request sees them (the rules cache a person's roles on the object)."""
    if not person.is_authenticated:
        return person
    return type(person).objects.get(pk=person.pk)


def who(people: dict[str, Any], perm: str, obj: Any = None) -> set[str]:
    return {role for role, person in people.items() if fresh(person).has_perm(perm, obj)}


ABOVE = {"facilitator", "development_lead", "administrator"}


def test_survey_team_grid(world: tuple[Survey, dict[str, Any]]) -> None:
    made, people = world
    assert who(people, "followup.survey_team", made.team) == ABOVE | {
        "creator",
        "member_of_the_team",
        "coach_of_the_team",
    }


def test_survey_team_without_a_team_is_only_for_those_above(world: tuple[Survey, dict[str, Any]]) -> None:
    _made, people = world
    assert who(people, "followup.survey_team", None) == ABOVE


def test_survey_unit_grid(world: tuple[Survey, dict[str, Any]]) -> None:
    _made, people = world
    assert who(people, "followup.survey_unit", UnitFactory.create()) == ABOVE
    assert who(people, "followup.survey_unit") == ABOVE


def test_change_survey_grid_before_and_after_sending(world: tuple[Survey, dict[str, Any]]) -> None:
    made, people = world
    assert who(people, "followup.change_survey", made) == {"creator", "administrator"}
    sent(made)
    made.refresh_from_db()
    assert who(people, "followup.change_survey", made) == set()


def test_manage_survey_grid(world: tuple[Survey, dict[str, Any]]) -> None:
    made, people = world
    expected = {"creator", "member_of_the_team", "coach_of_the_team", "administrator"}
    assert who(people, "followup.manage_survey", made) == expected
    sent(made)
    made.refresh_from_db()
    assert who(people, "followup.manage_survey", made) == expected


def test_manage_a_unit_survey_is_for_its_creator_and_administrators() -> None:
    unit = UnitFactory.create()
    team, _members = team_with_members(5, unit=unit)
    maker = facilitator()
    made = survey(actor=maker, unit=unit)
    people = {
        "creator": maker,
        "other_facilitator": facilitator(),
        "administrator": administrator(),
        "member_of_a_team_in_the_unit": member_of(team),
        "coach_of_a_team_in_the_unit": coach_of(team),
    }
    assert who(people, "followup.manage_survey", made) == {"creator", "administrator"}


def test_share_results_grid(world: tuple[Survey, dict[str, Any]]) -> None:
    """Only the team itself shares its results with those above it: never those above."""
    made, people = world
    expected = {"creator", "member_of_the_team", "coach_of_the_team"}
    assert who(people, "followup.share_results", made.team) == expected
    sent(made)
    assert who(people, "followup.share_results", made.team) == expected
    assert who(people, "followup.share_results", None) == set()


def test_see_above_team_grid(world: tuple[Survey, dict[str, Any]]) -> None:
    _made, people = world
    assert who(people, "followup.see_above_team") == ABOVE


@pytest.mark.parametrize("role", ROLES)
def test_view_follow_up_is_for_every_active_person(world: tuple[Survey, dict[str, Any]], role: str) -> None:
    _made, people = world
    expected = role not in {"inactive_member_of_the_team", "inactive_facilitator", "anonymous"}
    assert fresh(people[role]).has_perm("followup.view") is expected
