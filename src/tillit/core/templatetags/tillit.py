from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from tillit.core.history import describe, describe_value

register = template.Library()

FIELD_LABELS = {
    "name": _("Name"),
    "full_name": _("Name"),
    "email": _("E-mail address"),
    "title": _("Job title"),
    "kind": _("Kind"),
    "parent": _("Part of"),
    "unit": _("Unit"),
    "description": _("Description"),
    "purpose": _("Purpose"),
    "person": _("Person"),
    "role": _("Role"),
    "people": _("People"),
    "teams": _("Teams"),
    "units": _("Units"),
    "seed": _("Random seed"),
}


@register.filter
def describe_action(action: str) -> str:
    return describe(action)


@register.filter
def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


@register.filter
def change_text(value: Any, field: str = "") -> str:
    """A history value in words: a [before, after] pair reads as “before → after”."""

    def word(item: Any) -> str:
        return "–" if item in (None, "") else describe_value(field, item)

    if isinstance(value, list) and len(value) == 2:
        return f"{word(value[0])} → {word(value[1])}"
    return word(value)


@register.filter
def initials(name: str) -> str:
    parts = [part for part in str(name).split() if part]
    return "".join(part[0] for part in parts[:2]).upper() or "?"
