"""What a dialogue pushes, and to whom. Each push happens after the transaction commits; devices then fetch
the part of the page that changed. Channels: one per dialogue (everyone), one per table, one for the
facilitator's console and the big screen (results)."""

from typing import Any

from django.db import transaction

from tillit.core.live import publish
from tillit.dialogue.models import Dialogue


def dialogue_channel(dialogue_id: int) -> str:
    return f"dialogue.{dialogue_id}"


def table_channel(dialogue_id: int, table_id: int) -> str:
    return f"dialogue.{dialogue_id}.table.{table_id}"


def results_channel(dialogue_id: int) -> str:
    return f"dialogue.{dialogue_id}.results"


def _after_commit(channel: str, event: str, data: dict[str, Any]) -> None:
    transaction.on_commit(lambda: publish(channel, event, data), robust=True)


def dialogue_changed(dialogue: Dialogue) -> None:
    """The status or the step changed: every device redraws."""
    data = {"status": dialogue.status, "step": dialogue.current_step_id}
    _after_commit(dialogue_channel(dialogue.pk), "step", data)
    _after_commit(results_channel(dialogue.pk), "step", data)


def participants_changed(dialogue: Dialogue) -> None:
    _after_commit(results_channel(dialogue.pk), "participants", {})


def notes_changed(dialogue: Dialogue) -> None:
    _after_commit(results_channel(dialogue.pk), "notes", {})


def table_changed(dialogue: Dialogue, table_id: int) -> None:
    _after_commit(table_channel(dialogue.pk, table_id), "table", {"table": table_id})


def results_changed(dialogue: Dialogue) -> None:
    _after_commit(results_channel(dialogue.pk), "results", {})
