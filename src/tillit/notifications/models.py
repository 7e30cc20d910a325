"""What Tillit tells a person, in Tillit and by e-mail, and what each person has chosen to receive."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PROPOSAL = "proposal", _("A proposal is waiting for my response")
    DEADLINE = "deadline", _("A proposal's deadline is near and I have not responded")
    DECIDED = "decided", _("A proposal I took part in has been decided")
    REVIEW = "review", _("A decision of my team is due for review")
    ROLE_TERM = "role_term", _("My term in a role ends soon")
    SUPPORT = "support", _("A team I coach asks for support")
    IDEA = "idea", _("An idea I submitted has moved on")
    SURVEY = "survey", _("A survey is waiting for my answer")
    HR = (
        "hr",
        _(
            "A colleague asks for my feedback, a talk is booked with me or its outcome waits for me, or candidates"
            " wait for my assessment"
        ),
    )
    ECONOMY = (
        "economy",
        _("A transaction waits for my attestation, or my team's outcome needs an explanation"),
    )


class Notification(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(max_length=300)
    # What it is about, e.g. "deadline:proposal:12": a reminder is sent once, however often reminders run.
    key = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="one_notification_per_subject")]

    def __str__(self) -> str:
        return self.text


class Setting(models.Model):
    """A person's choice for one kind; without a row, both are on."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    in_app = models.BooleanField(_("in Tillit"), default=True)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="one_setting_per_kind")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}"
