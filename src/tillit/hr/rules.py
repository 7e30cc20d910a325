"""Who may see and do what in HR processes. The grids are in tests/hr/test_rules.py.

* A recruitment's need, requirements, advert and status are open to the team (members and coaches), the named
  delegate, the panel, HR specialists, the managers above the team and administrators. Its candidates are
  seen only by the panel, the delegate and HR specialists. Only the panel assesses; only the delegate
  decides; the delegate or an HR specialist removes a candidate's data.
* A talk is the employee's: only the employee and the person they meet know it exists. The person they meet
  sees the preparation and feedback answers only when the employee shares them. A colleague asked for
  feedback sees only that request. Administrators, HR specialists and other managers see nothing.
* A rehabilitation case is seen only by the employee, its responsible manager and its HR contact.
"""

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from tillit.hr.models import FeedbackRequest, Recruitment, RehabCase, Talk
from tillit.organisation.models import Membership, RoleAssignment
from tillit.organisation.rules import _roles, is_active_person, is_administrator
from tillit.organisation.selectors import manages_unit


@predicate
def is_hr_specialist(user: Any) -> bool:
    return bool(is_active_person(user) and RoleAssignment.Role.HR in _roles(user))


@predicate
def is_manager(user: Any) -> bool:
    return bool(is_active_person(user) and RoleAssignment.Role.MANAGER in _roles(user))


def _person_is(user: Any, person_id: int | None) -> bool:
    return bool(is_active_person(user) and person_id is not None and user.pk == person_id)


# Recruitment.


@predicate
def works_in_recruiting_team(user: Any, recruitment: Recruitment | None) -> bool:
    return bool(
        recruitment is not None
        and is_active_person(user)
        and Membership.objects.filter(team_id=recruitment.team_id, person=user).exists()
    )


@predicate
def is_recruitment_delegate(user: Any, recruitment: Recruitment | None) -> bool:
    return recruitment is not None and _person_is(user, recruitment.delegate_id)


@predicate
def is_panel_member(user: Any, recruitment: Recruitment | None) -> bool:
    return bool(
        recruitment is not None
        and recruitment.pk is not None
        and is_active_person(user)
        and recruitment.panel.filter(pk=user.pk).exists()
    )


@predicate
def manages_recruiting_team(user: Any, recruitment: Recruitment | None) -> bool:
    """A manager of the team's unit or of a unit above it (or of the whole municipality)."""
    return recruitment is not None and is_manager(user) and manages_unit(user, recruitment.team.unit)


@predicate
def recruitment_is_open(_user: Any, recruitment: Recruitment | None) -> bool:
    return recruitment is not None and not recruitment.is_closed


@predicate
def recruitment_is_assessing(_user: Any, recruitment: Recruitment | None) -> bool:
    return recruitment is not None and recruitment.status == Recruitment.Status.ASSESSING


sees_candidates = is_panel_member | is_recruitment_delegate | is_hr_specialist

add_perm("hr.view_home", is_active_person)
add_perm("hr.manage_settings", is_administrator)
add_perm("hr.start_recruitment", is_active_person)
add_perm(
    "hr.view_recruitment",
    works_in_recruiting_team
    | is_recruitment_delegate
    | is_panel_member
    | is_hr_specialist
    | manages_recruiting_team
    | is_administrator,
)
add_perm("hr.change_recruitment", (works_in_recruiting_team | is_recruitment_delegate) & recruitment_is_open)
add_perm("hr.view_candidates", sees_candidates)
add_perm("hr.add_candidate", sees_candidates & recruitment_is_open)
add_perm("hr.assess", is_panel_member & recruitment_is_assessing)
add_perm("hr.decide", is_recruitment_delegate & recruitment_is_assessing)
add_perm("hr.remove_candidate_data", is_recruitment_delegate | is_hr_specialist)


# Talks.


@predicate
def is_talk_employee(user: Any, talk: Talk | None) -> bool:
    return talk is not None and _person_is(user, talk.employee_id)


@predicate
def is_talk_counterpart(user: Any, talk: Talk | None) -> bool:
    return talk is not None and _person_is(user, talk.counterpart_id)


@predicate
def preparation_is_shared(_user: Any, talk: Talk | None) -> bool:
    return talk is not None and talk.preparation_shared


@predicate
def talk_is_open(_user: Any, talk: Talk | None) -> bool:
    return talk is not None and talk.status != Talk.Status.AGREED


@predicate
def talk_awaits_confirmation(_user: Any, talk: Talk | None) -> bool:
    return talk is not None and talk.status == Talk.Status.HELD


add_perm("hr.view_talk", is_talk_employee | is_talk_counterpart)
add_perm("hr.change_talk", is_talk_employee & talk_is_open)
add_perm("hr.see_preparation", is_talk_employee | (is_talk_counterpart & preparation_is_shared))
add_perm("hr.record_outcome", is_talk_counterpart & talk_is_open)
add_perm("hr.confirm_outcome", is_talk_employee & talk_awaits_confirmation)


@predicate
def is_asked_colleague(user: Any, request: FeedbackRequest | None) -> bool:
    return request is not None and _person_is(user, request.colleague_id)


@predicate
def asked_for_feedback(user: Any, request: FeedbackRequest | None) -> bool:
    return request is not None and _person_is(user, request.talk.employee_id)


@predicate
def meets_and_answer_shared(user: Any, request: FeedbackRequest | None) -> bool:
    return request is not None and request.shared and _person_is(user, request.talk.counterpart_id)


@predicate
def request_is_open(_user: Any, request: FeedbackRequest | None) -> bool:
    return request is not None and request.talk.status != Talk.Status.AGREED


add_perm("hr.answer_feedback", is_asked_colleague & request_is_open)
add_perm("hr.see_feedback_answer", is_asked_colleague | asked_for_feedback | meets_and_answer_shared)
add_perm("hr.share_feedback_answer", asked_for_feedback & request_is_open)


# Rehabilitation.


@predicate
def is_rehab_employee(user: Any, case: RehabCase | None) -> bool:
    return case is not None and _person_is(user, case.employee_id)


@predicate
def is_rehab_manager(user: Any, case: RehabCase | None) -> bool:
    return case is not None and _person_is(user, case.manager_id)


@predicate
def is_rehab_hr_contact(user: Any, case: RehabCase | None) -> bool:
    return case is not None and _person_is(user, case.hr_contact_id)


@predicate
def rehab_is_open(_user: Any, case: RehabCase | None) -> bool:
    return case is not None and case.is_open


add_perm("hr.open_rehab", is_manager | is_hr_specialist)
add_perm("hr.view_rehab", is_rehab_employee | is_rehab_manager | is_rehab_hr_contact)
add_perm("hr.add_rehab_entry", (is_rehab_manager | is_rehab_hr_contact) & rehab_is_open)
add_perm("hr.close_rehab", (is_rehab_manager | is_rehab_hr_contact) & rehab_is_open)
