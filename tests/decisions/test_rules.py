"""Role × state grids: who may see and do what with proposals, decisions, mandates and reports."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.organisation.factories import PersonFactory
from tillit.decisions import services
from tillit.decisions.models import Proposal

from .factories import administrator, coach_of, mandate, proposal, team_with_members

pytestmark = pytest.mark.django_db

PROPOSAL_PERMS = ("view_proposal", "respond", "amend", "withdraw", "declare_conflict", "decide")

# For a consent proposal under a mandate whose delegate is not in the team.
OPEN_GRID = {
    "proposer": {"view_proposal", "respond", "amend", "withdraw", "declare_conflict"},
    "member": {"view_proposal", "respond", "declare_conflict"},
    "member_with_conflict": {"view_proposal"},
    "coach": {"view_proposal", "declare_conflict"},
    "delegate": {"view_proposal", "declare_conflict", "decide"},
    "administrator": {"view_proposal", "declare_conflict"},
    "outsider": set(),
    "anonymous": set(),
}
DECIDED_GRID = {role: {"view_proposal"} & perms for role, perms in OPEN_GRID.items()}


@pytest.fixture
def world():
    team, (proposer, member, conflicted) = team_with_members(3)
    delegate = PersonFactory(full_name="Dora Delegat")
    made = proposal(team, proposer, mandate=mandate(team, delegate))
    services.conflict_declare(actor=conflicted, proposal=made, reason="Nära anhörig berörs.")
    people = {
        "proposer": proposer,
        "member": member,
        "member_with_conflict": conflicted,
        "coach": coach_of(team),
        "delegate": delegate,
        "administrator": administrator(),
        "outsider": PersonFactory(),
        "anonymous": AnonymousUser(),
    }
    return made, people


def allowed(person, obj):
    return {perm for perm in PROPOSAL_PERMS if person.has_perm(f"decisions.{perm}", obj)}


def test_open_proposal_grid(world):
    made, people = world
    assert {role: allowed(person, made) for role, person in people.items()} == OPEN_GRID


def test_decided_proposal_grid(world):
    made, people = world
    services.proposal_decide(actor=people["delegate"], proposal=made, outcome="Ja.")
    made = Proposal.objects.get(pk=made.pk)
    assert {role: allowed(person, made) for role, person in people.items()} == DECIDED_GRID


def test_withdrawn_proposal_grid(world):
    made, people = world
    services.proposal_withdraw(actor=people["proposer"], proposal=made)
    made = Proposal.objects.get(pk=made.pk)
    assert {role: allowed(person, made) for role, person in people.items()} == DECIDED_GRID


def test_register_mandates_and_reports_grid(world):
    made, people = world
    team = made.team
    grid = {
        role: {
            perm
            for perm, obj in (
                ("view_register", None),
                ("view_mandates", None),
                ("manage_mandates", None),
                ("report", None),
                ("propose", team),
            )
            if person.has_perm(f"decisions.{perm}", obj)
        }
        for role, person in people.items()
    }
    everyone = {"view_register", "view_mandates"}
    assert grid == {
        "proposer": everyone | {"propose"},
        "member": everyone | {"propose"},
        "member_with_conflict": everyone | {"propose"},
        "coach": everyone,
        "delegate": everyone,
        "administrator": everyone | {"manage_mandates", "report"},
        "outsider": everyone,
        "anonymous": set(),
    }


def test_decision_grid_newest_and_replaced(world):
    made, people = world
    first = services.proposal_decide(actor=people["delegate"], proposal=made, outcome="Ja.")
    newest = {role for role, person in people.items() if person.has_perm("decisions.amend_decision", first)}
    assert newest == {"delegate"}
    second = services.decision_amend(
        actor=people["delegate"], decision=first, outcome="Ja, till mars.", reason="Kortare."
    )
    assert {
        role for role, person in people.items() if person.has_perm("decisions.amend_decision", first)
    } == set()
    assert {
        role for role, person in people.items() if person.has_perm("decisions.amend_decision", second)
    } == {"delegate"}
    viewers = {role for role, person in people.items() if person.has_perm("decisions.view_register")}
    assert viewers == set(people) - {"anonymous"}


def test_mandate_grid_in_force_and_ended(world):
    made, people = world
    order = made.mandate

    def grid(mandate):
        return {
            role: {
                p
                for p in ("propose_mandate_change", "manage_mandates")
                if person.has_perm(f"decisions.{p}", mandate)
            }
            for role, person in people.items()
        }

    in_force = {
        "proposer": {"propose_mandate_change"},
        "member": {"propose_mandate_change"},
        "member_with_conflict": {"propose_mandate_change"},
        "coach": set(),
        "delegate": set(),
        "administrator": {"manage_mandates"},
        "outsider": set(),
        "anonymous": set(),
    }
    assert grid(order) == in_force
    services.mandate_end(actor=people["administrator"], mandate=order)
    order.refresh_from_db()
    assert grid(order) == {role: perms - {"propose_mandate_change"} for role, perms in in_force.items()}
