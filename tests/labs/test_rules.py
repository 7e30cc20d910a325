"""Role × state grids: who may see and run labs and initiatives, and who may assess ideas."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.organisation.factories import PersonFactory, TeamFactory
from tillit.labs import services
from tillit.labs.models import Initiative

from .factories import (
    administrator,
    development_lead,
    ended,
    facilitator,
    initiative,
    researcher,
    team_member,
)

pytestmark = pytest.mark.django_db

PERMS = (
    "view_internal",
    "manage",
    "view_initiative",
    "change_initiative",
    "publish_initiative",
    "assess_ideas",
)
RUNS = {"view_internal", "manage", "view_initiative", "change_initiative", "publish_initiative"}

UNPUBLISHED_GRID: dict[str, set[str]] = {
    "administrator": RUNS | {"assess_ideas"},
    "development_lead": RUNS | {"assess_ideas"},
    "researcher": RUNS,
    "facilitator": {"view_internal", "view_initiative"},
    "member_of_initiative_team": {"view_internal", "view_initiative", "change_initiative"},
    "coach_of_initiative_team": {"view_internal", "view_initiative", "change_initiative"},
    "member_of_another_team": {"view_internal", "view_initiative"},
    "employee_without_team": {"view_internal", "view_initiative"},
    "inactive_member_of_initiative_team": set(),
    "inactive_development_lead": set(),
    "anonymous": set(),
}
# Published, anyone may read it, even without an account; nothing else changes.
PUBLISHED_GRID = {role: perms | {"view_initiative"} for role, perms in UNPUBLISHED_GRID.items()}


@pytest.fixture
def world() -> tuple[Initiative, dict[str, Any]]:
    team, other_team = TeamFactory.create(), TeamFactory.create()
    lead = development_lead()
    made = initiative(actor=lead, teams=[team])
    inactive_member = team_member(team)
    inactive_member.is_active = False
    inactive_member.save()
    inactive_lead = development_lead()
    inactive_lead.is_active = False
    inactive_lead.save()
    people = {
        "administrator": administrator(),
        "development_lead": lead,
        "researcher": researcher(),
        "facilitator": facilitator(),
        "member_of_initiative_team": team_member(team),
        "coach_of_initiative_team": team_member(team, role="coach"),
        "member_of_another_team": team_member(other_team),
        "employee_without_team": PersonFactory.create(),
        "inactive_member_of_initiative_team": inactive_member,
        "inactive_development_lead": inactive_lead,
        "anonymous": AnonymousUser(),
    }
    return made, people


def allowed(person: Any, obj: Initiative) -> set[str]:
    return {perm for perm in PERMS if person.has_perm(f"labs.{perm}", obj)}


def grid(made: Initiative, people: dict[str, Any]) -> dict[str, set[str]]:
    fresh = Initiative.objects.get(pk=made.pk)
    return {role: allowed(person, fresh) for role, person in people.items()}


def test_unpublished_initiative_grid(world: tuple[Initiative, dict[str, Any]]) -> None:
    made, people = world
    assert grid(made, people) == UNPUBLISHED_GRID


def test_published_initiative_grid(world: tuple[Initiative, dict[str, Any]]) -> None:
    made, people = world
    services.initiative_publish(actor=people["development_lead"], initiative=made, published=True)
    assert grid(made, people) == PUBLISHED_GRID


def test_ended_published_initiative_grid(world: tuple[Initiative, dict[str, Any]]) -> None:
    made, people = world
    ended(made)
    services.initiative_publish(actor=people["development_lead"], initiative=made, published=True)
    assert grid(made, people) == PUBLISHED_GRID


def test_taken_out_of_the_portfolio_it_is_internal_again(world: tuple[Initiative, dict[str, Any]]) -> None:
    made, people = world
    lead = people["development_lead"]
    services.initiative_publish(actor=lead, initiative=made, published=True)
    services.initiative_publish(actor=lead, initiative=made, published=False)
    assert grid(made, people) == UNPUBLISHED_GRID


@pytest.mark.parametrize(
    ("role", "manages", "assesses"),
    [
        ("administrator", True, True),
        ("development_lead", True, True),
        ("researcher", True, False),
        ("facilitator", False, False),
        ("member_of_initiative_team", False, False),
        ("coach_of_initiative_team", False, False),
        ("member_of_another_team", False, False),
        ("anonymous", False, False),
    ],
)
def test_running_labs_and_assessing_ideas_without_an_object(
    world: tuple[Initiative, dict[str, Any]], role: str, manages: bool, assesses: bool
) -> None:
    _made, people = world
    person = people[role]
    assert person.has_perm("labs.manage") is manages
    assert person.has_perm("labs.assess_ideas") is assesses


def test_a_team_joining_or_leaving_the_initiative_changes_who_may_edit_it(
    world: tuple[Initiative, dict[str, Any]],
) -> None:
    made, people = world
    outsider = people["member_of_another_team"]
    other_team = outsider.memberships.get().team
    lead = people["development_lead"]
    assert not outsider.has_perm("labs.change_initiative", made)
    services.initiative_update(actor=lead, initiative=made, teams=[*made.teams.all(), other_team])
    assert outsider.has_perm("labs.change_initiative", made)
    services.initiative_update(actor=lead, initiative=made, teams=[])
    assert not people["member_of_initiative_team"].has_perm("labs.change_initiative", made)
    assert not outsider.has_perm("labs.change_initiative", made)


def test_no_initiative_is_changed_by_anyone_but_those_who_run_labs(
    world: tuple[Initiative, dict[str, Any]],
) -> None:
    _made, people = world
    may_change_an_unsaved = {
        role for role, person in people.items() if person.has_perm("labs.change_initiative", None)
    }
    assert may_change_an_unsaved == {"administrator", "development_lead", "researcher"}
