"""Reads of the organisation. List reads use a fixed number of queries, whatever the size of the tree."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from tillit.accounts.models import User
from tillit.core.collation import swedish_sort_key
from tillit.organisation.models import Membership, RoleAssignment, Team, Unit

# Above this many teams the tree lists units with their team counts; each unit's page lists its teams.
TEAMS_INLINE_LIMIT = 150


@dataclass
class UnitNode:
    unit: Unit
    depth: int
    direct_team_count: int = 0
    children: list["UnitNode"] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)

    @cached_property
    def team_count(self) -> int:
        return self.direct_team_count + sum(child.team_count for child in self.children)


def _require_view(user: Any) -> None:
    if not user.has_perm("organisation.view"):
        raise PermissionDenied


def unit_tree(*, user: Any, with_teams: bool = True) -> list[UnitNode]:
    """The whole organisation as a tree of nodes, in three queries.

    Teams (with their member counts) hang in the tree only when asked for and when there are at most
    TEAMS_INLINE_LIMIT of them; otherwise each node carries just its number of teams.
    """
    _require_view(user)
    units = sorted(Unit.objects.all(), key=lambda unit: swedish_sort_key(unit.name))
    counts: dict[int, int] = dict(
        Team.objects.order_by().values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n")
    )
    teams_by_unit: dict[int, list[Team]] = defaultdict(list)
    if with_teams and sum(counts.values()) <= TEAMS_INLINE_LIMIT:
        teams = Team.objects.annotate(member_count=Count("memberships"))
        for team in sorted(teams, key=lambda team: swedish_sort_key(team.name)):
            teams_by_unit[team.unit_id].append(team)
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for unit in units:
        children[unit.parent_id].append(unit)

    def build(unit: Unit, depth: int) -> UnitNode:
        node = UnitNode(
            unit=unit,
            depth=depth,
            direct_team_count=counts.get(unit.pk, 0),
            teams=teams_by_unit.get(unit.pk, []),
        )
        node.children = [build(child, depth + 1) for child in children.get(unit.pk, [])]
        return node

    return [build(root, 0) for root in children.get(None, [])]


def unit_ancestors(unit: Unit) -> list[Unit]:
    """From the top of the tree down to the unit's parent, in one query."""
    by_id = {u.pk: u for u in Unit.objects.only("id", "name", "slug", "parent_id", "kind")}
    chain: list[Unit] = []
    current = by_id.get(unit.parent_id) if unit.parent_id else None
    while current is not None and current not in chain:
        chain.append(current)
        current = by_id.get(current.parent_id) if current.parent_id else None
    return list(reversed(chain))


def unit_descendant_ids(unit: Unit) -> set[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Unit.objects.values_list("id", "parent_id"):
        children[parent_id].append(pk)
    found: set[int] = set()
    stack = [unit.pk]
    while stack:
        current = stack.pop()
        for child in children.get(current, []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def superior_ids(person: Any) -> set[int]:
    """The managers above the person: a manager of a unit that holds one of the person's teams, or any unit
    above it. A manager's own superiors are the managers of the units above the ones they manage."""
    parents = dict(Unit.objects.values_list("id", "parent_id"))
    start = set(Membership.objects.filter(person=person).values_list("team__unit_id", flat=True))
    own = set(
        RoleAssignment.objects.filter(
            person=person, role=RoleAssignment.Role.MANAGER, unit__isnull=False
        ).values_list("unit_id", flat=True)
    )
    start |= {parents[unit] for unit in own if parents.get(unit)}
    units: set[int] = set()
    for unit in start:
        current: int | None = unit
        while current is not None and current not in units:
            units.add(current)
            current = parents.get(current)
    managers = RoleAssignment.objects.filter(role=RoleAssignment.Role.MANAGER).filter(
        Q(unit_id__in=units) | Q(unit__isnull=True)
    )
    return set(managers.values_list("person_id", flat=True)) - {person.pk}


def managed_unit_ids(person: Any) -> set[int] | None:
    """The units the person manages, with every unit below them; None for a manager of the whole municipality."""
    managed: set[int] = set()
    for assignment in RoleAssignment.objects.filter(
        person=person, role=RoleAssignment.Role.MANAGER
    ).select_related("unit"):
        if assignment.unit is None:
            return None
        managed |= {assignment.unit.pk, *unit_descendant_ids(assignment.unit)}
    return managed


def manages_unit(person: Any, unit: Unit) -> bool:
    """Whether the person is a manager of the unit or of a unit above it."""
    if not getattr(person, "is_authenticated", False):
        return False
    managed = RoleAssignment.objects.filter(person=person, role=RoleAssignment.Role.MANAGER)
    if managed.filter(unit__isnull=True).exists():
        return True
    above = {unit.pk, *(ancestor.pk for ancestor in unit_ancestors(unit))}
    return managed.filter(unit_id__in=above).exists()


def unit_get_for(*, user: Any, slug: str) -> Unit:
    _require_view(user)
    try:
        return Unit.objects.select_related("parent").get(slug=slug)
    except Unit.DoesNotExist as exc:
        raise Http404 from exc


def is_member(person: Any, team: Team) -> bool:
    """Whether the person is one of the team's members (a coach is not)."""
    return Membership.objects.filter(team=team, person=person, role=Membership.Role.MEMBER).exists()


def team_queryset() -> QuerySet[Team]:
    return Team.objects.select_related("unit").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("person").order_by("person__full_name"),
        )
    )


def team_get_for(*, user: Any, slug: str) -> Team:
    _require_view(user)
    try:
        return team_queryset().get(slug=slug)
    except Team.DoesNotExist as exc:
        raise Http404 from exc


def person_list_for(*, user: Any, query: str = "") -> QuerySet[User]:
    _require_view(user)
    people = User.objects.filter(is_active=True)
    if query:
        for word in query.casefold().split():
            people = people.filter(search_text__contains=word)
    return people.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("team").order_by("team__name"))
    ).order_by("full_name", "id")


def person_get_for(*, user: Any, pk: int) -> User:
    """A person's page; people who have left are visible to administrators only."""
    _require_view(user)
    people = User.objects.prefetch_related(
        Prefetch(
            "memberships", queryset=Membership.objects.select_related("team__unit").order_by("team__name")
        ),
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("unit")),
    )
    if not user.has_perm("organisation.manage"):
        people = people.filter(is_active=True)
    try:
        return people.get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc


def home_summary_for(*, user: Any) -> dict[str, Any]:
    """What the start page shows a logged-in person: their teams and roles, and the size of the organisation."""
    memberships = list(
        Membership.objects.filter(person=user)
        .select_related("team__unit")
        .annotate(member_count=Count("team__memberships"))
        .order_by("team__name")
    )
    roles = list(RoleAssignment.objects.filter(person=user).select_related("unit"))
    return {
        "my_memberships": memberships,
        "coaching": any(m.role == Membership.Role.COACH for m in memberships),
        "my_roles": roles,
        "counts": {
            "units": Unit.objects.count(),
            "teams": Team.objects.count(),
            "people": User.objects.filter(is_active=True).count(),
        },
    }
