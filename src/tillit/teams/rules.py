"""Who may do what with a team's roles and meetings. The grids are in tests/teams/test_rules.py."""

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from tillit.organisation.rules import is_active_person, is_administrator, is_team_coach, is_team_member
from tillit.teams.models import Meeting


@predicate
def is_meeting_member(user: Any, meeting: Meeting | None) -> bool:
    return meeting is not None and is_team_member(user, meeting.team)


@predicate
def is_meeting_coach(user: Any, meeting: Meeting | None) -> bool:
    return meeting is not None and is_team_coach(user, meeting.team)


@predicate
def is_facilitator(user: Any, meeting: Meeting | None) -> bool:
    return meeting is not None and is_active_person(user) and meeting.facilitator_id == user.pk


@predicate
def is_not_closed(_user: Any, meeting: Meeting | None) -> bool:
    return meeting is not None and meeting.status != Meeting.Status.CLOSED


add_perm("teams.view_roles", is_active_person)
add_perm("teams.manage_roles", is_team_member | is_team_coach | is_administrator)
add_perm("teams.plan_meeting", is_team_member)
# Minutes are records: the team, its coaches and administrators read them.
add_perm("teams.view_meeting", is_meeting_member | is_meeting_coach | is_administrator)
add_perm("teams.add_item", is_not_closed & is_meeting_member)
add_perm("teams.run_meeting", is_not_closed & is_facilitator)
