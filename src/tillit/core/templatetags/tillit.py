from datetime import timedelta
from typing import Any

import segno
from django import template
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tillit.core.formats import figure
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
    "position": _("Response"),
    "item": _("Item"),
    "item_count": _("Items"),
    "previous_meeting": _("Previous meeting"),
    "action": _("Action"),
    "goal": _("Effect goal"),
    "indicator": _("Indicator"),
    "measured_on": _("Measured on"),
    "value": _("Value"),
    "baseline": _("Baseline"),
    "target": _("Target"),
    "link": _("Link"),
    "attachment": _("Attachment"),
    "track": _("Track"),
    "decision": _("Decision"),
}


@register.filter
def describe_action(action: str) -> str:
    return describe(action)


@register.filter
def field_label(name: str, entry: Any = None) -> str:
    """A changed field's name in words: the field's own name on the entry's kind of object when it has one
    (a proposal's title is not a person's job title), else the shared label."""
    # get_for_id is cached: the page does not ask the database once per entry.
    model = ContentType.objects.get_for_id(entry.content_type_id).model_class() if entry is not None else None
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            pass
        else:
            label = getattr(field, "verbose_name", None)
            if label:
                return capfirst(str(label))
    return str(FIELD_LABELS.get(name, name))


@register.filter
def change_text(value: Any, field: str = "") -> str:
    """A history value in words: a [before, after] pair reads as “before → after”."""

    def word(item: Any) -> str:
        if isinstance(item, bool):
            return str(_("Yes") if item else _("No"))
        return "–" if item in (None, "") else describe_value(field, item)

    if isinstance(value, list) and len(value) == 2:
        return f"{word(value[0])} → {word(value[1])}"
    return word(value)


@register.filter
def initials(name: str) -> str:
    parts = [part for part in str(name).split() if part]
    return "".join(part[0] for part in parts[:2]).upper() or "?"


@register.simple_tag
def qr_code(url: str, label: str) -> SafeString:
    """A QR code as inline SVG (no image request, no script), named for screen readers."""
    svg = segno.make(url, error="m").svg_inline(scale=8, border=2, dark="#111", light="#fff", omitsize=True)
    return format_html('<span class="qr" role="img" aria-label="{}">{}</span>', label, mark_safe(svg))  # noqa: S308


@register.filter
def duration_clock(value: timedelta | None) -> str:
    """A countdown as on a clock: 4:05, or 1:02:03 past an hour."""
    seconds = max(int(value.total_seconds()), 0) if value is not None else 0
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@register.filter
def duration_words(value: timedelta | None) -> str:
    seconds = max(int(value.total_seconds()), 0) if value is not None else 0
    if seconds >= 60:
        minutes = round(seconds / 60)
        return ngettext("about %(count)s minute left", "about %(count)s minutes left", minutes) % {
            "count": minutes
        }
    return ngettext("%(count)s second left", "%(count)s seconds left", seconds) % {"count": seconds}


register.filter("figure", figure)
