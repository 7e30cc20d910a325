"""A team's roles (with holders) and meetings (with agenda items and actions), read-only."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from tillit.organisation.models import Team
from tillit.teams.models import AgendaItem, Meeting, Role, RoleHolder

router = Router(tags=["teams"])


class HolderOut(Schema):
    person_id: int
    name: str = Field(alias="person.full_name")
    starts_on: date
    ends_on: date
    ended_on: date | None
    decision_id: int | None


class RoleOut(Schema):
    id: int
    team: str = Field(alias="team.slug")
    name: str
    purpose: str
    accountabilities: list[str] = Field(alias="accountability_list")
    domain: str
    term_months: int
    holders: list[HolderOut]

    @staticmethod
    def resolve_holders(role: Role) -> list[RoleHolder]:
        return list(role.holders.all())


class ActionOut(Schema):
    text: str
    owner_id: int
    due_on: date
    done_at: datetime | None


class ItemOut(Schema):
    title: str
    owner_id: int
    purpose: str
    minutes: int
    notes: str
    done: bool
    decision_id: int | None
    actions: list[ActionOut]

    @staticmethod
    def resolve_actions(item: AgendaItem) -> list[object]:
        return list(item.actions.all())


class MeetingOut(Schema):
    id: int
    team: str = Field(alias="team.slug")
    starts_at: datetime
    place: str
    facilitator_id: int
    status: str
    previous_minutes_approved: bool
    items: list[ItemOut]

    @staticmethod
    def resolve_items(meeting: Meeting) -> list[AgendaItem]:
        return list(meeting.items.all())


@router.get(
    "/teams/{slug}/roles", response=list[RoleOut], summary="A team's roles with their holders, now and before"
)
def list_roles(request: HttpRequest, slug: str) -> list[Role]:
    if not request.user.has_perm("teams.view_roles"):
        raise PermissionDenied
    team = get_object_or_404(Team, slug=slug)
    return list(
        team.team_roles.filter(active=True)
        .select_related("team")
        .prefetch_related(Prefetch("holders", queryset=RoleHolder.objects.select_related("person")))
    )


@router.get(
    "/teams/{slug}/meetings",
    response=list[MeetingOut],
    summary="A team's meetings with agenda, minutes and actions",
)
def list_meetings(request: HttpRequest, slug: str) -> list[Meeting]:
    team = get_object_or_404(Team, slug=slug)
    # The same people as may read a meeting's minutes: the team, its coaches, administrators.
    if not request.user.has_perm("organisation.change_team", team):
        raise PermissionDenied
    return list(team.meetings.select_related("team").prefetch_related("items__actions")[:50])
