"""A self-organising team's roles (with holders and terms) and its meetings (agenda built on the spot, minutes,
actions)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillit.core.fields import FreeCharField, FreeTextField


class Role(models.Model):
    """A role in the team: a purpose, accountabilities and a domain, held by one or more people for a term."""

    team = models.ForeignKey(
        "organisation.Team", on_delete=models.PROTECT, related_name="team_roles", verbose_name=_("team")
    )
    name = FreeCharField(_("name"), max_length=120)
    purpose = FreeTextField(_("purpose"))
    accountabilities = FreeTextField(_("accountabilities"), blank=True, help_text=_("One per line."))
    domain = FreeTextField(_("domain"), blank=True, help_text=_("What the role alone decides about."))
    term_months = models.PositiveSmallIntegerField(_("term (months)"), default=12)
    template = models.CharField(max_length=40, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "name"],
                condition=Q(active=True),
                name="one_active_role_name_per_team",
                violation_error_message=_("The team already has a role with this name."),
            )
        ]

    def __str__(self) -> str:
        return str(self.name)

    def get_absolute_url(self) -> str:
        return reverse("teams:role", args=[self.pk])

    @property
    def accountability_list(self) -> list[str]:
        return [line.strip() for line in self.accountabilities.splitlines() if line.strip()]


class RoleHolder(models.Model):
    """One person holding a role for a term. Ended terms stay: they are the role's history of holders."""

    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="holders", verbose_name=_("role"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="team_roles",
        verbose_name=_("person"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("term ends"))
    ended_on = models.DateField(_("left the role on"), null=True, blank=True)
    decision = models.ForeignKey(
        "decisions.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("selected by decision"),
    )

    class Meta:
        verbose_name = _("role holder")
        verbose_name_plural = _("role holders")
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.person} – {self.role}"

    @property
    def current(self) -> bool:
        today = timezone.localdate()
        return self.ended_on is None and self.starts_on <= today <= self.ends_on

    def ends_within(self, days: int) -> bool:
        return self.current and self.ends_on <= timezone.localdate() + datetime.timedelta(days=days)


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("meeting status", "Planned")
        OPEN = "open", pgettext_lazy("meeting status", "In progress")
        CLOSED = "closed", pgettext_lazy("meeting status", "Closed")

    team = models.ForeignKey(
        "organisation.Team", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("team")
    )
    starts_at = models.DateTimeField(_("starts"))
    place = FreeCharField(_("place"), max_length=200, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("leads the meeting"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    previous_minutes_approved = models.BooleanField(_("previous minutes approved"), default=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("team meeting")
        verbose_name_plural = _("team meetings")
        ordering = ["-starts_at"]
        permissions = [("run_meeting", "May run a team meeting")]

    def __str__(self) -> str:
        return f"{self.team} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("teams:meeting", args=[self.pk])


class AgendaItem(models.Model):
    """An item added on the spot by whoever brings it: what it is for, and how long it may take."""

    class Purpose(models.TextChoices):
        INFORM = "inform", _("Inform")
        ADVICE = "advice", _("Ask for advice")
        DECIDE = "decide", _("Decide")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    title = FreeCharField(_("item"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("brought by")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    minutes = models.PositiveSmallIntegerField(_("time box (minutes)"), default=10)
    order = models.PositiveIntegerField(default=0)
    notes = FreeTextField(_("minutes"), blank=True)
    done = models.BooleanField(_("dealt with"), default=False)
    decision = models.ForeignKey(
        "decisions.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decision"),
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return str(self.title)


class Action(models.Model):
    """Something someone will do, with a date; shown on the team home until it is done."""

    team = models.ForeignKey("organisation.Team", on_delete=models.PROTECT, related_name="actions")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    text = FreeCharField(_("what"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    due_on = models.DateField(_("by"))
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return str(self.text)


class SupportRequest(models.Model):
    """A team asking its coach for support, in one action."""

    team = models.ForeignKey("organisation.Team", on_delete=models.CASCADE, related_name="support_requests")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = FreeTextField(_("what it is about (optional)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.team}: {self.message[:40]}"
