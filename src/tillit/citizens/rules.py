"""Who may do what with the citizen panel and residents' feedback. The grids are in tests/citizens/test_rules.py.

Residents have no account: their personal link opens their own page and feedback, and nothing else (views look
them up by token). No employee sees a panel member's contact details: a team inviting the panel sees how many
it reaches, and Tillit writes to them. Feedback is handled by the team it is about (members and coaches), the
managers above it and administrators; what the resident chose to make public is shown to everyone."""

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from tillit.citizens.models import Feedback
from tillit.organisation.models import Membership, Team
from tillit.organisation.rules import is_active_person, is_administrator
from tillit.organisation.selectors import manages_unit


@predicate
def works_in_team(user: Any, team: Team | None) -> bool:
    return bool(
        team is not None
        and is_active_person(user)
        and Membership.objects.filter(team=team, person=user).exists()
    )


@predicate
def handles_feedback(user: Any, feedback: Feedback | None) -> bool:
    if feedback is None or not is_active_person(user):
        return False
    team = feedback.team
    return bool(Membership.objects.filter(team=team, person=user).exists() or manages_unit(user, team.unit))


add_perm("citizens.manage_panel", is_administrator)
add_perm("citizens.invite", is_administrator | works_in_team)
add_perm("citizens.view_inbox", is_active_person)
add_perm("citizens.handle_feedback", is_administrator | handles_feedback)
