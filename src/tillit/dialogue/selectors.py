from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest

from tillit.core.tokens import hash_token
from tillit.dialogue.models import Dialogue, Note, Participant, Statement, Table, TableSummary

PARTICIPANT_COOKIE = "tillit_dialog_{}"


def dialogue_list_for(*, user: Any) -> QuerySet[Dialogue]:
    dialogues = Dialogue.objects.select_related("current_step", "team", "unit").annotate(
        participant_count=Count("participants", distinct=True)
    )
    if user.has_perm("dialogue.manage", None):
        return dialogues
    return dialogues.filter(Q(created_by=user) | Q(team__memberships__person=user)).distinct()


def dialogue_get_for(*, user: Any, pk: int, perm: str = "dialogue.manage") -> Dialogue:
    dialogue = (
        Dialogue.objects.select_related("current_step", "team", "unit", "spotlight_table")
        .filter(pk=pk)
        .first()
    )
    if dialogue is None:
        raise Http404
    if not user.has_perm(perm, dialogue):
        raise PermissionDenied
    return dialogue


def dialogue_by_code(code: str) -> Dialogue:
    try:
        return Dialogue.objects.select_related("current_step").get(join_code=code.strip().upper())
    except Dialogue.DoesNotExist:
        raise Http404 from None


def dialogue_and_participant(request: HttpRequest, code: str) -> tuple[Dialogue, Participant | None]:
    """The dialogue a join code names and the person this device joined it as, if it has. Every phone request
    starts here, so a phone that has joined is found with its dialogue in one query: its cookie's name holds
    the dialogue's id, which the code does not, so every participant cookie the device carries is tried."""
    prefix = PARTICIPANT_COOKIE.format("")
    hashes = [
        hash_token(token) for name, token in request.COOKIES.items() if name.startswith(prefix) and token
    ]
    if hashes:
        participant = next(
            iter(
                Participant.objects.select_related("dialogue__current_step", "table").filter(
                    dialogue__join_code=code.strip().upper(), token_hash__in=hashes
                )[:1]
            ),
            None,
        )
        # A token counts only in the cookie named for its own dialogue.
        if participant is not None:
            own = request.COOKIES.get(PARTICIPANT_COOKIE.format(participant.dialogue_id), "")
            if hash_token(own) == participant.token_hash:
                return participant.dialogue, participant
    return dialogue_by_code(code), None


def tables_with_people(dialogue: Dialogue) -> QuerySet[Table]:
    return dialogue.tables.annotate(size=Count("participants")).order_by("number")


def notes_for_table(table: Table) -> QuerySet[Note]:
    """What the table's members wrote alone; shown to the table once the reflection step is over."""
    return (
        Note.objects.filter(participant__table=table, hidden=False)
        .select_related("participant", "step")
        .order_by("step__order", "participant__number", "created_at")
    )


def notes_for_dialogue_tables(dialogue: Dialogue) -> QuerySet[Note]:
    """Every table's notes in one query, in the order ``notes_for_table`` shows them."""
    return (
        Note.objects.filter(participant__table__dialogue=dialogue, hidden=False)
        .select_related("participant", "step")
        .order_by("step__order", "participant__number", "created_at")
    )


def visible_statements(dialogue: Dialogue) -> QuerySet[Statement]:
    """The agreement round's statements in the order they are put to the large group."""
    return dialogue.statements.filter(hidden=False).select_related("table").order_by("order", "pk")


def statements_with_votes(dialogue: Dialogue, *, include_hidden: bool = False) -> QuerySet[Statement]:
    statements = dialogue.statements.select_related("table").annotate(
        agree=Count("votes", filter=Q(votes__value=1)),
        disagree=Count("votes", filter=Q(votes__value=-1)),
        passed=Count("votes", filter=Q(votes__value=0)),
    )
    return statements if include_hidden else statements.filter(hidden=False)


def summaries_for(dialogue: Dialogue) -> QuerySet[TableSummary]:
    return (
        TableSummary.objects.filter(table__dialogue=dialogue)
        .select_related("table", "step")
        .order_by("step__order", "table__number")
    )


def all_notes(dialogue: Dialogue) -> QuerySet[Note]:
    return (
        Note.objects.filter(step__dialogue=dialogue)
        .select_related("participant__table", "step")
        .order_by("step__order", "created_at")
    )


def tables_for_console(dialogue: Dialogue) -> QuerySet[Table]:
    return tables_with_people(dialogue).prefetch_related(
        Prefetch("summaries", queryset=TableSummary.objects.select_related("step"))
    )
