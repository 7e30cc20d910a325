"""What a dialogue pushes, and to whom. Each push happens after the transaction commits. A new step travels
with its HTML, rendered once for everyone or once per table (see participant_view); for smaller changes
devices fetch the part of the page that changed. Channels: one per dialogue (everyone), one per table, one
for the facilitator's console and the big screen (results)."""

from typing import Any

from django.db import transaction

from tillit.core.live import publish
from tillit.dialogue.models import Dialogue, Participant


def dialogue_channel(dialogue_id: int) -> str:
    return f"dialogue.{dialogue_id}"


def table_channel(dialogue_id: int, table_id: int) -> str:
    return f"dialogue.{dialogue_id}.table.{table_id}"


def results_channel(dialogue_id: int) -> str:
    return f"dialogue.{dialogue_id}.results"


def participant_channels(dialogue: Dialogue, participant: Participant) -> list[str]:
    channels = [dialogue_channel(dialogue.pk)]
    if participant.table_id:
        channels.append(table_channel(dialogue.pk, participant.table_id))
    return channels


def _after_commit(channel: str, event: str, data: dict[str, Any]) -> None:
    transaction.on_commit(lambda: publish(channel, event, data), robust=True)


def dialogue_changed(dialogue: Dialogue) -> None:
    """The status or the step changed: every device shows the new step."""
    dialogue_id = dialogue.pk

    def push() -> None:
        from tillit.dialogue.participant_view import step_pushes

        for table, data in step_pushes(dialogue_id):
            channel = dialogue_channel(dialogue_id) if table is None else table_channel(dialogue_id, table.pk)
            publish(channel, "step", data)

    transaction.on_commit(push, robust=True)
    _after_commit(results_channel(dialogue_id), "step", {"step": dialogue.current_step_id})


def timer_changed(dialogue: Dialogue) -> None:
    """Paused, resumed, extended or the question edited: devices update the timer and question in place."""
    remaining = dialogue.remaining()
    step = dialogue.current_step
    data = {
        "step": dialogue.current_step_id,
        "status": dialogue.status,
        "remaining": round(remaining.total_seconds()) if remaining is not None else None,
        "question": step.question if step else "",
    }
    _after_commit(dialogue_channel(dialogue.pk), "timer", data)
    _after_commit(results_channel(dialogue.pk), "step", data)


def statement_hidden(dialogue: Dialogue, statement_id: int, hidden: bool) -> None:
    """A hidden statement disappears from every phone; one shown again needs each phone's own votes, so
    phones fetch their page again (rare: a facilitator's correction)."""
    event = "hide" if hidden else "refresh"
    _after_commit(dialogue_channel(dialogue.pk), event, {"statement": statement_id})
    results_changed(dialogue)


def participants_changed(dialogue: Dialogue) -> None:
    _after_commit(results_channel(dialogue.pk), "participants", {})


def notes_changed(dialogue: Dialogue) -> None:
    _after_commit(results_channel(dialogue.pk), "notes", {})


def table_changed(dialogue: Dialogue, table_id: int) -> None:
    _after_commit(table_channel(dialogue.pk, table_id), "table", {"table": table_id})


def results_changed(dialogue: Dialogue) -> None:
    _after_commit(results_channel(dialogue.pk), "results", {})
