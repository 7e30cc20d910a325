"""The participant's current step, as one device sees it and as it is pushed to a whole hall at once.

When the facilitator moves to the next step, the step is rendered once for the dialogue (reflection, plenary,
the end) or once per table (the table step shows that table's notes), and the HTML travels in the push. A
hall of 2,500 phones then changes step without 2,500 page requests. What only one device may see (its own
notes and votes) is empty at the start of a step, so the shared HTML is exactly what the device would have
fetched; a device whose page is in another language than the push fetches its own.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation

from tillit.dialogue import selectors
from tillit.dialogue.forms import NoteForm, SummaryForm
from tillit.dialogue.models import Dialogue, Participant, Statement, Step, Table, TableSummary, Vote

STEP_TEMPLATE = "dialogue/participate.html#step"
STATEMENT_TEMPLATE = "dialogue/_statement.html"
# In a large hall no one can vote on every table's points: each table gets its own selection of this many.
PLENARY_BATCH = 20


def statements_for(
    dialogue: Dialogue, table: Table | None, statements: list[Statement] | None = None
) -> tuple[list[Statement], int]:
    """The statements a table votes on, and how many there are in all. Up to PLENARY_BATCH everyone sees
    all; beyond that each table sees the next PLENARY_BATCH after the previous table's, so that the votes
    spread over every statement."""
    if statements is None:
        statements = list(selectors.visible_statements(dialogue))
    total = len(statements)
    if total <= PLENARY_BATCH:
        return statements, total
    start = ((table.number - 1) * PLENARY_BATCH if table else 0) % total
    return [statements[(start + k) % total] for k in range(PLENARY_BATCH)], total


def statement_card(
    dialogue: Dialogue,
    statement: Statement,
    mine: int | None,
    *,
    request: HttpRequest | None = None,
    error: str = "",
) -> str:
    context = {"dialogue": dialogue, "statement": statement, "mine": mine, "vote_error": error}
    return render_to_string(STATEMENT_TEMPLATE, context, request=request)


@dataclass
class HallRender:
    """What rendering the step for every table reads or renders once: the step count, the table step's notes
    and summaries by table, the plenary's statements and cards, and the summary forms."""

    step_count: int
    notes: dict[int | None, list[Any]] = field(default_factory=dict)
    summaries: dict[int, TableSummary] = field(default_factory=dict)
    statements: list[Statement] | None = None
    cards: dict[int, str] = field(default_factory=dict)
    summary_forms: dict[tuple[str, bool], str] = field(default_factory=dict)


def step_context(
    dialogue: Dialogue,
    *,
    table: Table | None,
    participant: Participant | None = None,
    request: HttpRequest | None = None,
    hall: HallRender | None = None,
    **forms: Any,
) -> dict[str, Any]:
    """What the step partial needs; without a participant, what every device at ``table`` shares. ``hall``
    holds what a push to every table reads once instead of once per table."""
    step = dialogue.current_step
    context: dict[str, Any] = {
        "dialogue": dialogue,
        "participant": participant,
        "table": table,
        "step": step,
        "step_count": hall.step_count if hall else (dialogue.steps.count() if step else 0),
        "tables": list(dialogue.tables.order_by("number")) if dialogue.table_mode == "named" else [],
        **forms,
    }
    if step is None:
        return context
    if step.kind == Step.Kind.REFLECTION:
        context["my_notes"] = (
            participant.notes.filter(step=step).order_by("created_at") if participant else []
        )
        context.setdefault("note_form", NoteForm())
    elif step.kind == Step.Kind.TABLE and table is not None:
        if hall:
            summary = hall.summaries.get(table.pk)
            context["table_notes"] = hall.notes.get(table.pk, [])
        else:
            summary = TableSummary.objects.filter(table=table, step=step).first()
            context["table_notes"] = list(selectors.notes_for_table(table))
        context["summary"] = summary
        if "summary_form" not in context:
            text, agreed = (summary.text, summary.agreed) if summary else ("", False)
            form = SummaryForm(initial={"text": text, "agreed": agreed})
            if hall:
                # Tables whose summaries read the same share one rendering of the form (at the start of
                # the step: every table's empty one).
                if (text, agreed) not in hall.summary_forms:
                    hall.summary_forms[text, agreed] = form.render()
                context["summary_form"] = hall.summary_forms[text, agreed]
            else:
                context["summary_form"] = form
    elif step.kind == Step.Kind.PLENARY:
        shown, context["statement_total"] = statements_for(dialogue, table, hall.statements if hall else None)
        if participant is not None:
            mine = dict(Vote.objects.filter(participant=participant).values_list("statement_id", "value"))
            context["statement_cards"] = [
                statement_card(dialogue, statement, mine.get(statement.pk), request=request)
                for statement in shown
            ]
        else:
            # Pushed to a hall: each card is rendered once, however many tables see it.
            cards = hall.cards if hall else {}
            for statement in shown:
                if statement.pk not in cards:
                    cards[statement.pk] = statement_card(dialogue, statement, None)
            context["statement_cards"] = [cards[statement.pk] for statement in shown]
    return context


def step_pushes(dialogue_id: int) -> Iterator[tuple[Table | None, dict[str, Any]]]:
    """The step as every device should now show it: (None, data) for devices without a table, and for the
    table step and the plenary (table, data) for each table. Rendered in the default language."""
    dialogue = Dialogue.objects.select_related("current_step").get(pk=dialogue_id)
    step = dialogue.current_step
    with translation.override(settings.LANGUAGE_CODE):
        base = {"step": step.pk if step else None, "status": dialogue.status, "lang": settings.LANGUAGE_CODE}
        per_table = step is not None and step.kind in (Step.Kind.TABLE, Step.Kind.PLENARY)
        shared: dict[str, Any] = {**base, "per_table": per_table}
        # When the step differs by table, the shared HTML is for devices without a table only; a hall where
        # everyone sits at a table is spared a second copy of the step (a device that joins without one
        # meanwhile fetches its page, as for any step event without HTML).
        if not per_table or dialogue.participants.filter(table=None).exists():
            shared["html"] = render_to_string(STEP_TEMPLATE, step_context(dialogue, table=None))
        yield None, shared
        if step is not None and per_table:
            hall = HallRender(step_count=dialogue.steps.count())
            if step.kind == Step.Kind.TABLE:
                notes: dict[int | None, list[Any]] = defaultdict(list)
                for note in selectors.notes_for_dialogue_tables(dialogue):
                    notes[note.participant.table_id].append(note)
                hall.notes = notes
                hall.summaries = {
                    summary.table_id: summary for summary in TableSummary.objects.filter(step=step)
                }
            else:
                hall.statements = list(selectors.visible_statements(dialogue))
            for table in dialogue.tables.order_by("number"):
                context = step_context(dialogue, table=table, hall=hall)
                yield table, {**base, "html": render_to_string(STEP_TEMPLATE, context)}
