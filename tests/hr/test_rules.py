"""Role × state grids: who may see and do what in recruitments, talks and rehabilitation cases. Each grid lists,
for every role, exactly the permissions it has; anything not listed is denied, so a changed rule fails here."""

from typing import Any

import pytest
from django.http import Http404

from tillit.hr import selectors, services
from tillit.hr.models import Recruitment, Talk

from .factories import World, recruitment_in, rehab_case, talk

ROLES = (
    "employee",
    "team_member",
    "coach",
    "manager_above",
    "other_manager",
    "hr",
    "other_hr",
    "administrator",
    "panel_member",
    "delegate",
    "colleague",
    "outsider",
    "anonymous",
)

# Recruitment. "employee" is the team member who started it; "colleague" another team member.

RECRUITMENT_PERMS = (
    "view_recruitment",
    "change_recruitment",
    "view_candidates",
    "add_candidate",
    "assess",
    "decide",
    "remove_candidate_data",
)
SEE = {"view_recruitment"}
TEAM_OPEN = SEE | {"change_recruitment"}
PANEL_OPEN = SEE | {"view_candidates", "add_candidate"}
HR_OPEN = SEE | {"view_candidates", "add_candidate", "remove_candidate_data"}
DELEGATE_OPEN = SEE | {"change_recruitment", "view_candidates", "add_candidate", "remove_candidate_data"}


def _recruitment_grid(status: str) -> dict[str, set[str]]:
    is_open = status in (Recruitment.Status.NEED, Recruitment.Status.ADVERT, Recruitment.Status.ASSESSING)
    assessing = status == Recruitment.Status.ASSESSING
    if is_open:
        grid = {
            "employee": TEAM_OPEN,
            "team_member": TEAM_OPEN,
            "colleague": TEAM_OPEN,
            "coach": TEAM_OPEN,
            "panel_member": TEAM_OPEN | PANEL_OPEN | ({"assess"} if assessing else set()),
            "delegate": DELEGATE_OPEN | ({"decide"} if assessing else set()),
            "hr": HR_OPEN,
            "other_hr": HR_OPEN,
        }
    else:
        grid = {
            "employee": SEE,
            "team_member": SEE,
            "colleague": SEE,
            "coach": SEE,
            "panel_member": SEE | {"view_candidates"},
            "delegate": SEE | {"view_candidates", "remove_candidate_data"},
            "hr": SEE | {"view_candidates", "remove_candidate_data"},
            "other_hr": SEE | {"view_candidates", "remove_candidate_data"},
        }
    grid |= {
        "manager_above": SEE,
        "administrator": SEE,
        "other_manager": set(),
        "outsider": set(),
        "anonymous": set(),
    }
    return grid


def _granted(person: Any, perms: tuple[str, ...], target: Any) -> set[str]:
    return {perm for perm in perms if person.has_perm(f"hr.{perm}", target)}


@pytest.mark.parametrize("status", Recruitment.Status.values)
@pytest.mark.parametrize("role", ROLES)
def test_recruitment_grid(world: World, status: str, role: str) -> None:
    found = recruitment_in(world, status)
    assert found.status == status
    assert _granted(world[role], RECRUITMENT_PERMS, found) == _recruitment_grid(status)[role]


@pytest.mark.parametrize("role", ROLES)
def test_the_recruitment_page_is_found_only_by_those_who_may_see_it(world: World, role: str) -> None:
    found = recruitment_in(world, Recruitment.Status.ASSESSING)
    if "view_recruitment" in _recruitment_grid(found.status)[role]:
        assert selectors.recruitment_get_for(user=world[role], pk=found.pk) == found
    else:
        with pytest.raises(Http404):
            selectors.recruitment_get_for(user=world[role], pk=found.pk)


@pytest.mark.parametrize("role", ROLES)
def test_candidates_are_found_only_by_panel_delegate_and_hr(world: World, role: str) -> None:
    found = recruitment_in(world, Recruitment.Status.ASSESSING)
    first = found.candidates.get()
    if role in ("panel_member", "delegate", "hr", "other_hr"):
        assert selectors.candidate_get_for(user=world[role], recruitment=found, pk=first.pk) == first
    else:
        with pytest.raises(Http404):
            selectors.candidate_get_for(user=world[role], recruitment=found, pk=first.pk)


# Talks. "employee" owns the talk and meets "coach"; "colleague" is asked for feedback.

TALK_PERMS = ("view_talk", "change_talk", "see_preparation", "record_outcome", "confirm_outcome")
FEEDBACK_PERMS = ("answer_feedback", "see_feedback_answer", "share_feedback_answer")


def _talk_grid(status: str, prep_shared: bool, answer_shared: bool) -> dict[str, set[str]]:
    is_open = status != Talk.Status.AGREED
    employee = {"view_talk", "see_preparation", "see_feedback_answer"}
    if is_open:
        employee |= {"change_talk", "share_feedback_answer"}
    if status == Talk.Status.HELD:
        employee |= {"confirm_outcome"}
    counterpart = {"view_talk"}
    if prep_shared:
        counterpart |= {"see_preparation"}
    if answer_shared:
        counterpart |= {"see_feedback_answer"}
    if is_open:
        counterpart |= {"record_outcome"}
    colleague = {"see_feedback_answer"} | ({"answer_feedback"} if is_open else set())
    grid = {role: set() for role in ROLES}
    grid |= {"employee": employee, "coach": counterpart, "colleague": colleague}
    return grid


TALK_STATES = [
    (status, prep_shared, answer_shared)
    for status in Talk.Status.values
    for prep_shared in (False, True)
    for answer_shared in (False, True)
]


def _talk_in(world: World, status: str, prep_shared: bool, answer_shared: bool) -> tuple[Talk, Any]:
    found = talk(world)
    services.talk_prepare(
        actor=world["employee"], talk=found, preparation="Mina tankar.", preparation_shared=prep_shared
    )
    asked = services.feedback_ask(
        actor=world["employee"], talk=found, colleague=world["colleague"], question="Vad gör jag bra?"
    )
    services.feedback_answer(actor=world["colleague"], feedback=asked, answer="Du lyssnar.")
    services.feedback_share(actor=world["employee"], feedback=asked, shared=answer_shared)
    if status in (Talk.Status.HELD, Talk.Status.AGREED):
        services.talk_record_outcome(actor=world["coach"], talk=found, outcome="Vi är överens.")
    if status == Talk.Status.AGREED:
        services.talk_confirm(actor=world["employee"], talk=found)
    found.refresh_from_db()
    asked.refresh_from_db()
    return found, asked


@pytest.mark.parametrize(("status", "prep_shared", "answer_shared"), TALK_STATES)
def test_talk_grid(world: World, status: str, prep_shared: bool, answer_shared: bool) -> None:
    found, asked = _talk_in(world, status, prep_shared, answer_shared)
    assert found.status == status
    grid = _talk_grid(status, prep_shared, answer_shared)
    for role in ROLES:
        person = world[role]
        granted = _granted(person, TALK_PERMS, found) | _granted(person, FEEDBACK_PERMS, asked)
        assert (role, granted) == (role, grid[role])


@pytest.mark.parametrize("role", ROLES)
def test_a_talk_exists_only_for_the_employee_and_the_person_they_meet(world: World, role: str) -> None:
    found, _asked = _talk_in(world, Talk.Status.PREPARING, True, True)
    if role in ("employee", "coach"):
        assert selectors.talk_get_for(user=world[role], pk=found.pk) == found
        assert found in selectors.talk_list_for(user=world[role])
    else:
        with pytest.raises(Http404):
            selectors.talk_get_for(user=world[role], pk=found.pk)
        assert found not in selectors.talk_list_for(user=world[role])


@pytest.mark.parametrize(("answer_shared", "expected"), [(False, 0), (True, 1)])
def test_the_person_met_sees_only_shared_answers(world: World, answer_shared: bool, expected: int) -> None:
    found, _asked = _talk_in(world, Talk.Status.PREPARING, False, answer_shared)
    assert len(selectors.feedback_for_talk(user=world["coach"], talk=found)) == expected
    assert len(selectors.feedback_for_talk(user=world["employee"], talk=found)) == 1


# Rehabilitation. "manager_above" is the responsible manager and "hr" the named HR contact.

REHAB_PERMS = ("view_rehab", "add_rehab_entry", "close_rehab")


def _rehab_grid(is_open: bool) -> dict[str, set[str]]:
    grid: dict[str, set[str]] = {role: set() for role in ROLES}
    handles = {"view_rehab", "add_rehab_entry", "close_rehab"} if is_open else {"view_rehab"}
    grid |= {"employee": {"view_rehab"}, "manager_above": handles, "hr": handles}
    return grid


@pytest.mark.parametrize("is_open", [True, False])
@pytest.mark.parametrize("role", ROLES)
def test_rehab_grid(world: World, is_open: bool, role: str) -> None:
    case = rehab_case(world)
    if not is_open:
        case = services.rehab_close(actor=world["hr"], case=case)
    assert _granted(world[role], REHAB_PERMS, case) == _rehab_grid(is_open)[role]


OPEN_REHAB = {"manager_above", "other_manager", "hr", "other_hr"}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_a_rehab_case(world: World, role: str) -> None:
    assert world[role].has_perm("hr.open_rehab") is (role in OPEN_REHAB)


@pytest.mark.parametrize("role", ROLES)
def test_who_manages_the_retention_rules(world: World, role: str) -> None:
    assert world[role].has_perm("hr.manage_settings") is (role == "administrator")
