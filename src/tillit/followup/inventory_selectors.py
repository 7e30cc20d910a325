"""Reads of the inventory of rules and reporting requirements, with the totals the overview shows: hours a year per
team and per origin, the share the organisation has set itself ("room for action"), and the hours that removals
and simplifications have freed. Every read takes a fixed number of queries, whatever the size of the inventory."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, DecimalField, F, Q, QuerySet, Value, When
from django.http import Http404

from tillit.core.collation import swedish_sort_key
from tillit.core.permissions import require
from tillit.followup.inventory import units_under, works_under
from tillit.followup.models import Requirement
from tillit.organisation.models import Membership, Team, Unit
from tillit.organisation.selectors import unit_descendant_ids

ZERO = Decimal(0)


@dataclass(frozen=True)
class InventoryFilter:
    team: Team | None = None
    unit: Unit | None = (
        None  # the unit's own items and those of its teams, and of the units and teams below it
    )
    origin: str = ""
    kind: str = ""
    status: str = ""


def _yearly_minutes() -> Case:
    """Minutes a year as the database reckons them, for ordering: nothing for a removed item."""
    return Case(
        When(status=Requirement.Status.REMOVED, then=Value(ZERO)),
        default=F("times_per_year") * F("minutes_each_time"),
        output_field=DecimalField(max_digits=16, decimal_places=1),
    )


def requirement_list(*, user: Any, filters: InventoryFilter | None = None) -> QuerySet[Requirement]:
    """The items, most costly and least valued first: by hours a year, the most first; among equally costly, the
    least useful first; then by name."""
    require(user, "followup.view")
    filters = filters or InventoryFilter()
    items = Requirement.objects.select_related("team__unit", "unit", "owner", "proposal")
    if filters.team is not None:
        items = items.filter(team=filters.team)
    if filters.unit is not None:
        units = {filters.unit.pk, *unit_descendant_ids(filters.unit)}
        items = items.filter(Q(unit__in=units) | Q(team__unit__in=units))
    if filters.origin:
        items = items.filter(origin=filters.origin)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.status:
        items = items.filter(status=filters.status)
    return items.annotate(yearly_minutes=_yearly_minutes()).order_by(
        "-yearly_minutes", "usefulness", "title", "pk"
    )


def requirement_get_for(*, user: Any, pk: int) -> Requirement:
    require(user, "followup.view")
    try:
        return Requirement.objects.select_related(
            "team__unit", "unit", "owner", "proposal__team", "created_by"
        ).get(pk=pk)
    except Requirement.DoesNotExist as exc:
        raise Http404 from exc


@dataclass
class OriginTotal:
    origin: str
    label: str
    hours: Decimal = ZERO
    count: int = 0

    @property
    def self_imposed(self) -> bool:
        return self.origin in Requirement.SELF_IMPOSED


@dataclass
class HolderTotal:
    """The hours of one team's, or one unit's, items: in all and per origin."""

    name: str
    url: str
    is_team: bool
    hours: Decimal = ZERO
    by_origin: dict[str, Decimal] = field(default_factory=dict)

    @property
    def self_imposed_hours(self) -> Decimal:
        return sum((self.by_origin.get(origin, ZERO) for origin in Requirement.SELF_IMPOSED), ZERO)

    @property
    def self_imposed_percent(self) -> int | None:
        return _percent(self.self_imposed_hours, self.hours)

    def origin_hours(self) -> list[Decimal]:
        """In the order of Requirement.Origin, for a table's columns."""
        return [self.by_origin.get(origin, ZERO) for origin in Requirement.Origin.values]


@dataclass
class InventoryTotals:
    count: int = 0
    in_force: int = 0
    hours: Decimal = ZERO
    self_imposed_hours: Decimal = ZERO
    hours_freed: Decimal = ZERO
    by_origin: list[OriginTotal] = field(default_factory=list)
    by_holder: list[HolderTotal] = field(default_factory=list)
    changed: list[Requirement] = field(default_factory=list)

    @property
    def self_imposed_percent(self) -> int | None:
        """The share of the hours in force that the organisation has set itself: its room for action."""
        return _percent(self.self_imposed_hours, self.hours)

    @property
    def largest_origin_hours(self) -> Decimal:
        return max((total.hours for total in self.by_origin), default=ZERO)


def _percent(part: Decimal, whole: Decimal) -> int | None:
    return None if not whole else round(part * 100 / whole)


def totals(requirements: list[Requirement]) -> InventoryTotals:
    """Totals over items already read: no query of its own. An item's hours are as its page shows them (rounded to
    a tenth), so that the totals are the sums of the rows."""
    result = InventoryTotals(count=len(requirements))
    by_origin = {value: OriginTotal(value, str(label)) for value, label in Requirement.Origin.choices}
    holders: dict[tuple[str, int], HolderTotal] = {}
    for requirement in requirements:
        hours = requirement.hours_per_year
        result.hours_freed += requirement.hours_freed
        if requirement.status in (Requirement.Status.REMOVED, Requirement.Status.SIMPLIFIED):
            result.changed.append(requirement)
        if requirement.status == Requirement.Status.REMOVED:
            continue
        result.in_force += 1
        result.hours += hours
        if requirement.is_self_imposed:
            result.self_imposed_hours += hours
        origin = by_origin[requirement.origin]
        origin.hours += hours
        origin.count += 1
        holder = _holder(holders, requirement)
        holder.hours += hours
        holder.by_origin[requirement.origin] = holder.by_origin.get(requirement.origin, ZERO) + hours
    result.by_origin = list(by_origin.values())
    result.by_holder = sorted(holders.values(), key=lambda h: (-h.hours, swedish_sort_key(h.name)))
    result.changed.sort(key=lambda r: r.changed_on or datetime.date.min, reverse=True)
    return result


def _holder(holders: dict[tuple[str, int], HolderTotal], requirement: Requirement) -> HolderTotal:
    owner: Team | Unit | None = requirement.team or requirement.unit
    assert owner is not None
    key = ("team" if requirement.team is not None else "unit", owner.pk)
    if key not in holders:
        holders[key] = HolderTotal(owner.name, owner.get_absolute_url(), key[0] == "team")
    return holders[key]


# The bar chart of hours a year per origin, as server-side SVG geometry; a table beside it has the same figures.
# Each origin's name stands above its bar, so that a long name (in any language) never runs into the bar.

CHART_WIDTH, VALUE_SPACE, LABEL_LINE, BAR_HEIGHT, ROW_GAP = 640, 110, 22, 26, 18


@dataclass
class Bar:
    label: str
    value: Decimal
    self_imposed: bool
    label_y: int
    bar_y: int
    width: float

    @property
    def value_x(self) -> float:
        return self.width + 8

    @property
    def value_y(self) -> float:
        return self.bar_y + BAR_HEIGHT / 2


@dataclass
class BarChart:
    bars: list[Bar]
    width: int = CHART_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return len(self.bars) * (LABEL_LINE + BAR_HEIGHT + ROW_GAP)


def origin_chart(result: InventoryTotals) -> BarChart:
    largest = result.largest_origin_hours
    room = CHART_WIDTH - VALUE_SPACE
    bars = []
    for n, total in enumerate(result.by_origin):
        top = n * (LABEL_LINE + BAR_HEIGHT + ROW_GAP)
        bars.append(
            Bar(
                label=total.label,
                value=total.hours,
                self_imposed=total.self_imposed,
                label_y=top + LABEL_LINE - 6,
                bar_y=top + LABEL_LINE,
                width=round(float(total.hours / largest) * room, 1) if largest else 0.0,
            )
        )
    return BarChart(bars)


def proposing_teams(*, user: Any, requirement: Requirement) -> list[Team]:
    """The teams in which the person may propose to change the item: teams they are a member of that work under it
    (two queries, one when it is a team's own)."""
    if not user.is_authenticated or not user.is_active:
        return []
    teams = Team.objects.filter(memberships__person=user, memberships__role=Membership.Role.MEMBER).order_by(
        "name"
    )
    units = units_under(requirement) if requirement.team_id is None else set()
    return [team for team in teams if works_under(requirement, team, units)]
