"""Who may see and change the organisation. Each predicate is tested in tests/organisation/test_rules.py."""

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from tillit.organisation.models import Membership, RoleAssignment, Team


def _roles(user: Any) -> set[str]:
    """The person's municipality-wide roles, looked up once per request object."""
    cached: set[str] | None = getattr(user, "_tillit_roles", None)
    if cached is None:
        cached = set(RoleAssignment.objects.filter(person=user).values_list("role", flat=True))
        user._tillit_roles = cached
    return cached


@predicate
def is_active_person(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


@predicate
def is_administrator(user: Any) -> bool:
    return bool(is_active_person(user) and RoleAssignment.Role.ADMINISTRATOR in _roles(user))


@predicate
def is_team_member(user: Any, team: Team | None) -> bool:
    if team is None or not is_active_person(user):
        return False
    return Membership.objects.filter(team=team, person=user, role=Membership.Role.MEMBER).exists()


@predicate
def is_team_coach(user: Any, team: Team | None) -> bool:
    if team is None or not is_active_person(user):
        return False
    return Membership.objects.filter(team=team, person=user, role=Membership.Role.COACH).exists()


add_perm("organisation.view", is_active_person)
add_perm("organisation.manage", is_administrator)
add_perm("organisation.change_team", is_administrator | is_team_member | is_team_coach)
add_perm("organisation.view_history", is_active_person)
