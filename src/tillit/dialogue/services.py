"""Every change to a dialogue goes through here: checked, in a transaction, then pushed live to every device."""

import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.core.history import label_actions, record, save_and_record
from tillit.core.tokens import hash_token
from tillit.dialogue import live, results
from tillit.dialogue.analysis.themes import ThemeEditError
from tillit.dialogue.models import (
    Dialogue,
    Note,
    Participant,
    Statement,
    Step,
    Table,
    TableSummary,
    ThemeEdit,
    Vote,
)
from tillit.dialogue.templates_data import TEMPLATES
from tillit.organisation.models import Team, Unit

label_actions(
    {
        "dialogue.created": gettext_lazy("Dialogue created"),
        "dialogue.opened": gettext_lazy("Opened for joining"),
        "dialogue.started": gettext_lazy("Dialogue started"),
        "dialogue.finished": gettext_lazy("Dialogue finished"),
        "dialogue.themes_changed": gettext_lazy("Themes changed"),
        "dialogue.themes_reset": gettext_lazy("Themes back to the automatic grouping"),
        "dialogue.statement_onward": gettext_lazy("Statement carried onward"),
    }
)

DIALOGUE_FIELDS = ("title", "audience", "team", "unit", "anonymous", "table_mode", "table_size")
Status = Dialogue.Status


@transaction.atomic
def dialogue_create(
    *,
    actor: Any,
    title: str,
    template: str = "norrkoping",
    description: str = "",
    audience: str = Dialogue.Audience.ANYONE,
    team: Team | None = None,
    unit: Unit | None = None,
    anonymous: bool = True,
    table_mode: str = Dialogue.TableMode.AUTOMATIC,
    table_size: int = 6,
    table_names: list[str] | None = None,
) -> Dialogue:
    if template not in TEMPLATES:
        raise ValidationError({"template": _("Choose one of the templates.")})
    if audience == Dialogue.Audience.TEAM and team is None:
        raise ValidationError({"team": _("Choose the team that takes part.")})
    if audience == Dialogue.Audience.UNIT and unit is None:
        raise ValidationError({"unit": _("Choose the unit that takes part.")})
    names = [name.strip() for name in (table_names or []) if name.strip()]
    if table_mode == Dialogue.TableMode.NAMED and not names:
        raise ValidationError({"table_names": _("Name at least one table, one name per line.")})
    if len(set(name.casefold() for name in names)) != len(names):
        raise ValidationError({"table_names": _("Two tables have the same name.")})
    if not 2 <= table_size <= 50:
        raise ValidationError({"table_size": _("A table has between 2 and 50 people.")})
    dialogue = Dialogue(
        title=title,
        description=description,
        created_by=actor,
        audience=audience,
        team=team if audience == Dialogue.Audience.TEAM else None,
        unit=unit if audience == Dialogue.Audience.UNIT else None,
        anonymous=anonymous,
        table_mode=table_mode,
        table_size=table_size,
    )
    while Dialogue.objects.filter(join_code=dialogue.join_code).exists():
        dialogue.join_code = Dialogue._meta.get_field("join_code").get_default()
    save_and_record(dialogue, actor=actor, action="dialogue.created", tracked=DIALOGUE_FIELDS)
    for order, step in enumerate(TEMPLATES[template].steps, start=1):
        Step.objects.create(
            dialogue=dialogue,
            order=order,
            kind=step.kind,
            question=str(step.question),
            duration=timedelta(minutes=step.minutes),
        )
    for number, name in enumerate(names, start=1):
        table = Table(dialogue=dialogue, number=number, name=name)
        table.full_clean()
        table.save()
    return dialogue


@transaction.atomic
def step_update(*, actor: Any, step: Step, question: str, minutes: int) -> Step:
    if step.dialogue.status == Status.FINISHED:
        raise ValidationError(_("The dialogue has finished; its questions can no longer change."))
    if not 1 <= minutes <= 240:
        raise ValidationError({"minutes": _("A step lasts between 1 and 240 minutes.")})
    step.question = question
    step.duration = timedelta(minutes=minutes)
    step.full_clean()
    step.save()
    if step.dialogue.current_step_id == step.pk:
        live.timer_changed(step.dialogue)
    return step


def _locked(dialogue: Dialogue) -> Dialogue:
    return Dialogue.objects.select_for_update().get(pk=dialogue.pk)


@transaction.atomic
def dialogue_open(*, actor: Any, dialogue: Dialogue) -> Dialogue:
    dialogue = _locked(dialogue)
    if dialogue.status != Status.DRAFT:
        return dialogue
    dialogue.status = Status.OPEN
    dialogue.save(update_fields=["status"])
    record(actor=actor, obj=dialogue, action="dialogue.opened")
    live.dialogue_changed(dialogue)
    return dialogue


def _enter_step(dialogue: Dialogue, step: Step | None) -> None:
    now = timezone.now()
    dialogue.current_step = step
    dialogue.step_started_at = now if step else None
    dialogue.step_ends_at = now + step.duration if step else None
    dialogue.paused_remaining = None
    dialogue.spotlight_table = None


@transaction.atomic
def dialogue_advance(*, actor: Any, dialogue: Dialogue) -> Dialogue:
    """Start the first step, or move on to the next one; after the last step the dialogue finishes."""
    dialogue = _locked(dialogue)
    if dialogue.status == Status.FINISHED:
        raise ValidationError(_("The dialogue has already finished."))
    steps = list(dialogue.steps.order_by("order"))
    current = dialogue.current_step
    following = steps[0] if current is None else next((s for s in steps if s.order > current.order), None)
    if current is not None and current.kind == Step.Kind.TABLE:
        _statements_from_tables(dialogue, current)
    if following is None:
        _enter_step(dialogue, None)
        dialogue.status = Status.FINISHED
        record(actor=actor, obj=dialogue, action="dialogue.finished")
    else:
        if current is None:
            record(actor=actor, obj=dialogue, action="dialogue.started")
        _enter_step(dialogue, following)
        dialogue.status = Status.RUNNING
    dialogue.save()
    live.dialogue_changed(dialogue)
    return dialogue


def _statements_from_tables(dialogue: Dialogue, step: Step) -> None:
    """Each point of each table's summary becomes a statement for the large group's agreement round."""
    order = dialogue.statements.aggregate(top=Max("order"))["top"] or 0
    existing = set(dialogue.statements.values_list("table_id", "text"))
    new = []
    for summary in TableSummary.objects.filter(step=step).select_related("table").order_by("table__number"):
        for point in summary.points:
            if (summary.table_id, point) not in existing:
                order += 1
                new.append(Statement(dialogue=dialogue, table=summary.table, text=point, order=order))
    Statement.objects.bulk_create(new)


@transaction.atomic
def dialogue_extend(*, actor: Any, dialogue: Dialogue, seconds: int = 60) -> Dialogue:
    dialogue = _locked(dialogue)
    if dialogue.status == Status.PAUSED and dialogue.paused_remaining is not None:
        dialogue.paused_remaining += timedelta(seconds=seconds)
    elif dialogue.status == Status.RUNNING and dialogue.step_ends_at is not None:
        dialogue.step_ends_at = max(dialogue.step_ends_at, timezone.now()) + timedelta(seconds=seconds)
    else:
        raise ValidationError(_("Only a running step can be extended."))
    dialogue.save(update_fields=["step_ends_at", "paused_remaining"])
    live.timer_changed(dialogue)
    return dialogue


@transaction.atomic
def dialogue_pause(*, actor: Any, dialogue: Dialogue) -> Dialogue:
    dialogue = _locked(dialogue)
    if dialogue.status == Status.RUNNING:
        dialogue.paused_remaining = dialogue.remaining()
        dialogue.status = Status.PAUSED
    elif dialogue.status == Status.PAUSED:
        dialogue.step_ends_at = timezone.now() + (dialogue.paused_remaining or timedelta(0))
        dialogue.paused_remaining = None
        dialogue.status = Status.RUNNING
    else:
        raise ValidationError(_("Only a running dialogue can be paused."))
    dialogue.save(update_fields=["status", "step_ends_at", "paused_remaining"])
    live.timer_changed(dialogue)
    return dialogue


@transaction.atomic
def dialogue_spotlight(*, actor: Any, dialogue: Dialogue, table: Table | None) -> Dialogue:
    if table is not None and table.dialogue_id != dialogue.pk:
        raise ValidationError(_("The table belongs to another dialogue."))
    dialogue.spotlight_table = table
    dialogue.save(update_fields=["spotlight_table"])
    live.results_changed(dialogue)
    return dialogue


def _place_at_table(dialogue: Dialogue) -> Table:
    """Automatic tables fill evenly: the emptiest table with room, or a new table when all are full."""
    tables = list(dialogue.tables.annotate(size=Count("participants")).order_by("size", "number"))
    for table in tables:
        if getattr(table, "size", 0) < dialogue.table_size:
            return table
    number = max((t.number for t in tables), default=0) + 1
    return Table.objects.create(
        dialogue=dialogue, number=number, name=_("Table %(number)s") % {"number": number}
    )


@transaction.atomic
def participant_join(
    *,
    dialogue: Dialogue,
    token: str | None = None,
    name: str = "",
    user: Any = None,
    table: Table | None = None,
) -> tuple[Participant, str]:
    """Join, or come back: a known token returns the same participant (and place) as before."""
    if token:
        existing = Participant.objects.filter(dialogue=dialogue, token_hash=hash_token(token)).first()
        if existing is not None:
            return existing, token
    if dialogue.status == Status.FINISHED:
        raise ValidationError(_("The dialogue has finished."))
    if dialogue.status == Status.DRAFT:
        raise ValidationError(_("The dialogue is not open yet. Wait until the facilitator opens it."))
    if not dialogue.anonymous and not (name.strip() or getattr(user, "full_name", "")):
        raise ValidationError({"name": _("Write your name: this dialogue is not anonymous.")})
    dialogue = _locked(dialogue)
    if table is not None and table.dialogue_id != dialogue.pk:
        table = None
    if table is None and dialogue.table_mode == Dialogue.TableMode.AUTOMATIC:
        table = _place_at_table(dialogue)
    token = secrets.token_urlsafe(24)
    number = (dialogue.participants.aggregate(top=Max("number"))["top"] or 0) + 1
    participant = Participant(
        dialogue=dialogue,
        token_hash=hash_token(token),
        number=number,
        name=(name.strip() or getattr(user, "full_name", "")) if not dialogue.anonymous else "",
        user=user if getattr(user, "is_authenticated", False) else None,
        table=table,
    )
    participant.full_clean()
    participant.save()
    live.participants_changed(dialogue)
    return participant, token


@transaction.atomic
def participant_choose_table(*, participant: Participant, table: Table) -> Participant:
    if table.dialogue_id != participant.dialogue_id:
        raise ValidationError(_("The table belongs to another dialogue."))
    participant.table = table
    participant.save(update_fields=["table"])
    live.participants_changed(participant.dialogue)
    return participant


def _require_step(dialogue: Dialogue, kind: str) -> Step:
    step = dialogue.current_step
    if dialogue.status not in (Status.RUNNING, Status.PAUSED) or step is None or step.kind != kind:
        raise ValidationError(
            _("This step is over. Your text is still here: copy it if you want to keep it.")
        )
    return step


def _participants_dialogue(participant: Participant, dialogue: Dialogue | None) -> Dialogue:
    """A hall sends thousands of notes and votes a minute: the dialogue the request has just read is used, not
    read again; without one (or with another one) it is read here."""
    if dialogue is None or dialogue.pk != participant.dialogue_id:
        dialogue = Dialogue.objects.select_related("current_step").get(pk=participant.dialogue_id)
    return dialogue


@transaction.atomic
def note_add(*, participant: Participant, text: str, dialogue: Dialogue | None = None) -> Note:
    """``dialogue``: the participant's, as the request has just read it; read here when not given."""
    dialogue = _participants_dialogue(participant, dialogue)
    step = _require_step(dialogue, Step.Kind.REFLECTION)
    note = Note(participant=participant, step=step, text=text.strip())
    note.full_clean(exclude=["participant", "step"])  # both are rows in hand: no need to look them up again
    note.save()
    live.notes_changed(dialogue)
    return note


@transaction.atomic
def note_hide(*, actor: Any, note: Note, hidden: bool = True) -> Note:
    note.hidden = hidden
    note.save(update_fields=["hidden"])
    dialogue = note.participant.dialogue
    live.notes_changed(dialogue)
    if note.participant.table_id:
        live.table_changed(dialogue, note.participant.table_id)
    return note


@transaction.atomic
def summary_save(
    *, participant: Participant, text: str, agreed: bool = False, dialogue: Dialogue | None = None
) -> TableSummary:
    dialogue = _participants_dialogue(participant, dialogue)
    step = _require_step(dialogue, Step.Kind.TABLE)
    if participant.table_id is None:
        raise ValidationError(_("Choose a table first."))
    try:
        summary, _created = TableSummary.objects.select_for_update().get_or_create(
            table_id=participant.table_id, step=step
        )
    except IntegrityError:  # two members saved the first version at once
        summary = TableSummary.objects.select_for_update().get(table_id=participant.table_id, step=step)
    summary.text = text.strip()
    summary.agreed = agreed and bool(summary.text)
    summary.version += 1
    summary.full_clean()
    summary.save()
    live.table_changed(dialogue, participant.table_id)
    live.results_changed(dialogue)
    return summary


@transaction.atomic
def vote_cast(
    *, participant: Participant, statement: Statement, value: int, dialogue: Dialogue | None = None
) -> Vote:
    """``dialogue``: the participant's, as the request has just read it; read here when not given."""
    dialogue = _participants_dialogue(participant, dialogue)
    _require_step(dialogue, Step.Kind.PLENARY)
    if statement.dialogue_id != dialogue.pk or statement.hidden:
        raise ValidationError(_("This statement is not part of the agreement round."))
    if value not in Vote.Value.values:
        raise ValidationError(_("Choose agree, disagree or pass."))
    # One upsert: a hall votes thousands of times a minute.
    vote = Vote(statement=statement, participant=participant, value=value)
    Vote.objects.bulk_create(
        [vote], update_conflicts=True, unique_fields=["statement", "participant"], update_fields=["value"]
    )
    live.results_changed(dialogue)
    return vote


@transaction.atomic
def statement_hide(*, actor: Any, statement: Statement, hidden: bool = True) -> Statement:
    statement.hidden = hidden
    statement.save(update_fields=["hidden"])
    live.statement_hidden(statement.dialogue, statement.pk, hidden)
    return statement


# The results, after or during the dialogue: themes and statements carried onward.

THEMES_CHANGED = gettext_lazy(
    "The themes have changed since the page was shown. Look again and try once more."
)


@transaction.atomic
def theme_edit(
    *,
    actor: Any,
    dialogue: Dialogue,
    action: str,
    theme: str = "",
    themes: list[str] | None = None,
    notes: list[int] | None = None,
    name: str = "",
) -> ThemeEdit:
    """Rename, merge or split a theme. Checked against the themes as they are now, then kept as an edit."""
    _locked(dialogue)  # one edit at a time, so that each is checked against the themes it follows
    current = results.themes_for(dialogue).themes
    keys = {t.key for t in current}
    name = " ".join(name.split())
    if action == ThemeEdit.Action.MERGE:
        themes = list(dict.fromkeys(themes or []))
        if len(themes) < 2:
            raise ValidationError({"themes": _("Choose at least two themes to merge.")})
        missing = set(themes) - keys
    else:
        missing = {theme} - keys
    if missing:
        raise ValidationError(THEMES_CHANGED)
    if action == ThemeEdit.Action.RENAME and not name:
        raise ValidationError({"name": _("Write the theme's new name.")})
    if action == ThemeEdit.Action.SPLIT:
        source = next(t for t in current if t.key == theme)
        moving = set(notes or [])
        if not moving:
            raise ValidationError({"notes": _("Choose the notes to move to a new theme.")})
        if moving - set(source.contribution_ids):
            raise ValidationError(THEMES_CHANGED)
        if len(moving) == source.notes:
            raise ValidationError(
                {
                    "notes": _(
                        "Leave at least one note in the theme. To give the theme another name, rename it."
                    )
                }
            )
    edit = ThemeEdit(
        dialogue=dialogue,
        action=action,
        theme="" if action == ThemeEdit.Action.MERGE else theme,
        themes=themes if action == ThemeEdit.Action.MERGE else [],
        notes=sorted(notes or []) if action == ThemeEdit.Action.SPLIT else [],
        name=name,
        created_by=actor,
    )
    edit.full_clean()
    try:
        results.apply_edit(current, edit)
    except ThemeEditError as error:  # what the checks above do not foresee is refused, never stored
        raise ValidationError(_("This change cannot be made to the themes.")) from error
    edit.save()
    record(actor=actor, obj=dialogue, action="dialogue.themes_changed", changes={"theme_edit": str(edit)})
    return edit


@transaction.atomic
def theme_edit_undo(*, actor: Any, dialogue: Dialogue) -> ThemeEdit | None:
    """Takes back the latest change to the themes; None when there was none."""
    _locked(dialogue)
    edit = dialogue.theme_edits.order_by("-pk").first()
    if edit is not None:
        record(actor=actor, obj=dialogue, action="dialogue.themes_changed", changes={"undone": str(edit)})
        edit.delete()
    return edit


@transaction.atomic
def theme_edits_reset(*, actor: Any, dialogue: Dialogue) -> int:
    """Back to the automatic grouping: every change to the themes is removed. Returns how many were."""
    _locked(dialogue)
    removed, _by_model = dialogue.theme_edits.all().delete()
    if removed:
        record(actor=actor, obj=dialogue, action="dialogue.themes_reset", changes={"removed": removed})
    return removed


@transaction.atomic
def statement_carry_onward(*, actor: Any, statement: Statement, onward: str) -> Statement:
    """Says what is to happen with a statement after the dialogue; an empty text takes that back."""
    statement.onward = onward.strip()
    statement.onward_at = timezone.now() if statement.onward else None
    statement.onward_by = actor if statement.onward else None
    statement.full_clean()
    statement.save(update_fields=["onward", "onward_at", "onward_by"])
    record(
        actor=actor,
        obj=statement.dialogue,
        action="dialogue.statement_onward",
        changes={"statement": str(statement.text)[:200], "onward": statement.onward},
    )
    return statement
