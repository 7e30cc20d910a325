"""Role grids: who may run the panel, invite it for a team, see the inbox and handle a resident's feedback; and
the inbox lists exactly the feedback the person may handle."""

import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.organisation.factories import PersonFactory, TeamFactory, UnitFactory
from tillit.citizens.models import Feedback
from tillit.organisation.models import Membership

from .factories import administrator, feedback, manager, team_member

pytestmark = pytest.mark.django_db

ROLES = (
    "member_of_the_team",
    "coach_of_the_team",
    "manager_of_the_teams_unit",
    "manager_of_a_parent_unit",
    "manager_of_the_whole_municipality",
    "unrelated_manager",
    "member_of_another_team",
    "employee_without_team",
    "inactive_member_of_the_team",
    "administrator",
    "logged_out",
)

GRID: dict[str, set[str]] = {
    "member_of_the_team": {"invite", "handle_feedback", "view_inbox"},
    "coach_of_the_team": {"invite", "handle_feedback", "view_inbox"},
    "manager_of_the_teams_unit": {"handle_feedback", "view_inbox"},
    "manager_of_a_parent_unit": {"handle_feedback", "view_inbox"},
    "manager_of_the_whole_municipality": {"handle_feedback", "view_inbox"},
    "unrelated_manager": {"view_inbox"},
    "member_of_another_team": {"view_inbox"},
    "employee_without_team": {"view_inbox"},
    "inactive_member_of_the_team": set(),
    "administrator": {"manage_panel", "invite", "handle_feedback", "view_inbox"},
    "logged_out": set(),
}


@pytest.fixture
def world() -> dict[str, Any]:
    """Förvaltningen → Område Norr → team Norr (and team Unga further down); Område Söder → team Söder; and an
    unrelated administration with its own team."""
    administration = UnitFactory.create(name="Socialförvaltningen")
    area = UnitFactory.create(name="Område Norr", parent=administration)
    below = UnitFactory.create(name="Ungdomsenheten", parent=area)
    south = UnitFactory.create(name="Område Söder", parent=administration)
    elsewhere = UnitFactory.create(name="Skolförvaltningen")
    teams = {
        "norr": TeamFactory.create(name="Team Norr", unit=area),
        "unga": TeamFactory.create(name="Team Unga", unit=below),
        "soder": TeamFactory.create(name="Team Söder", unit=south),
        "skola": TeamFactory.create(name="Team Skola", unit=elsewhere),
    }
    inactive = team_member(teams["norr"])
    inactive.is_active = False
    inactive.save()
    people = {
        "member_of_the_team": team_member(teams["norr"]),
        "coach_of_the_team": team_member(teams["norr"], role=Membership.Role.COACH),
        "manager_of_the_teams_unit": manager(area),
        "manager_of_a_parent_unit": manager(administration),
        "manager_of_the_whole_municipality": manager(None),
        "unrelated_manager": manager(elsewhere),
        "member_of_another_team": team_member(teams["skola"]),
        "employee_without_team": PersonFactory.create(),
        "inactive_member_of_the_team": inactive,
        "administrator": administrator(),
        "logged_out": AnonymousUser(),
    }
    made = {name: feedback(team, text=f"Synpunkt till {team.name}.") for name, team in teams.items()}
    return {"teams": teams, "people": people, "feedback": made}


def allowed(person: Any, team: Any, made: Feedback) -> set[str]:
    checks = {
        "manage_panel": person.has_perm("citizens.manage_panel"),
        "invite": person.has_perm("citizens.invite", team),
        "handle_feedback": person.has_perm("citizens.handle_feedback", made),
        "view_inbox": person.has_perm("citizens.view_inbox"),
    }
    return {name for name, yes in checks.items() if yes}


def test_the_grid_for_feedback_to_team_norr(world: dict[str, Any]) -> None:
    team, made = world["teams"]["norr"], world["feedback"]["norr"]
    assert {role: allowed(world["people"][role], team, made) for role in ROLES} == GRID


def test_nobody_handles_no_feedback_and_a_team_member_does_not_invite_for_no_team(
    world: dict[str, Any],
) -> None:
    people = world["people"]
    assert [role for role in ROLES if people[role].has_perm("citizens.handle_feedback", None)] == [
        "administrator"
    ]
    assert [role for role in ROLES if people[role].has_perm("citizens.invite", None)] == ["administrator"]


def test_a_member_of_one_team_neither_invites_for_nor_handles_another(world: dict[str, Any]) -> None:
    member = world["people"]["member_of_the_team"]
    for name in ("unga", "soder", "skola"):
        assert not member.has_perm("citizens.invite", world["teams"][name])
        assert not member.has_perm("citizens.handle_feedback", world["feedback"][name])


# Who handles which: the manager of a unit handles its teams and the teams of units below it.
HANDLES: dict[str, set[str]] = {
    "member_of_the_team": {"norr"},
    "coach_of_the_team": {"norr"},
    "manager_of_the_teams_unit": {"norr", "unga"},
    "manager_of_a_parent_unit": {"norr", "unga", "soder"},
    "manager_of_the_whole_municipality": {"norr", "unga", "soder", "skola"},
    "unrelated_manager": {"skola"},
    "member_of_another_team": {"skola"},
    "employee_without_team": set(),
    "administrator": {"norr", "unga", "soder", "skola"},
}


@pytest.mark.parametrize("role", list(HANDLES))
def test_the_inbox_lists_exactly_the_feedback_the_person_may_handle(
    client: Any, world: dict[str, Any], role: str
) -> None:
    person = world["people"][role]
    made = world["feedback"]
    may = {name for name, item in made.items() if person.has_perm("citizens.handle_feedback", item)}
    assert may == HANDLES[role]
    client.force_login(person)
    response = client.get("/synpunkter/?status=all")
    assert response.status_code == 200
    listed = {int(pk) for pk in re.findall(r'href="/synpunkter/(\d+)/"', response.content.decode())}
    assert listed == {made[name].pk for name in HANDLES[role]}
    for name, item in made.items():
        expected = 200 if name in HANDLES[role] else 403
        assert client.get(f"/synpunkter/{item.pk}/").status_code == expected, name


def test_the_inbox_and_the_staff_pages_need_a_login(client: Any, world: dict[str, Any]) -> None:
    made = world["feedback"]["norr"]
    for url in (
        "/synpunkter/",
        f"/synpunkter/{made.pk}/",
        f"/synpunkter/{made.pk}/forslag/",
        "/synpunkter/inbjudan/",
        "/synpunkter/panelen/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/logga-in/"), url
