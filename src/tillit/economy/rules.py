"""Who may see and do what with a team's economy. The grids are in tests/economy/test_rules.py.

A cost centre's figures are open to those who work with it: its team (members and coaches), the managers of its
unit and above, its attestants and administrators. The team keeps its own forecast and explains its
deviations; managers and administrators set the budget and keep the list of attestants; administrators (the
economy office) import the outcomes. Who may attest a given transaction is not a permission but the attestation
rules, in economy.selectors.attest_refusal."""

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from tillit.economy.models import Attestant, CostCentre
from tillit.organisation.models import Membership
from tillit.organisation.rules import is_active_person, is_administrator
from tillit.organisation.selectors import manages_unit, superior_ids


@predicate
def works_in_team(user: Any, centre: CostCentre | None) -> bool:
    return bool(
        centre is not None
        and centre.team_id
        and is_active_person(user)
        and Membership.objects.filter(team_id=centre.team_id, person=user).exists()
    )


@predicate
def manages_cost_centre(user: Any, centre: CostCentre | None) -> bool:
    return centre is not None and is_active_person(user) and manages_unit(user, centre.unit)


@predicate
def attests_for(user: Any, centre: CostCentre | None) -> bool:
    return (
        centre is not None
        and is_active_person(user)
        and Attestant.objects.filter(cost_centre=centre, person=user, removed_at__isnull=True).exists()
    )


add_perm("economy.view", is_active_person)
add_perm("economy.view_cost_centre", is_administrator | manages_cost_centre | works_in_team | attests_for)
add_perm("economy.plan", is_administrator | manages_cost_centre | works_in_team)
add_perm("economy.set_budget", is_administrator | manages_cost_centre)
add_perm("economy.keep_attestants", is_administrator | manages_cost_centre)
add_perm("economy.keep_any_attestants", is_administrator)
add_perm("economy.import_outcomes", is_administrator)
add_perm("economy.enter_transaction", is_administrator | manages_cost_centre | works_in_team | attests_for)


@predicate
def is_self_or_superior(user: Any, person: Any) -> bool:
    return bool(
        person is not None
        and is_active_person(user)
        and (person.pk == user.pk or user.pk in superior_ids(person))
    )


add_perm("economy.record_absence", is_administrator | is_self_or_superior)
