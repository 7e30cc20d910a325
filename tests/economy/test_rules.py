"""Role × permission grids for a team's economy, and role × state grids for who may take a transaction's next
attestation step."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from tests.organisation.factories import PersonFactory, TeamFactory, UnitFactory
from tillit.economy import services
from tillit.economy.models import CostCentre, Transaction
from tillit.economy.selectors import attest_refusal, cost_centre_queryset_for
from tillit.organisation.models import Membership

from .factories import (
    DECISION,
    REVIEW,
    administrator,
    approve,
    attestant,
    cost_centre,
    fresh,
    manager_of,
    member_of,
    reject,
    transaction,
)

pytestmark = pytest.mark.django_db

PERMS = ("view_cost_centre", "plan", "set_budget", "keep_attestants", "import_outcomes", "enter_transaction")
EVERYTHING = set(PERMS)
CENTRE_GRID: dict[str, set[str]] = {
    "team_member": {"view_cost_centre", "plan", "enter_transaction"},
    "team_coach": {"view_cost_centre", "plan", "enter_transaction"},
    "manager_of_the_unit": {"view_cost_centre", "plan", "set_budget", "keep_attestants", "enter_transaction"},
    "manager_of_a_parent_unit": {
        "view_cost_centre",
        "plan",
        "set_budget",
        "keep_attestants",
        "enter_transaction",
    },
    "manager_of_a_child_unit": set(),
    "manager_of_an_unrelated_unit": set(),
    "attestant_outside_the_team": {"view_cost_centre", "enter_transaction"},
    "removed_attestant": set(),
    "member_of_another_team": set(),
    "administrator": EVERYTHING,
    "other_employee": set(),
    "inactive_team_member": set(),
    "inactive_administrator": set(),
    "logged_out": set(),
}
# Whose absence each role may record: their own, a member of team Norr (whose unit the first two managers manage;
# for the team member, the team's coach), and someone outside the organisation's tree.
ABSENCE_GRID: dict[str, tuple[bool, bool, bool]] = {
    "team_member": (True, False, False),
    "team_coach": (True, False, False),
    "manager_of_the_unit": (True, True, False),
    "manager_of_a_parent_unit": (True, True, False),
    "manager_of_a_child_unit": (True, False, False),
    "manager_of_an_unrelated_unit": (True, False, False),
    "attestant_outside_the_team": (True, False, False),
    "removed_attestant": (True, False, False),
    "member_of_another_team": (True, False, False),
    "administrator": (True, True, True),
    "other_employee": (True, False, False),
    "inactive_team_member": (False, False, False),
    "inactive_administrator": (False, False, False),
    "logged_out": (False, False, False),
}


@pytest.fixture
def world() -> tuple[CostCentre, dict[str, Any]]:
    parent = UnitFactory.create(name="Socialförvaltningen")
    unit = UnitFactory.create(name="Barn och familj", parent=parent)
    child = UnitFactory.create(name="Barn och familj, mottagning", parent=unit)
    team = TeamFactory.create(unit=unit)
    centre = cost_centre("1410", team=team)
    other_team = TeamFactory.create()
    outside = PersonFactory.create()
    attestant(outside, centre, REVIEW)
    removed = PersonFactory.create()
    services.attestant_remove(actor=administrator(), attestant=attestant(removed, centre, DECISION))
    inactive_member = member_of(team)
    inactive_admin = administrator()
    for person in (inactive_member, inactive_admin):
        person.is_active = False
        person.save()
    people = {
        "team_member": member_of(team),
        "team_coach": member_of(team, role=Membership.Role.COACH),
        "manager_of_the_unit": manager_of(unit),
        "manager_of_a_parent_unit": manager_of(parent),
        "manager_of_a_child_unit": manager_of(child),
        "manager_of_an_unrelated_unit": manager_of(other_team.unit),
        "attestant_outside_the_team": outside,
        "removed_attestant": removed,
        "member_of_another_team": member_of(other_team),
        "administrator": administrator(),
        "other_employee": PersonFactory.create(),
        "inactive_team_member": inactive_member,
        "inactive_administrator": inactive_admin,
        "logged_out": AnonymousUser(),
    }
    return centre, people


def allowed(person: Any, centre: CostCentre) -> set[str]:
    return {perm for perm in PERMS if person.has_perm(f"economy.{perm}", centre)}


def test_cost_centre_grid(world: tuple[CostCentre, dict[str, Any]]) -> None:
    centre, people = world
    fresh_centre = CostCentre.objects.get(pk=centre.pk)
    assert {role: allowed(person, fresh_centre) for role, person in people.items()} == CENTRE_GRID


def test_the_cost_centres_listed_are_those_one_may_view(world: tuple[CostCentre, dict[str, Any]]) -> None:
    _centre, people = world
    cost_centre("9999", unit=UnitFactory.create())
    for role, person in people.items():
        if role.startswith("inactive"):
            continue  # they cannot log in
        listed = set(cost_centre_queryset_for(person).values_list("code", flat=True))
        expected = {"1410"} if "view_cost_centre" in CENTRE_GRID[role] else set()
        if role == "administrator":
            expected = {"1410", "9999"}
        assert listed == expected, role


@pytest.mark.parametrize(
    ("role", "may_view", "may_import"),
    [
        ("team_member", True, False),
        ("manager_of_the_unit", True, False),
        ("administrator", True, True),
        ("other_employee", True, False),
        ("inactive_team_member", False, False),
        ("logged_out", False, False),
    ],
)
def test_permissions_without_a_cost_centre(
    world: tuple[CostCentre, dict[str, Any]], role: str, may_view: bool, may_import: bool
) -> None:
    person = world[1][role]
    assert person.has_perm("economy.view") is may_view
    assert person.has_perm("economy.import_outcomes") is may_import
    assert person.has_perm("economy.keep_any_attestants") is (role == "administrator")


def test_a_unit_cost_centre_without_a_team_is_for_managers_and_administrators(
    world: tuple[CostCentre, dict[str, Any]],
) -> None:
    """A cost centre of a unit without a team: its managers and administrators only."""
    centre, people = world
    unit_centre = cost_centre("1400", unit=centre.unit)
    seeing = {
        role for role, person in people.items() if person.has_perm("economy.view_cost_centre", unit_centre)
    }
    assert seeing == {"manager_of_the_unit", "manager_of_a_parent_unit", "administrator"}


@pytest.mark.parametrize("role", list(ABSENCE_GRID))
def test_record_absence_grid(world: tuple[CostCentre, dict[str, Any]], role: str) -> None:
    _centre, people = world
    person = people[role]
    someone_managed = people["team_member"] if role != "team_member" else people["team_coach"]
    someone_else = PersonFactory.create()
    subjects = (person if person.is_authenticated else people["team_member"], someone_managed, someone_else)
    assert tuple(person.has_perm("economy.record_absence", s) for s in subjects) == ABSENCE_GRID[role]


# Who may take the next step, by the transaction's state.

STEP_PEOPLE = ("decision_attestant", "review_attestant", "decision_taker", "payee", "outsider")
# In each state: who may take the next step. The decision taker is a decision attestant who took the decision
# step (in the states before that step, one who has not yet); the payee is a review attestant paid by the expense.
STATE_GRID: dict[str, set[str]] = {
    "awaiting_decision": {"decision_attestant", "decision_taker"},
    "awaiting_review": {"decision_attestant", "review_attestant"},
    "attested": set(),
    "rejected": set(),
}


@pytest.fixture
def step_world() -> tuple[CostCentre, dict[str, Any]]:
    team = TeamFactory.create()
    centre = cost_centre("1410", team=team)
    people = {
        "decision_attestant": member_of(team),
        "review_attestant": member_of(team),
        "decision_taker": member_of(team),
        "payee": member_of(team),
        "outsider": PersonFactory.create(),
        "second_reviewer": member_of(team),
    }
    for role in ("decision_attestant", "decision_taker"):
        attestant(people[role], centre, DECISION)
    for role in ("review_attestant", "payee", "second_reviewer"):
        attestant(people[role], centre, REVIEW)
    return centre, people


def in_state(centre: CostCentre, people: dict[str, Any], state: str) -> Transaction:
    made = transaction(centre, payee=people["payee"])
    if state == "awaiting_decision":
        return made
    if state == "rejected":
        reject(people["decision_taker"], made)
        return fresh(made)
    approve(people["decision_taker"], made)
    if state == "attested":
        approve(people["second_reviewer"], fresh(made))
    return fresh(made)


@pytest.mark.parametrize("state", list(STATE_GRID))
def test_who_may_take_the_next_step_by_state(
    step_world: tuple[CostCentre, dict[str, Any]], state: str
) -> None:
    centre, people = step_world
    made = in_state(centre, people, state)
    assert made.status == state
    may = {role for role in STEP_PEOPLE if attest_refusal(people[role], made) is None}
    assert may == STATE_GRID[state]


@pytest.mark.parametrize(
    ("state", "role", "may"),
    [(state, role, role in STATE_GRID[state]) for state in STATE_GRID for role in STEP_PEOPLE],
)
def test_the_service_follows_the_grid(
    step_world: tuple[CostCentre, dict[str, Any]], state: str, role: str, may: bool
) -> None:
    centre, people = step_world
    made = in_state(centre, people, state)
    if may:
        approve(people[role], made)
        assert fresh(made).status != state
    else:
        with pytest.raises(ValidationError):
            approve(people[role], made)
        assert fresh(made).status == state
