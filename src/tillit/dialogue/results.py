"""What the dialogue produced: words, the tables' summaries, agreement and opinion groups; live and after."""

import csv
import io
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, F, Max
from django.http import HttpResponse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tillit.dialogue import selectors
from tillit.dialogue.analysis.opinion_groups import (
    VoteMatrix,
    compute_opinion_groups,
    consensus_statements,
    divisive_statements,
)
from tillit.dialogue.analysis.words import WordCount, word_cloud_svg, word_frequencies
from tillit.dialogue.models import Dialogue, Note, Step, TableSummary, Vote

# Opinion groups need enough people to mean something, and are never shown for fewer.
MIN_VOTERS_FOR_GROUPS = 12
BIG_SCREEN_SUMMARIES = 12
BIG_SCREEN_STATEMENTS = 10


def _words(dialogue: Dialogue) -> list[WordCount]:
    """Word frequencies over the visible notes, cached until a note is added or hidden."""
    notes = Note.objects.filter(step__dialogue=dialogue, hidden=False)
    stamp = notes.aggregate(n=Count("id"), last=Max("id"))
    hidden = Note.objects.filter(step__dialogue=dialogue, hidden=True).count()
    key = f"dialogue:{dialogue.pk}:words:{stamp['n']}:{stamp['last']}:{hidden}"
    words: list[WordCount] | None = cache.get(key)
    if words is None:
        words = word_frequencies(notes.values_list("text", flat=True), limit=40)
        cache.set(key, words, 600)
    return words


def _reflection_is_over(dialogue: Dialogue) -> bool:
    """Notes stay private while people write, so that no one anchors on what others wrote."""
    step = dialogue.current_step
    return dialogue.status == Dialogue.Status.FINISHED or (
        step is not None and step.kind != Step.Kind.REFLECTION
    )


def live_results(dialogue: Dialogue) -> dict[str, Any]:
    """What the big screen shows: counts as they grow, then words, the newest summaries and the statements
    most agreed on; a hall's hundreds of tables do not fit on a projector (the results page has them all)."""
    context: dict[str, Any] = {
        "participant_count": dialogue.participants.count(),
        "note_count": Note.objects.filter(step__dialogue=dialogue, hidden=False).count(),
        "vote_count": None,
    }
    if _reflection_is_over(dialogue):
        words = _words(dialogue)
        context["words"] = words
        if words:
            context["word_cloud"] = mark_safe(word_cloud_svg(words, label=_("Word cloud")))  # noqa: S308
    step = dialogue.current_step
    if (
        step is not None and step.kind != Step.Kind.REFLECTION
    ) or dialogue.status == Dialogue.Status.FINISHED:
        summaries = [s for s in selectors.summaries_for(dialogue) if s.points]
        context["summary_count"] = len(summaries)
        context["summaries"] = sorted(summaries, key=lambda s: s.updated_at, reverse=True)[
            :BIG_SCREEN_SUMMARIES
        ]
        if dialogue.spotlight_table_id:
            context["spotlight"] = next(
                (s for s in reversed(summaries) if s.table_id == dialogue.spotlight_table_id), None
            )
    if (step is not None and step.kind == Step.Kind.PLENARY) or dialogue.status == Dialogue.Status.FINISHED:
        statements = selectors.statements_with_votes(dialogue)
        context["statement_count"] = statements.count()
        context["vote_count"] = Vote.objects.filter(
            statement__dialogue=dialogue, statement__hidden=False
        ).count()
        context["statements"] = statements.order_by(F("agree").desc(), F("disagree").asc(), "order", "pk")[
            :BIG_SCREEN_STATEMENTS
        ]
    return context


def agreement(dialogue: Dialogue) -> dict[str, Any]:
    """Consensus and divisive statements, and opinion groups from the agreement round's votes."""
    statements = {s.pk: s for s in dialogue.statements.filter(hidden=False)}
    votes = list(
        Vote.objects.filter(statement_id__in=statements).values_list(
            "participant_id", "statement_id", "value"
        )
    )
    voters = sorted({participant for participant, _s, _v in votes})
    if len(voters) < MIN_VOTERS_FOR_GROUPS or len(statements) < 2:
        return {"voters": len(voters), "min_voters": MIN_VOTERS_FOR_GROUPS}
    columns = sorted(statements)
    row_of = {p: i for i, p in enumerate(voters)}
    column_of = {s: j for j, s in enumerate(columns)}
    matrix = np.full((len(voters), len(columns)), np.nan)
    for participant, statement, value in votes:
        matrix[row_of[participant], column_of[statement]] = value
    vote_matrix = VoteMatrix(
        participants=tuple(str(p) for p in voters), statements=tuple(str(s) for s in columns), votes=matrix
    )
    groups = compute_opinion_groups(vote_matrix)
    return {
        "voters": len(voters),
        "groups": groups,
        "group_sizes": groups.group_sizes,
        "consensus": [(statements[int(c.statement)], c) for c in consensus_statements(groups)],
        "divisive": [(statements[int(d.statement)], d) for d in divisive_statements(groups)],
    }


def full_results(dialogue: Dialogue) -> dict[str, Any]:
    words = _words(dialogue)
    return {
        "notes": selectors.all_notes(dialogue).filter(hidden=False),
        "summaries": selectors.summaries_for(dialogue),
        "words": words,
        "word_cloud": mark_safe(word_cloud_svg(words, label=_("Word cloud"))) if words else "",  # noqa: S308
        "statements": selectors.statements_with_votes(dialogue),
        "agreement": agreement(dialogue),
        "participant_count": dialogue.participants.count(),
    }


def _rows(dialogue: Dialogue) -> list[list[Any]]:
    header = [
        _("Kind"),
        _("Step"),
        _("Table"),
        _("Participant"),
        _("Text"),
        _("Agree"),
        _("Disagree"),
        _("Pass"),
    ]
    rows: list[list[Any]] = [header]
    for note in selectors.all_notes(dialogue).filter(hidden=False):
        table = note.participant.table.name if note.participant.table else ""
        rows.append([_("Note"), note.step.order, table, note.participant.display_name, note.text, "", "", ""])
    summary: TableSummary
    for summary in selectors.summaries_for(dialogue):
        rows.append(
            [_("Table summary"), summary.step.order, summary.table.name, "", summary.text, "", "", ""]
        )
    for statement in selectors.statements_with_votes(dialogue):
        table = statement.table.name if statement.table else ""
        rows.append(
            [
                _("Statement"),
                "",
                table,
                "",
                statement.text,
                getattr(statement, "agree", 0),
                getattr(statement, "disagree", 0),
                getattr(statement, "passed", 0),
            ]
        )
    for word in _words(dialogue):
        rows.append([_("Word"), "", "", "", word.word, word.count, "", ""])
    return rows


def _filename(dialogue: Dialogue, extension: str) -> str:
    return f"{slugify(dialogue.title) or 'dialog'}-{dialogue.created_at:%Y-%m-%d}.{extension}"


def export_csv(dialogue: Dialogue) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in _rows(dialogue):
        writer.writerow([_safe_cell(cell) for cell in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(dialogue, "csv")}"'
    return response


def export_xlsx(dialogue: Dialogue) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Dialogue")[:31]
    for row in _rows(dialogue):
        sheet.append([_safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(dialogue, "xlsx")}"'
    return response


def _safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
