"""Who may see and do what in labs, initiatives and the idea intake. The grids are in tests/labs/test_rules.py.

A published initiative is public: anyone may read it, logged in or not. Before it is published it is open to
everyone with an account (trust-based work is done in the open inside the organisation). Labs and initiatives
are run by development leads and researchers; the teams involved keep their own initiative's page. Ideas carry
their submitters' names and addresses, so the intake is for development leads."""

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from tillit.labs.models import Initiative
from tillit.organisation.models import Membership, RoleAssignment
from tillit.organisation.rules import _roles, is_active_person, is_administrator


@predicate
def is_development_lead(user: Any) -> bool:
    return bool(is_active_person(user) and RoleAssignment.Role.DEVELOPMENT_LEAD in _roles(user))


@predicate
def is_researcher(user: Any) -> bool:
    return bool(is_active_person(user) and RoleAssignment.Role.RESEARCHER in _roles(user))


@predicate
def is_published(_user: Any, initiative: Initiative | None) -> bool:
    return initiative is not None and initiative.is_published


@predicate
def works_in_initiative(user: Any, initiative: Initiative | None) -> bool:
    """A member or coach of one of the teams involved."""
    return (
        initiative is not None
        and initiative.pk is not None
        and is_active_person(user)
        and Membership.objects.filter(
            person=user,
            team__initiatives=initiative,
            role__in=(Membership.Role.MEMBER, Membership.Role.COACH),
        ).exists()
    )


runs_labs = is_administrator | is_development_lead | is_researcher

add_perm("labs.view_internal", is_active_person)
add_perm("labs.manage", runs_labs)
add_perm("labs.view_initiative", is_published | is_active_person)
add_perm("labs.change_initiative", runs_labs | works_in_initiative)
add_perm("labs.publish_initiative", runs_labs)
add_perm("labs.assess_ideas", is_administrator | is_development_lead)
