"""What the dialogue produced: words, the tables' summaries, agreement and opinion groups; live and after."""

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, F, Max
from django.http import HttpResponse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tillit.core.exports import csv_response, xlsx_response
from tillit.dialogue import selectors
from tillit.dialogue.analysis import themes as theme_edits
from tillit.dialogue.analysis.opinion_groups import (
    VoteMatrix,
    compute_opinion_groups,
    consensus_statements,
    divisive_statements,
)
from tillit.dialogue.analysis.themes import Analysis, Contribution, Theme, analyse
from tillit.dialogue.analysis.words import WordCount, word_cloud_svg
from tillit.dialogue.models import Dialogue, Note, Step, TableSummary, ThemeEdit, Vote

# Opinion groups need enough people to mean something, and are never shown for fewer.
MIN_VOTERS_FOR_GROUPS = 12
BIG_SCREEN_SUMMARIES = 12
BIG_SCREEN_STATEMENTS = 10
WORDS = 40


def _analysis(dialogue: Dialogue) -> Analysis:
    """Word frequencies and automatic themes of the visible notes, cached until a note is added or hidden."""
    notes = Note.objects.filter(step__dialogue=dialogue, hidden=False)
    stamp = notes.aggregate(n=Count("id"), last=Max("id"))
    hidden = Note.objects.filter(step__dialogue=dialogue, hidden=True).count()
    key = f"dialogue:{dialogue.pk}:analysis:{stamp['n']}:{stamp['last']}:{hidden}:{get_language()}"
    analysis: Analysis | None = cache.get(key)
    if analysis is None:
        contributions = [
            Contribution(id=pk, text=text, table=table)
            for pk, text, table in notes.order_by("pk").values_list("pk", "text", "participant__table_id")
        ]
        analysis = analyse(contributions, limit=WORDS, other_name=_("Other"))
        cache.set(key, analysis, 600)
    return analysis


def _words(dialogue: Dialogue) -> list[WordCount]:
    return list(_analysis(dialogue).words)


@dataclass(frozen=True)
class Themes:
    """The themes as the facilitator left them: the automatic grouping with their edits replayed."""

    themes: list[Theme]
    edits: list[ThemeEdit]
    skipped: int


def apply_edit(themes: Sequence[Theme], edit: ThemeEdit) -> list[Theme]:
    """One stored edit applied to the themes; ThemeEditError when its themes or notes are gone."""
    if edit.action == ThemeEdit.Action.RENAME:
        return theme_edits.rename(themes, edit.theme, edit.name)
    if edit.action == ThemeEdit.Action.MERGE:
        return theme_edits.merge(themes, edit.themes, edit.name or None)
    return theme_edits.split(themes, edit.theme, edit.notes, edit.name or None)


def themes_for(dialogue: Dialogue, analysis: Analysis | None = None) -> Themes:
    themes = list((analysis or _analysis(dialogue)).themes)
    edits = list(dialogue.theme_edits.select_related("created_by"))
    skipped = 0
    for edit in edits:
        try:
            themes = apply_edit(themes, edit)
        except theme_edits.ThemeEditError:
            skipped += 1
    return Themes(themes=themes, edits=edits, skipped=skipped)


@functools.lru_cache(maxsize=16)
def _word_cloud(words: tuple[WordCount, ...], label: str) -> str:
    """The big screen asks for the same cloud after every vote; the same counts draw the same picture."""
    return word_cloud_svg(words, label=label)


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
            context["word_cloud"] = mark_safe(_word_cloud(tuple(words), _("Word cloud")))  # noqa: S308
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
    analysis = _analysis(dialogue)
    words = list(analysis.words)
    return {
        "notes": selectors.all_notes(dialogue).filter(hidden=False),
        "summaries": selectors.summaries_for(dialogue),
        "words": words,
        "word_cloud": mark_safe(_word_cloud(tuple(words), _("Word cloud"))) if words else "",  # noqa: S308
        "themes": themes_for(dialogue, analysis),
        "statements": selectors.statements_with_votes(dialogue).select_related("onward_by"),
        "agreement": agreement(dialogue),
        "participant_count": dialogue.participants.count(),
    }


def _rows(dialogue: Dialogue) -> list[list[Any]]:
    """Every contribution, summary, theme, statement and word, one row each, for CSV and Excel."""
    analysis = _analysis(dialogue)
    themes = themes_for(dialogue, analysis).themes
    theme_of = {c.id: theme.name for theme in themes for c in theme.contributions}
    headers = {
        "kind": _("Kind"),
        "step": _("Step"),
        "table": _("Table"),
        "participant": _("Participant"),
        "text": _("Text"),
        "theme": _("Theme"),
        "count": _("Count"),
        "tables": _("Tables"),
        "agree": _("Agree"),
        "disagree": _("Disagree"),
        "passed": _("Pass"),
        "onward": _("What happens next"),
    }

    def row(kind: str, text: str, **cells: Any) -> list[Any]:
        return [{"kind": kind, "text": text, **cells}.get(column, "") for column in headers]

    rows: list[list[Any]] = [list(headers.values())]
    for note in selectors.all_notes(dialogue).filter(hidden=False):
        rows.append(
            row(
                _("Note"),
                note.text,
                step=note.step.order,
                table=note.participant.table.name if note.participant.table else "",
                participant=note.participant.display_name,
                theme=theme_of.get(note.pk, ""),
            )
        )
    summary: TableSummary
    for summary in selectors.summaries_for(dialogue):
        rows.append(row(_("Table summary"), summary.text, step=summary.step.order, table=summary.table.name))
    for theme in themes:
        rows.append(row(_("Theme"), theme.name, theme=theme.name, count=theme.notes, tables=theme.tables))
    for statement in selectors.statements_with_votes(dialogue):
        rows.append(
            row(
                _("Statement"),
                statement.text,
                table=statement.table.name if statement.table else "",
                agree=getattr(statement, "agree", 0),
                disagree=getattr(statement, "disagree", 0),
                passed=getattr(statement, "passed", 0),
                onward=statement.onward,
            )
        )
    for word in analysis.words:
        rows.append(row(_("Word"), word.word, count=word.count))
    return rows


def _filename(dialogue: Dialogue, extension: str) -> str:
    return f"{slugify(dialogue.title) or 'dialog'}-{dialogue.created_at:%Y-%m-%d}.{extension}"


def export_csv(dialogue: Dialogue) -> HttpResponse:
    return csv_response(_rows(dialogue), _filename(dialogue, "csv"))


def export_xlsx(dialogue: Dialogue) -> HttpResponse:
    return xlsx_response(_rows(dialogue), _filename(dialogue, "xlsx"), str(_("Dialogue")))
