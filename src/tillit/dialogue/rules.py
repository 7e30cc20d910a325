"""Who may run and see dialogues. Participants need no account: they hold a token for one dialogue."""

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from tillit.dialogue.models import Dialogue
from tillit.organisation.models import Membership, RoleAssignment
from tillit.organisation.rules import _roles, is_active_person, is_administrator


@predicate
def is_facilitator(user: Any) -> bool:
    return bool(is_active_person(user) and RoleAssignment.Role.FACILITATOR in _roles(user))


@predicate
def is_coach(user: Any) -> bool:
    return bool(
        is_active_person(user) and Membership.objects.filter(person=user, role=Membership.Role.COACH).exists()
    )


@predicate
def runs_dialogue(user: Any, dialogue: Dialogue | None) -> bool:
    return bool(dialogue is not None and is_active_person(user) and dialogue.created_by_id == user.pk)


@predicate
def is_in_dialogue_team(user: Any, dialogue: Dialogue | None) -> bool:
    return bool(
        dialogue is not None
        and dialogue.team_id is not None
        and is_active_person(user)
        and Membership.objects.filter(person=user, team_id=dialogue.team_id).exists()
    )


can_run = is_facilitator | is_administrator | is_coach
add_perm("dialogue.create", can_run)
add_perm("dialogue.manage", runs_dialogue | is_facilitator | is_administrator)
add_perm("dialogue.view_results", runs_dialogue | is_facilitator | is_administrator | is_in_dialogue_team)
