"""Follow-up for learning: surveys whose answers cannot be tied to a person, indicators (from surveys, by hand or
from Kolada) that feed the effect goals of initiatives, and an inventory of rules and reporting burden.

Anonymity is a property of the data, not of the pages: in an anonymous survey a ``Response`` has no person, no
time, and a random key (not a running number), and "who has answered" (``Recipient``) holds no time and no link
to what was answered."""

import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillit.core.fields import FreeCharField, FreeTextField

DEFAULT_THRESHOLD = 5
MIN_THRESHOLD = 3


def _link_token() -> str:
    return secrets.token_urlsafe(18)


class Survey(models.Model):
    """A self-assessment or pulse survey, sent to a team, a unit, or anyone with its link, open between dates."""

    class Audience(models.TextChoices):
        TEAM = "team", _("A team")
        UNIT = "unit", _("A unit and its teams")
        LINK = "link", _("Anyone with the link")

    title = FreeCharField(_("title"), max_length=200)
    intro = FreeTextField(_("introduction"), max_length=3000, blank=True)
    template = models.CharField(_("template"), max_length=50, blank=True, editable=False)
    # Rounds of the same survey share a series: the trend is drawn over them.
    series = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    round = models.PositiveIntegerField(_("round"), default=1, editable=False)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("The answers carry no identity. Cannot be changed once sent."),
    )
    threshold = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(MIN_THRESHOLD), MaxValueValidator(50)],
        help_text=_(
            "Results are shown for a group only when at least this many have answered (never below 3)."
        ),
    )
    audience = models.CharField(_("sent to"), max_length=10, choices=Audience.choices, default=Audience.TEAM)
    team = models.ForeignKey(
        "organisation.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="surveys"
    )
    unit = models.ForeignKey(
        "organisation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="surveys"
    )
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    link_token = models.CharField(max_length=40, unique=True, default=_link_token, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_on", "-pk"]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("followup:survey", args=[self.pk])


class Release(models.Model):
    """A team shares its results with the unit above it. Until then (or until RELEASE_AFTER_DAYS after the
    survey closed) only the team sees them: results belong to the team first."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="releases")
    team = models.ForeignKey("organisation.Team", on_delete=models.CASCADE, related_name="+")
    released_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "team"], name="one_release_per_team")]

    def __str__(self) -> str:
        return f"{self.survey}: {self.team}"


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title = FreeCharField(_("section"), max_length=200)
    description = FreeTextField(_("description"), max_length=2000, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return str(self.title)


class Item(models.Model):
    class Kind(models.TextChoices):
        SCALE5 = "scale5", _("Scale 1–5")
        SCALE7 = "scale7", _("Scale 1–7")
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = FreeCharField(_("question"), max_length=300)
    low_label = FreeCharField(_("label of the lowest value"), max_length=60, blank=True)
    high_label = FreeCharField(_("label of the highest value"), max_length=60, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    order = models.PositiveIntegerField(default=0)
    # The template's name for the item: the same question across rounds and surveys, for trends and indicators.
    key = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return str(self.text)

    @property
    def scale_max(self) -> int | None:
        return {"scale5": 5, "scale7": 7}.get(self.kind)

    @property
    def is_scale(self) -> bool:
        return self.kind in ("scale5", "scale7")


class Recipient(models.Model):
    """Who was asked, and whether they have answered: never when, never what."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The team whose results the answer counts in (for a unit survey: the person's team in that unit).
    team = models.ForeignKey(
        "organisation.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered = models.BooleanField(default=False)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "person"], name="one_recipient_per_person")]

    def __str__(self) -> str:
        return f"{self.survey}: {self.person}"


class Response(models.Model):
    """One submitted answer sheet. In an anonymous survey: no person, no time at all, a random key; the sheets are
    rewritten in random order, under new keys, when the survey closes (surveys.survey_seal)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    team = models.ForeignKey(
        "organisation.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return str(self.survey)


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    chosen = models.JSONField(default=list, blank=True)
    text = FreeTextField(blank=True, max_length=5000)

    def __str__(self) -> str:
        return f"{self.item}: {self.value or self.chosen or '…'}"


# Indicators.


class Direction(models.TextChoices):
    """Which way an indicator should move: shared by the follow-up's indicators and the labs' effect goals."""

    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class Indicator(models.Model):
    """Something followed over time: from a survey item, entered by hand, or a Kolada KPI."""

    class Source(models.TextChoices):
        SURVEY = "survey", _("A survey question")
        MANUAL = "manual", _("Entered by hand")
        KOLADA = "kolada", _("Kolada")

    Direction = Direction

    name = FreeCharField(_("name"), max_length=200)
    description = FreeTextField(_("description"), max_length=2000, blank=True)
    unit = FreeCharField(_("unit"), max_length=50, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    kolada_kpi = models.CharField(_("Kolada KPI"), max_length=20, blank=True, help_text=_("E.g. N00945."))
    kolada_municipality = models.CharField(
        _("Kolada municipality code"), max_length=10, blank=True, help_text=_("E.g. 0180 for Stockholm.")
    )
    kolada_gender = models.CharField(
        _("Kolada gender"),
        max_length=1,
        default="T",
        choices=[("T", _("Total")), ("K", _("Women")), ("M", _("Men"))],
    )
    survey_item_key = models.CharField(_("survey question"), max_length=50, blank=True)
    team = models.ForeignKey(
        "organisation.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("team"),
        help_text=_("For a survey question: whose results."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.name)

    def get_absolute_url(self) -> str:
        return reverse("followup:indicator", args=[self.pk])


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source_note = FreeCharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"], name="one_value_per_indicator_and_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.measured_on})"


# The inventory of rules and reporting requirements.


class Requirement(models.Model):
    """A rule, guideline, policy or reporting requirement a team or an administration works under."""

    class Kind(models.TextChoices):
        RULE = "rule", _("Rule or routine")
        GUIDELINE = "guideline", _("Guideline")
        POLICY = "policy", _("Policy")
        REPORTING = "reporting", _("Reporting or follow-up")

    class Origin(models.TextChoices):
        LAW = "law", _("Law or ordinance")
        POLITICAL = "political", _("The council or a committee")
        ADMINISTRATION = "administration", _("The administration itself")
        UNIT = "unit", _("The unit or team itself")

    SELF_IMPOSED = (Origin.ADMINISTRATION, Origin.UNIT)

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("requirement", "In force")
        PROPOSED = "proposed", pgettext_lazy("requirement", "Change proposed")
        SIMPLIFIED = "simplified", pgettext_lazy("requirement", "Simplified")
        REMOVED = "removed", pgettext_lazy("requirement", "Removed")

    title = FreeCharField(_("what it is"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    origin = models.CharField(_("where it comes from"), max_length=15, choices=Origin.choices)
    origin_detail = FreeCharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_("E.g. SoL 11 kap. 5 §, or the committee's decision."),
    )
    asked_by = FreeCharField(_("who asks for it"), max_length=200)
    used_by = FreeCharField(_("who uses the result"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_requirements",
        verbose_name=_("owner of the rule"),
        help_text=_("Who can change or remove it; a proposal to change it goes to them."),
    )
    team = models.ForeignKey(
        "organisation.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="requirements",
        verbose_name=_("team"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="requirements",
        verbose_name=_("unit"),
    )
    times_per_year = models.DecimalField(
        _("times per year"), max_digits=7, decimal_places=1, validators=[MinValueValidator(Decimal("0.1"))]
    )
    minutes_each_time = models.PositiveIntegerField(
        _("minutes each time"),
        validators=[MinValueValidator(1)],
        help_text=_("For everyone involved together."),
    )
    usefulness = models.PositiveSmallIntegerField(
        _("how useful it is"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("As those who do the work see it: 1 not at all, 5 very."),
    )

    class Change(models.TextChoices):
        REMOVE = "remove", _("Remove it")
        SIMPLIFY = "simplify", _("Simplify it")

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    change = models.CharField(_("proposed change"), max_length=10, choices=Change.choices, blank=True)
    proposed_minutes = models.PositiveIntegerField(
        _("minutes each time after the change"), null=True, blank=True
    )
    minutes_before_change = models.PositiveIntegerField(
        _("minutes each time before the change"), null=True, blank=True, editable=False
    )
    proposal = models.ForeignKey(
        "decisions.Proposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requirements",
        verbose_name=_("proposal"),
    )
    changed_on = models.DateField(_("changed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rule or requirement")
        verbose_name_plural = _("rules and requirements")
        ordering = ["title"]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("followup:requirement", args=[self.pk])

    @property
    def hours_per_year(self) -> Decimal:
        if self.status == self.Status.REMOVED:
            return Decimal(0)
        return (self.times_per_year * self.minutes_each_time / 60).quantize(Decimal("0.1"))

    @property
    def hours_freed(self) -> Decimal:
        """What a removal or simplification gave back, per year."""
        if self.minutes_before_change is None:
            return Decimal(0)
        before = self.times_per_year * self.minutes_before_change / 60
        return (before - self.hours_per_year).quantize(Decimal("0.1"))

    @property
    def is_self_imposed(self) -> bool:
        return self.origin in self.SELF_IMPOSED
