"""The organisation, its teams and its people, read-only. Lists are paged in the database, in two queries."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from tillit.accounts.models import User
from tillit.organisation import selectors
from tillit.organisation.models import Membership, RoleAssignment, Team, Unit

router = Router(tags=["organisation"])

MAX_PAGE_SIZE = 200


class UnitOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    parent: str | None = Field(description="The slug of the unit above; null for the municipality")
    description: str

    @staticmethod
    def resolve_parent(unit: Unit) -> str | None:
        return unit.parent.slug if unit.parent else None


class TeamMemberOut(Schema):
    person_id: int
    name: str = Field(alias="person.full_name")
    role: str
    since: date


class TeamOut(Schema):
    id: int
    slug: str
    name: str
    unit: str = Field(alias="unit.slug")
    purpose: str


class TeamDetailOut(TeamOut):
    members: list[TeamMemberOut]

    @staticmethod
    def resolve_members(team: Team) -> list[Membership]:
        return list(team.memberships.all())


class PersonOut(Schema):
    id: int
    name: str = Field(alias="full_name")
    email: str
    title: str


class PersonMembershipOut(Schema):
    team: str = Field(alias="team.slug")
    role: str


class PersonDetailOut(PersonOut):
    teams: list[PersonMembershipOut]
    roles: list[str]

    @staticmethod
    def resolve_teams(person: User) -> list[Membership]:
        return list(person.memberships.all())

    @staticmethod
    def resolve_roles(person: User) -> list[str]:
        assignments: list[RoleAssignment] = list(person.role_assignments.all())
        return [assignment.role for assignment in assignments]


def _require_view(request: HttpRequest) -> None:
    if not request.user.has_perm("organisation.view"):
        raise PermissionDenied


@router.get(
    "/units", response=list[UnitOut], summary="The organisation tree, flat; `parent` links each unit up"
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE_SIZE)
def list_units(request: HttpRequest) -> QuerySet[Unit]:
    _require_view(request)
    return Unit.objects.select_related("parent").order_by("name", "id")


@router.get("/units/{slug}", response=UnitOut, summary="One unit")
def get_unit(request: HttpRequest, slug: str) -> Unit:
    return selectors.unit_get_for(user=request.user, slug=slug)


@router.get("/teams", response=list[TeamOut], summary="All teams, optionally only those of one unit")
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE_SIZE)
def list_teams(request: HttpRequest, unit: str | None = None) -> QuerySet[Team]:
    _require_view(request)
    teams = Team.objects.select_related("unit").order_by("name", "id")
    if unit:
        teams = teams.filter(unit=get_object_or_404(Unit, slug=unit))
    return teams


@router.get("/teams/{slug}", response=TeamDetailOut, summary="One team with its members and coaches")
def get_team(request: HttpRequest, slug: str) -> Team:
    return selectors.team_get_for(user=request.user, slug=slug)


@router.get("/people", response=list[PersonOut], summary="Active people; `q` searches name, e-mail and title")
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE_SIZE)
def list_people(request: HttpRequest, q: str = "") -> QuerySet[User]:
    people: QuerySet[User] = selectors.person_list_for(user=request.user, query=q).prefetch_related(None)
    return people


@router.get("/people/{person_id}", response=PersonDetailOut, summary="One person with their teams and roles")
def get_person(request: HttpRequest, person_id: int) -> User:
    return selectors.person_get_for(user=request.user, pk=person_id)
