from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from tillit.core.history import describe

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
def change_text(value: Any) -> str:
    """A history value: a [before, after] pair reads as “before → after”."""
    empty = "–"
    if isinstance(value, list) and len(value) == 2:
        before, after = value
        return (
            f"{before if before not in (None, '') else empty} → {after if after not in (None, '') else empty}"
        )
    return empty if value in (None, "") else str(value)


@register.filter
def initials(name: str) -> str:
    parts = [part for part in str(name).split() if part]
    return "".join(part[0] for part in parts[:2]).upper() or "?"
