from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from tillit.core.fields import FreeCharField, FreeTextField


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a history entry."""


class HistoryQuerySet(models.QuerySet["HistoryEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("History is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("History is append-only.")

    def for_object(self, obj: models.Model) -> "HistoryQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).select_related("actor")


class HistoryEntry(models.Model):
    """One change to an object that matters: who, when, what object, what changed. Never edited or deleted."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("what"), max_length=100)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects: ClassVar[HistoryQuerySet] = HistoryQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("History is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("History is append-only.")


class AccessibilityReport(models.Model):
    """A problem someone met on the site, reported through the accessibility statement."""

    page = FreeCharField(_("page"), max_length=500, blank=True)
    description = FreeTextField(_("what happened"), max_length=5000)
    contact = models.EmailField(_("your e-mail address (optional)"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("accessibility report")
        verbose_name_plural = _("accessibility reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.page}"
