"""Residents as expert users: a citizen panel joined by consent, invitations to dialogues and co-creation
workshops, feedback on services, and what came of each contribution (Decidim's accountability, for feedback).

A resident has no account. Their personal link (a token) opens their own page and nothing else."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tillit.core.fields import FreeCharField, FreeTextField


def new_token() -> str:
    return secrets.token_urlsafe(24)


class PanelSettings(models.Model):
    """The retention rule for residents' data, set by an administrator. One row."""

    retention_months = models.PositiveSmallIntegerField(
        _("keep residents' data for (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "A panel member who has not used their page or taken part for this long is removed, and a"
            " finished contribution loses its contact details this long after its last change."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("citizen panel settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "PanelSettings":
        return cls.objects.get_or_create(pk=1)[0]


class ConsentText(models.Model):
    """A version of what a resident agrees to when joining: what is stored, why and for how long. A new
    version never changes what earlier members agreed to; their page shows the version they accepted."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    text_sv = FreeTextField(_("text in Swedish"))
    text_en = FreeTextField(_("text in English"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("consent text")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{_('Consent text')} {self.version}"

    @property
    def text(self) -> str:
        return str(self.text_en if (get_language() or "sv").startswith("en") else self.text_sv)


phone_number = RegexValidator(
    r"^\+?[0-9][0-9 \-]{5,18}[0-9]$", _("Write a phone number with digits, e.g. 070-123 45 67.")
)


class PanelMember(models.Model):
    """A resident in the panel: only what invitations need, and their interests."""

    name = FreeCharField(_("name or alias"), max_length=100)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("mobile phone number"), max_length=20, blank=True, validators=[phone_number])
    services = models.ManyToManyField(
        "organisation.Team", blank=True, related_name="+", verbose_name=_("services you care about")
    )
    area = FreeCharField(_("your part of the municipality (optional)"), max_length=100, blank=True)
    consent = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="+")
    consented_at = models.DateTimeField(_("consented"))
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    last_active_at = models.DateTimeField(_("last active"))

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""),
                name="panel_member_reachable",
                violation_error_message=_(
                    "Give an e-mail address or a phone number, so that we can invite you."
                ),
            )
        ]

    def __str__(self) -> str:
        # Not the name: this is what history keeps of a member, and a member who leaves leaves no name behind.
        return f"{_('Panel member')} {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("citizens:member", args=[self.token])


class Invitation(models.Model):
    """A team inviting panel members, by their interests, to a dialogue or a co-creation workshop."""

    class Kind(models.TextChoices):
        DIALOGUE = "dialogue", _("Dialogue")
        WORKSHOP = "workshop", _("Co-creation workshop")

    team = models.ForeignKey(
        "organisation.Team",
        on_delete=models.PROTECT,
        related_name="panel_invitations",
        verbose_name=_("team"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.WORKSHOP)
    title = FreeCharField(_("title"), max_length=200)
    description = FreeTextField(_("what it is about"))
    starts_at = models.DateTimeField(_("when"))
    place = FreeCharField(_("where"), max_length=200, blank=True)
    dialogue = models.ForeignKey(
        "dialogue.Dialogue",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dialogue"),
    )
    services = models.ManyToManyField(
        "organisation.Team",
        blank=True,
        related_name="+",
        verbose_name=_("invite those who care about"),
        help_text=_("Leave empty to invite the whole panel."),
    )
    members = models.ManyToManyField(PanelMember, blank=True, related_name="invitations")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("citizens:event", args=[self.pk])


class Feedback(models.Model):
    """A resident's feedback on a service, followed to what came of it."""

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("feedback status", "Received")
        CONSIDERING = "considering", pgettext_lazy("feedback status", "Under consideration")
        INITIATIVE = "initiative", pgettext_lazy("feedback status", "Became an initiative")
        DECISION = "decision", pgettext_lazy("feedback status", "Became a decision")
        DECLINED = "declined", pgettext_lazy("feedback status", "Not taken forward")

    team = models.ForeignKey(
        "organisation.Team", on_delete=models.PROTECT, related_name="feedback", verbose_name=_("service")
    )
    text = FreeTextField(_("your feedback"), max_length=4000)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    member = models.ForeignKey(
        PanelMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    name = FreeCharField(_("your name (optional)"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail address for news (optional)"), blank=True)
    public = models.BooleanField(_("show it publicly"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    answer = FreeTextField(_("the team's answer"), blank=True)
    idea = models.ForeignKey(
        "labs.Idea",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("idea"),
    )
    proposal = models.ForeignKey(
        "decisions.Proposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposal"),
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return str(self.text)[:60]

    def get_absolute_url(self) -> str:
        return reverse("citizens:feedback_status", args=[self.token])

    @property
    def latest_update(self) -> "FeedbackUpdate | None":
        """The last step, from the prefetched steps when a list page fetched them."""
        updates = list(self.updates.all())
        return updates[-1] if updates else None

    @property
    def is_final(self) -> bool:
        return self.status in (self.Status.INITIATIVE, self.Status.DECISION, self.Status.DECLINED)


class FeedbackUpdate(models.Model):
    """A step on the way: what the contributor sees on their page, and what "what came of it" shows."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=20, choices=Feedback.Status.choices)
    message = FreeTextField(_("message"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.status}"
