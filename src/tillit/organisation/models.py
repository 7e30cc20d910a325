from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillit.core.fields import FreeCharField, FreeTextField


class Unit(models.Model):
    """A node of the organisation tree: the municipality, an administration, a unit below it, at any depth."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", pgettext_lazy("kind of unit", "Municipality")
        ADMINISTRATION = "administration", pgettext_lazy("kind of unit", "Administration")
        UNIT = "unit", pgettext_lazy("kind of unit", "Unit")

    name = FreeCharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in links"), max_length=200, unique=True, allow_unicode=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.UNIT)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("part of"),
    )
    description = FreeTextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="municipality"),
                name="one_municipality",
                violation_error_message=_("There is already a municipality at the top of the tree."),
            )
        ]

    def __str__(self) -> str:
        return str(self.name)

    def get_absolute_url(self) -> str:
        return reverse("organisation:unit", args=[self.slug])


class Team(models.Model):
    name = FreeCharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in links"), max_length=200, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="teams", verbose_name=_("unit"))
    purpose = FreeTextField(_("purpose"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.name)

    def get_absolute_url(self) -> str:
        return reverse("organisation:team", args=[self.slug])


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Team member")
        COACH = "coach", _("Coach")

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role in the team"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"],
                name="one_membership_per_team",
                violation_error_message=_("This person is already in the team."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.team} ({self.get_role_display()})"


class RoleAssignment(models.Model):
    """A role someone holds beyond their team: in the whole municipality, or in one unit and below."""

    class Role(models.TextChoices):
        FACILITATOR = "facilitator", _("Facilitator / HR developer")
        DEVELOPMENT_LEAD = "development_lead", _("Development lead")
        RESEARCHER = "researcher", _("Researcher")
        ADMINISTRATOR = "administrator", _("Administrator")
        MANAGER = "manager", _("Manager")
        HR = "hr", _("HR specialist")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("in unit"),
        help_text=_("Leave empty for the whole municipality."),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role", "unit"],
                name="one_assignment_per_role_and_unit",
                violation_error_message=_("This person already holds this role here."),
            ),
            models.UniqueConstraint(
                fields=["person", "role"],
                condition=Q(unit__isnull=True),
                name="one_municipality_wide_assignment_per_role",
                violation_error_message=_("This person already holds this role in the whole municipality."),
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit else _("the whole municipality")
        return f"{self.person} – {self.get_role_display()} ({where})"
