"""The organisation tree as nested lists, built in Python: a recursive {% include %} per unit costs
about a millisecond each, which a municipality with hundreds of units and a thousand teams notices."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from tillit.organisation.selectors import UnitNode

register = template.Library()


def _url(name: str) -> str:
    return reverse(name, args=["SLUG"]).replace("SLUG", "{}")


@register.simple_tag
def organisation_tree(roots: list[UnitNode], manage: bool = False) -> SafeString:
    unit_url, team_url, edit_url = (
        _url("organisation:unit"),
        _url("organisation:team"),
        _url("organisation:unit_edit"),
    )
    edit_label = gettext("Edit")

    def people_label(count: int) -> str:
        return ngettext("%(count)s person", "%(count)s people", count) % {"count": count}

    def node_html(node: UnitNode) -> SafeString:
        unit = node.unit
        count = node.team_count
        parts = [
            format_html(
                '<div class="tree__unit"><a href="{}">{}</a> <span class="muted">{} · {}</span>',
                unit_url.format(unit.slug),
                unit.name,
                unit.get_kind_display(),
                ngettext("%(count)s team", "%(count)s teams", count) % {"count": count},
            )
        ]
        if manage:
            parts.append(
                format_html(
                    ' <a class="button button--small button--secondary" href="{}">{}'
                    '<span class="visually-hidden"> {}</span></a>',
                    edit_url.format(unit.slug),
                    edit_label,
                    unit.name,
                )
            )
        parts.append(mark_safe("</div>"))
        if node.teams:
            items = format_html_join(
                "",
                '<li><a href="{}">{}</a> <span class="muted">({})</span></li>',
                (
                    (
                        team_url.format(team.slug),
                        team.name,
                        people_label(getattr(team, "member_count", 0)),
                    )
                    for team in node.teams
                ),
            )
            parts.append(format_html('<ul class="tree__teams">{}</ul>', items))
        if node.children:
            parts.append(
                format_html(
                    "<ul>{}</ul>", format_html_join("", "{}", ((node_html(c),) for c in node.children))
                )
            )
        return format_html("<li>{}</li>", mark_safe("".join(parts)))  # noqa: S308 - every part is escaped above

    return format_html(
        '<ul class="tree">{}</ul>', format_html_join("", "{}", ((node_html(r),) for r in roots))
    )
