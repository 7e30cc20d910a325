"""Who may do what with the organisation: every role against every permission."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tillit.organisation.models import Membership, RoleAssignment

from .factories import MembershipFactory, PersonFactory, RoleAssignmentFactory, TeamFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "deactivated member",
    "person outside the team",
    "member of another team",
    "team member",
    "team coach",
    "facilitator",
    "development lead",
    "researcher",
    "administrator",
    "deactivated administrator",
]

# permission: the roles that have it (for the team under test where the permission takes one).
GRID = {
    "organisation.view": set(ROLES) - {"anonymous", "deactivated member", "deactivated administrator"},
    "organisation.view_history": set(ROLES)
    - {"anonymous", "deactivated member", "deactivated administrator"},
    "organisation.manage": {"administrator"},
    "organisation.change_team": {"team member", "team coach", "administrator"},
}


def make_user(role: str, team):
    if role == "anonymous":
        return AnonymousUser()
    person = PersonFactory(is_active=not role.startswith("deactivated"))
    if role in {"team member", "deactivated member"}:
        MembershipFactory(team=team, person=person)
    elif role == "team coach":
        MembershipFactory(team=team, person=person, role=Membership.Role.COACH)
    elif role == "member of another team":
        MembershipFactory(person=person)
    elif role in {"facilitator", "development lead", "researcher"}:
        RoleAssignmentFactory(person=person, role=role.replace(" ", "_"))
    elif role.endswith("administrator"):
        RoleAssignmentFactory(person=person, role=RoleAssignment.Role.ADMINISTRATOR)
    return person


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("permission", sorted(GRID))
def test_permission_grid(role: str, permission: str) -> None:
    team = TeamFactory()
    user = make_user(role, team)
    obj = team if permission == "organisation.change_team" else None
    assert user.has_perm(permission, obj) is (role in GRID[permission])


def test_changing_a_team_needs_the_team() -> None:
    member = make_user("team member", TeamFactory())
    assert not member.has_perm("organisation.change_team", None)
