"""Who may see and do what in the follow-up. The grids are in tests/followup/test_rules.py.

Results belong to the team first: its members and coaches see them as soon as the survey has closed; people
above the team (facilitators, development leads, administrators) see a team's results only once the team has
shared them, or RELEASE_AFTER_DAYS after the survey closed, and never for a group below the survey's threshold
(that is the selectors' part: tillit.followup.results)."""

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from tillit.followup.models import Requirement, Survey
from tillit.organisation.models import Membership, RoleAssignment, Team
from tillit.organisation.rules import _roles, is_active_person, is_administrator

RELEASE_AFTER_DAYS = 14


@predicate
def is_facilitator(user: Any) -> bool:
    return bool(is_active_person(user) and RoleAssignment.Role.FACILITATOR in _roles(user))


@predicate
def is_development_lead(user: Any) -> bool:
    return bool(is_active_person(user) and RoleAssignment.Role.DEVELOPMENT_LEAD in _roles(user))


def _in_team(user: Any, team: Team | None) -> bool:
    return (
        team is not None
        and is_active_person(user)
        and Membership.objects.filter(
            team=team, person=user, role__in=(Membership.Role.MEMBER, Membership.Role.COACH)
        ).exists()
    )


@predicate
def works_in_team(user: Any, team: Team | None) -> bool:
    """A member or a coach of the team."""
    return _in_team(user, team)


@predicate
def works_in_survey_team(user: Any, survey: Survey | None) -> bool:
    return survey is not None and survey.team_id is not None and _in_team(user, survey.team)


@predicate
def made_survey(user: Any, survey: Survey | None) -> bool:
    return survey is not None and is_active_person(user) and survey.created_by_id == user.pk


@predicate
def is_not_sent(_user: Any, survey: Survey | None) -> bool:
    return survey is not None and survey.sent_at is None


@predicate
def works_with_requirement(user: Any, requirement: Requirement | None) -> bool:
    """A member or coach of the team that registered it."""
    return requirement is not None and requirement.team_id is not None and _in_team(user, requirement.team)


above_teams = is_administrator | is_facilitator | is_development_lead

add_perm("followup.view", is_active_person)
# A team may survey itself; a coach may survey the team; above it, facilitators and development leads.
add_perm("followup.survey_team", above_teams | works_in_team)
add_perm("followup.survey_unit", above_teams)
add_perm("followup.change_survey", is_not_sent & (made_survey | is_administrator))
add_perm("followup.manage_survey", made_survey | is_administrator | works_in_survey_team)
add_perm("followup.see_above_team", above_teams)
# Only the team itself shares its results with those above it.
add_perm("followup.share_results", works_in_team)
add_perm("followup.manage_indicators", above_teams)
add_perm("followup.register_requirement", is_active_person)
add_perm("followup.change_requirement", above_teams | works_with_requirement)
