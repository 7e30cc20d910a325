"""The three-step dialogue meeting: individual reflection, exchange at tables, summary in the large group."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.core.fields import FreeCharField, FreeTextField

# Letters and digits that cannot be mistaken for one another when read off a projector.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class Dialogue(models.Model):
    class Audience(models.TextChoices):
        ANYONE = "anyone", _("Anyone with the join code")
        TEAM = "team", _("A team")
        UNIT = "unit", _("A unit")

    class TableMode(models.TextChoices):
        NAMED = "named", _("Named tables, chosen by the participants")
        AUTOMATIC = "automatic", _("Automatic tables, filled as people arrive")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Open for joining")
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        FINISHED = "finished", _("Finished")

    title = FreeCharField(_("title"), max_length=200)
    description = FreeTextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("facilitator")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    audience = models.CharField(
        _("who may take part"), max_length=10, choices=Audience.choices, default=Audience.ANYONE
    )
    team = models.ForeignKey(
        "organisation.Team", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("team")
    )
    unit = models.ForeignKey(
        "organisation.Unit", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("unit")
    )
    anonymous = models.BooleanField(
        _("anonymous participation"),
        default=True,
        help_text=_("Contributions are shown and exported without names."),
    )
    table_mode = models.CharField(
        _("tables"), max_length=10, choices=TableMode.choices, default=TableMode.AUTOMATIC
    )
    table_size = models.PositiveSmallIntegerField(_("people per table"), default=6)
    join_code = models.CharField(
        _("join code"), max_length=JOIN_CODE_LENGTH, unique=True, default=new_join_code
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    current_step = models.ForeignKey(
        "Step",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("current step"),
    )
    step_started_at = models.DateTimeField(null=True, blank=True)
    step_ends_at = models.DateTimeField(null=True, blank=True)
    paused_remaining = models.DurationField(null=True, blank=True)
    spotlight_table = models.ForeignKey(
        "Table",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("spotlight"),
    )

    class Meta:
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("dialogue:console", args=[self.pk])

    def remaining(self, now: datetime | None = None) -> timedelta | None:
        if self.status == self.Status.PAUSED:
            return self.paused_remaining
        if self.step_ends_at is None:
            return None
        return max(self.step_ends_at - (now or timezone.now()), timedelta(0))


class Step(models.Model):
    class Kind(models.TextChoices):
        REFLECTION = "reflection", _("Individual reflection")
        TABLE = "table", _("Exchange at the tables")
        PLENARY = "plenary", _("Summary in the large group")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    question = FreeTextField(_("question"), max_length=1000)
    duration = models.DurationField(_("duration"), default=timedelta(minutes=5))

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["dialogue", "order"]
        constraints = [models.UniqueConstraint(fields=["dialogue", "order"], name="one_step_per_place")]

    def __str__(self) -> str:
        return f"{self.order}. {self.get_kind_display()}"

    @property
    def minutes(self) -> int:
        return int(self.duration.total_seconds() // 60)


class Table(models.Model):
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="tables")
    number = models.PositiveIntegerField()
    name = FreeCharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        ordering = ["dialogue", "number"]
        constraints = [models.UniqueConstraint(fields=["dialogue", "number"], name="one_table_per_number")]

    def __str__(self) -> str:
        return str(self.name)


class Participant(models.Model):
    """Someone taking part, usually from a phone without an account. The token in their cookie keeps
    their place when they reload or reconnect; only its hash is stored."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="participants")
    token_hash = models.CharField(max_length=64, unique=True)
    number = models.PositiveIntegerField()
    name = FreeCharField(_("name"), max_length=100, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    table = models.ForeignKey(
        Table, null=True, blank=True, on_delete=models.SET_NULL, related_name="participants"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "number"], name="one_participant_per_number")
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name and not self.dialogue.anonymous:
            return str(self.name)
        return str(_("Participant %(number)s") % {"number": self.number})


class Note(models.Model):
    """What one participant wrote in a reflection step. Private to its writer until the step ends."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="notes")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="notes")
    text = FreeTextField(_("note"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    hidden = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return str(self.text)[:60]


class TableSummary(models.Model):
    """What a table agreed on in a table step, one point per line, written together."""

    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="summaries")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="summaries")
    text = FreeTextField(_("our summary"), max_length=2000, blank=True)
    agreed = models.BooleanField(_("agreed"), default=False)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("table summary")
        verbose_name_plural = _("table summaries")
        constraints = [
            models.UniqueConstraint(fields=["table", "step"], name="one_summary_per_table_and_step")
        ]

    def __str__(self) -> str:
        return f"{self.table}: {str(self.text)[:60]}"

    @property
    def points(self) -> list[str]:
        return [line.strip(" -•*\t") for line in str(self.text).splitlines() if line.strip(" -•*\t")]


class Statement(models.Model):
    """A point put to the large group's agreement round; from a table's summary."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="statements")
    table = models.ForeignKey(
        Table, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    text = FreeTextField(_("statement"), max_length=500)
    order = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(default=False)
    # Carried onward: what is to happen with the statement after the dialogue, said by whoever runs it.
    onward = FreeTextField(_("what happens next"), max_length=1000, blank=True)
    onward_at = models.DateTimeField(null=True, blank=True)
    onward_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["dialogue", "order", "id"]

    def __str__(self) -> str:
        return str(self.text)[:60]


class Vote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, _("Agree")
        PASS = 0, _("Pass")
        DISAGREE = -1, _("Disagree")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=Value.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "participant"], name="one_vote_per_statement")
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_value_display()}"


class ThemeEdit(models.Model):
    """A facilitator's change to the automatic themes: rename, merge or split.

    The themes themselves are never stored: they are computed from the visible notes, and the edits are
    replayed on them in order. An edit whose themes or notes no longer exist (a note was hidden and the
    grouping changed) is skipped, and the results page says how many were.
    """

    class Action(models.TextChoices):
        RENAME = "rename", _("Renamed")
        MERGE = "merge", _("Merged")
        SPLIT = "split", _("Split")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="theme_edits")
    action = models.CharField(max_length=10, choices=Action.choices)
    theme = models.CharField(max_length=200, blank=True)
    themes = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    name = FreeCharField(_("name"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("theme change")
        verbose_name_plural = _("theme changes")
        ordering = ["dialogue", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.name or self.theme}"
