"""Hypothesis labs, the initiatives they run, effect goals with measurements, and the ideas that feed them."""

import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillit.core.fields import FreeCharField, FreeTextField
from tillit.followup.models import Direction

ATTACHMENT_EXTENSIONS = [
    "pdf",
    "docx",
    "xlsx",
    "pptx",
    "odt",
    "ods",
    "odp",
    "txt",
    "csv",
    "png",
    "jpg",
    "jpeg",
]
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


class Lab(models.Model):
    """A hypothesis lab (hypoteslabb): a question explored with researchers, in tracks, through initiatives."""

    name = FreeCharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name in links"), max_length=200, unique=True)
    description = FreeTextField(_("description"), max_length=10000)
    hypothesis = FreeTextField(_("hypothesis"), max_length=5000)
    research_partners = FreeTextField(
        _("research partners"),
        max_length=2000,
        blank=True,
        help_text=_("Researchers and universities taking part, one per line."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lab")
        verbose_name_plural = _("labs")
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.name)

    def get_absolute_url(self) -> str:
        return reverse("labs:lab", args=[self.slug])

    @property
    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.research_partners.splitlines() if line.strip()]


class Track(models.Model):
    """One line of work in a lab, e.g. one team in school and leisure and one in social services."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="tracks", verbose_name=_("lab"))
    name = FreeCharField(_("name"), max_length=200)
    description = FreeTextField(_("description"), max_length=2000, blank=True)
    unit = models.ForeignKey(
        "organisation.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("administration or unit"),
    )

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["lab", "name"],
                name="one_track_name_per_lab",
                violation_error_message=_("The lab already has a track with this name."),
            )
        ]

    def __str__(self) -> str:
        return str(self.name)


class Initiative(models.Model):
    """An initiative (utvecklingsinitiativ) as Helsingborg's portfolio shows one: what, why, how, effect goals
    and learnings, with its stage in the innovation model and its status."""

    class Stage(models.TextChoices):
        EXPLORE_IDEA = "explore_idea", _("Explore the idea")
        EXPLORE_SETUP = "explore_setup", _("Explore the set-up")
        PILOT = "pilot", _("Develop a pilot")
        SCALE = "scale", _("Scale")

    class Status(models.TextChoices):
        ONGOING = "ongoing", pgettext_lazy("initiative status", "Ongoing")
        PAUSED = "paused", pgettext_lazy("initiative status", "Paused")
        REALISED = "realised", pgettext_lazy("initiative status", "Realised")
        STOPPED = "stopped", pgettext_lazy("initiative status", "Stopped")

    ENDED = (Status.REALISED, Status.STOPPED)

    title = FreeCharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in links"), max_length=200, unique=True)
    lab = models.ForeignKey(
        Lab,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name=_("lab"),
    )
    track = models.ForeignKey(
        Track,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives",
        verbose_name=_("track"),
    )
    area = FreeCharField(
        _("area"), max_length=100, blank=True, help_text=_("E.g. Lärande och etablering, Omsorg, Miljö.")
    )
    administration = models.ForeignKey(
        "organisation.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name=_("administration"),
    )
    what = FreeTextField(_("What?"), max_length=10000)
    why = FreeTextField(_("Why?"), max_length=10000)
    how = FreeTextField(_("How?"), max_length=10000)
    hypothesis = FreeTextField(_("hypothesis"), max_length=5000, blank=True)
    success_factors = FreeTextField(
        _("success factors explored"), max_length=5000, blank=True, help_text=_("One per line.")
    )
    questions = FreeTextField(
        _("questions explored"), max_length=5000, blank=True, help_text=_("One per line.")
    )
    teams = models.ManyToManyField(
        "organisation.Team", blank=True, related_name="initiatives", verbose_name=_("teams involved")
    )
    pilot_start = models.DateField(_("pilot period starts"), null=True, blank=True)
    pilot_end = models.DateField(_("pilot period ends"), null=True, blank=True)
    support = FreeTextField(
        _("support"),
        max_length=3000,
        blank=True,
        help_text=_("E.g. the administration's innovation lead, an external consultant, freed time."),
    )
    citizen_involvement = FreeTextField(
        _("citizen involvement"),
        max_length=5000,
        blank=True,
        help_text=_("How citizens take part as expert users of the service."),
    )
    contact_name = FreeCharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.EXPLORE_IDEA)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ONGOING)
    learned_worked = FreeTextField(_("What worked"), max_length=10000, blank=True)
    learned_not_worked = FreeTextField(_("What did not work"), max_length=10000, blank=True)
    learned_for_others = FreeTextField(_("What others should know"), max_length=10000, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Where an imported initiative comes from: another municipality's open-data export.
    source_municipality = FreeCharField(_("from municipality"), max_length=200, blank=True)
    source_url = models.URLField(_("original page"), max_length=500, blank=True)
    # Casefolded text of the initiative, so that search finds "Ökad" when someone types "ökad" on any database.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["published_at", "status"])]

    def __str__(self) -> str:
        return str(self.title)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = " ".join(
            str(getattr(self, name))
            for name in ("title", "area", "what", "why", "how", "hypothesis", *LEARNING_FIELDS)
        ).casefold()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("labs:initiative", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_ended(self) -> bool:
        return self.status in self.ENDED

    @property
    def has_learnings(self) -> bool:
        return any(getattr(self, name).strip() for name in LEARNING_FIELDS)

    @property
    def success_factor_list(self) -> list[str]:
        return _lines(self.success_factors)

    @property
    def question_list(self) -> list[str]:
        return _lines(self.questions)


LEARNING_FIELDS = ("learned_worked", "learned_not_worked", "learned_for_others")


def _lines(text: str) -> list[str]:
    return [line.strip(" •-*\t") for line in text.splitlines() if line.strip(" •-*\t")]


class Link(models.Model):
    """A link from an initiative: a research report, a news item, a film."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="links")
    title = FreeCharField(_("title"), max_length=200)
    url = models.URLField(_("address"), max_length=500)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.title)


def _attachment_path(instance: "Attachment", filename: str) -> str:
    return f"labs/{instance.initiative_id}/{secrets.token_hex(8)}/{filename}"


class Attachment(models.Model):
    """A file that belongs to an initiative, e.g. a research report. Public when the initiative is."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="attachments")
    title = FreeCharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=_attachment_path,
        max_length=300,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)],
    )
    size = models.PositiveBigIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def filename(self) -> str:
        return (self.file.name or "").rsplit("/", 1)[-1]

    @property
    def extension(self) -> str:
        name = self.filename
        return name.rsplit(".", 1)[-1].upper() if "." in name else ""


class EffectGoal(models.Model):
    """What the initiative should change (effektmål), followed through indicators."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="effect_goals")
    title = FreeCharField(_("effect goal"), max_length=300)
    description = FreeTextField(_("description"), max_length=3000, blank=True)

    class Meta:
        verbose_name = _("effect goal")
        verbose_name_plural = _("effect goals")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.title)


class Indicator(models.Model):
    """How an effect goal is measured: from a baseline toward a target by a date."""

    Direction = Direction

    goal = models.ForeignKey(EffectGoal, on_delete=models.CASCADE, related_name="indicators")
    name = FreeCharField(_("indicator"), max_length=200)
    unit = FreeCharField(_("unit"), max_length=50, blank=True, help_text=_("E.g. %, days, index 1–5."))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    baseline_on = models.DateField(_("baseline measured on"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    target_on = models.DateField(_("target date"))
    feed = models.ForeignKey(
        "followup.Indicator",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="effect_indicators",
        verbose_name=_("filled from"),
        help_text=_(
            "An indicator of the follow-up (a survey question or a Kolada KPI) whose values fill this one."
        ),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.name)


class Measurement(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        SURVEY = "survey", _("A survey")
        KOLADA = "kolada", _("Kolada")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    comment = FreeCharField(_("comment"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["measured_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"],
                name="one_measurement_per_indicator_and_day",
                violation_error_message=_("There is already a measurement on this date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.measured_on})"


def progress(indicator: Indicator, latest: Decimal | None) -> float | None:
    """How far the latest measurement has come from the baseline toward the target, 0–1 (below 0 when it went
    the wrong way). None when there is no measurement: no progress is shown without one."""
    if latest is None or indicator.target == indicator.baseline:
        return None
    return float((latest - indicator.baseline) / (indicator.target - indicator.baseline))


def _token() -> str:
    return secrets.token_urlsafe(24)


class Idea(models.Model):
    """An idea from an employee or a citizen: the problem, the idea and who benefits, followed to its outcome."""

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("idea status", "Received")
        ASSESSING = "assessing", pgettext_lazy("idea status", "Being assessed")
        ACCEPTED = "accepted", pgettext_lazy("idea status", "To be taken forward")
        INITIATIVE = "initiative", pgettext_lazy("idea status", "Became an initiative")
        DECLINED = "declined", pgettext_lazy("idea status", "Not taken forward")

    title = FreeCharField(_("your idea in a few words"), max_length=200)
    problem = FreeTextField(_("the problem"), max_length=5000, help_text=_("What is not working well today?"))
    idea = FreeTextField(_("the idea"), max_length=5000, help_text=_("What could be done instead?"))
    beneficiaries = FreeTextField(
        _("who benefits"), max_length=2000, help_text=_("Residents, colleagues, a service: who would notice?")
    )
    area = FreeCharField(_("area"), max_length=100, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
        verbose_name=_("submitted by"),
    )
    submitter_name = FreeCharField(_("your name (optional)"), max_length=200, blank=True)
    submitter_email = models.EmailField(
        _("your e-mail address (optional)"),
        blank=True,
        help_text=_("We write to you when your idea moves on. We use it for nothing else."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    initiative = models.OneToOneField(
        Initiative,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="idea",
        verbose_name=_("initiative"),
    )
    # The submitter's own link to follow the idea without an account. Shown once, kept as is so it can be
    # sent again by e-mail; it opens one idea's status and nothing else.
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("labs:idea_status", args=[self.token])

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.INITIATIVE, self.Status.DECLINED)


class IdeaUpdate(models.Model):
    """A step in an idea's assessment with the feedback the submitter sees."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=20, choices=Idea.Status.choices)
    message = FreeTextField(_("feedback to the submitter"), max_length=5000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.idea}: {self.status}"
