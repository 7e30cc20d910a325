"""Writing history. Services call `record`; nothing else creates, and nothing at all changes, history."""

import datetime
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from tillit.core.models import HistoryEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
        )
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields`, as plain values fit for a history entry."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Each field whose value differs, as [before, after]."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def person_of(actor: Any) -> Any:
    """The person behind an action, or None when the system or an anonymous visitor did it."""
    return actor if getattr(actor, "is_authenticated", False) else None


def record(
    *, actor: Any, obj: models.Model, action: str, changes: Mapping[str, Any] | None = None
) -> HistoryEntry:
    return HistoryEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        actor=person_of(actor),
        action=action,
        changes=dict(changes or {}),
    )


ACTION_LABELS: dict[str, Any] = {}


def label_actions(labels: Mapping[str, Any]) -> None:
    """Each app names its history actions (lazily translated) so pages can show them in words."""
    ACTION_LABELS.update(labels)


def describe(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


VALUE_LABELS: dict[str, dict[Any, Any]] = {}


def label_values(field: str, choices: Iterable[tuple[Any, Any]]) -> None:
    """History keeps a choice's stored value (e.g. "coach"); pages show its label in the reader's language."""
    VALUE_LABELS.setdefault(field, {}).update(choices)


def describe_value(field: str, value: Any) -> str:
    return str(VALUE_LABELS.get(field, {}).get(value, value))


def save_and_record[M: models.Model](
    obj: M,
    *,
    actor: Any,
    action: str,
    tracked: Iterable[str],
    fields: Mapping[str, Any] | None = None,
    check: Callable[[M], None] | None = None,
) -> M:
    """The shape of every create or update service: set the fields, check, validate, save, and record
    what changed in the tracked fields (everything, for a new object; nothing at all when nothing changed)."""
    tracked = tuple(tracked)
    creating = obj._state.adding
    before = {} if creating else snapshot(obj, tracked)
    for name, value in (fields or {}).items():
        setattr(obj, name, value)
    if check is not None:
        check(obj)
    obj.full_clean()
    obj.save()
    after = snapshot(obj, tracked)
    changes = after if creating else changes_between(before, after)
    if creating or changes:
        record(actor=actor, obj=obj, action=action, changes=changes)
    return obj


def history_of(obj: models.Model, limit: int = 30) -> list[HistoryEntry]:
    """The newest history of an object, for its page."""
    return list(HistoryEntry.objects.for_object(obj)[:limit])
