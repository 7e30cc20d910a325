from datetime import date

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from tillit.accounts.models import User
from tillit.organisation import selectors
from tillit.organisation.models import Membership, Team, Unit

router = Router(tags=["organisation"])


class UnitOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    parent: str | None
    description: str


class TeamMemberOut(Schema):
    person_id: int
    name: str
    role: str
    since: date


class TeamOut(Schema):
    id: int
    slug: str
    name: str
    unit: str
    purpose: str


class TeamDetailOut(TeamOut):
    members: list[TeamMemberOut]


class PersonOut(Schema):
    id: int
    name: str
    email: str
    title: str


class PersonMembershipOut(Schema):
    team: str
    role: str


class PersonDetailOut(PersonOut):
    teams: list[PersonMembershipOut]
    roles: list[str]


def _unit_out(unit: Unit) -> UnitOut:
    parent = unit.parent.slug if unit.parent else None
    return UnitOut(id=unit.pk, slug=unit.slug, name=unit.name, kind=unit.kind, parent=parent, description=unit.description)


def _team_out(team: Team) -> TeamOut:
    return TeamOut(id=team.pk, slug=team.slug, name=team.name, unit=team.unit.slug, purpose=team.purpose)


@router.get("/units", response=list[UnitOut], summary="The organisation tree, flat; `parent` links each unit up")
@paginate(LimitOffsetPagination)
def list_units(request: HttpRequest) -> list[UnitOut]:
    selectors.unit_tree(user=request.user)  # checks permission
    return [_unit_out(unit) for unit in Unit.objects.select_related("parent").order_by("name")]


@router.get("/units/{slug}", response=UnitOut, summary="One unit")
def get_unit(request: HttpRequest, slug: str) -> UnitOut:
    return _unit_out(selectors.unit_get_for(user=request.user, slug=slug))


@router.get("/teams", response=list[TeamOut], summary="All teams, optionally in one unit")
@paginate(LimitOffsetPagination)
def list_teams(request: HttpRequest, unit: str | None = None) -> list[TeamOut]:
    selectors.unit_tree(user=request.user)
    teams = Team.objects.select_related("unit").order_by("name")
    if unit:
        teams = teams.filter(unit=get_object_or_404(Unit, slug=unit))
    return [_team_out(team) for team in teams]


@router.get("/teams/{slug}", response=TeamDetailOut, summary="One team with its members and coaches")
def get_team(request: HttpRequest, slug: str) -> TeamDetailOut:
    team = selectors.team_get_for(user=request.user, slug=slug)
    members = [
        TeamMemberOut(person_id=m.person_id, name=m.person.full_name, role=m.role, since=m.since)
        for m in team.memberships.all()
    ]
    return TeamDetailOut(**_team_out(team).dict(), members=members)


@router.get("/people", response=list[PersonOut], summary="Active people; `q` searches name, e-mail and title")
@paginate(LimitOffsetPagination)
def list_people(request: HttpRequest, q: str = "") -> list[PersonOut]:
    people = selectors.person_list_for(user=request.user, query=q).prefetch_related(None)
    return [PersonOut(id=p.pk, name=p.full_name, email=p.email, title=p.title) for p in people]


@router.get("/people/{person_id}", response=PersonDetailOut, summary="One person with their teams and roles")
def get_person(request: HttpRequest, person_id: int) -> PersonDetailOut:
    person: User = selectors.person_get_for(user=request.user, pk=person_id)
    memberships: list[Membership] = list(person.memberships.all())
    return PersonDetailOut(
        id=person.pk,
        name=person.full_name,
        email=person.email,
        title=person.title,
        teams=[PersonMembershipOut(team=m.team.slug, role=m.role) for m in memberships],
        roles=[a.role for a in person.role_assignments.all()],
    )
