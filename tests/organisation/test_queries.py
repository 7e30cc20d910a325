"""List pages use a fixed number of queries: the same for a small organisation as for one several times larger.

Each page is measured once with a little data, then again after every kind of row it shows has grown
(units, teams, members, people, memberships per person, roles, history entries, invitations).
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.organisation.factories import (
    MembershipFactory,
    PersonFactory,
    RoleAssignmentFactory,
    TeamFactory,
    UnitFactory,
)
from tillit.accounts.models import Invitation, User
from tillit.core.history import record
from tillit.core.models import AccessibilityReport
from tillit.organisation.models import Membership, RoleAssignment, Team, Unit

SMALL, LARGE = (
    2,
    10,
)  # how many of each kind of row `grow` adds: the second measurement sees six times as many


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class World:
    """An organisation with one unit, team and person in focus, which `grow` fills with more of everything."""

    def __init__(self, administrator: User) -> None:
        self.administrator = administrator
        municipality = UnitFactory(name="Storstad kommun", kind=Unit.Kind.MUNICIPALITY)
        self.administration = UnitFactory(kind=Unit.Kind.ADMINISTRATION, parent=municipality)
        self.unit = UnitFactory(parent=self.administration)
        self.team = TeamFactory(unit=self.unit)
        self.person = PersonFactory(full_name="Aaron Aaltonen")  # first in the list of people
        self.viewer = PersonFactory(full_name="Vera Viewer")
        MembershipFactory(team=self.team, person=self.viewer)
        MembershipFactory(team=self.team, person=self.administrator)

    def grow(self, n: int) -> None:
        for _ in range(n):
            child = UnitFactory(parent=self.unit)
            UnitFactory(parent=UnitFactory(parent=self.administration))
            for team in (TeamFactory(unit=self.unit), TeamFactory(unit=child)):
                for person in (self.person, self.viewer, self.administrator):
                    MembershipFactory(team=team, person=person, role=Membership.Role.COACH)
                MembershipFactory.create_batch(2, team=team)
            MembershipFactory(team=self.team)
            MembershipFactory(team=self.team, role=Membership.Role.COACH)
            for person in (self.person, self.viewer, self.administrator):
                RoleAssignmentFactory(person=person, role=RoleAssignment.Role.DEVELOPMENT_LEAD, unit=child)
            for obj in (self.unit, self.team, self.person):
                record(actor=self.administrator, obj=obj, action="unit.changed", changes={"name": ["a", "b"]})
            Invitation.objects.create(
                email=f"invited-{Invitation.objects.count()}@exempel.test",
                full_name="Inbjuden Person",
                token_hash=Invitation.new_token()[1],
                invited_by=self.administrator,
                team=self.team,
                team_role=Membership.Role.MEMBER,
                expires_at=timezone.now() + timedelta(days=14),
            )
            AccessibilityReport.objects.create(page="/", description="Knappen syns inte.")


Page = Callable[[World], str]
BROWSING: dict[str, Page] = {
    "start": lambda w: reverse("core:home"),
    "tree": lambda w: reverse("organisation:tree"),
    "unit": lambda w: reverse("organisation:unit", args=[w.unit.slug]),
    "team": lambda w: reverse("organisation:team", args=[w.team.slug]),
    "people": lambda w: reverse("organisation:people"),
    "people search": lambda w: reverse("organisation:people") + "?q=socialsekreterare",
    "people search as you type": lambda w: reverse("organisation:people") + "?q=socialsekreterare",
    "person": lambda w: reverse("organisation:person", args=[w.person.pk]),
}
AS_YOU_TYPE = {"people search as you type"}  # htmx asks for the results partial only
MANAGING: dict[str, Page] = {
    "administration": lambda w: reverse("organisation:manage"),
    "team members": lambda w: reverse("organisation:team_members", args=[w.team.slug]),
    "invitations": lambda w: reverse("organisation:invitations"),
}
# Queries a page may make at most, whatever the data. Measured (as a member / as an administrator): start
# 11/9, tree 8/6, unit 12/10, team 22/19 (with its proposals, decisions, signals, mandates, roles, next meeting and actions), people 9/7, people search 9/7, as you type 6/6, person 9/8,
# administration 8, team members 6, invitations 6. About five are the same on every page: session, person, the municipality's
# name for the header, the person's roles, and for people who may not manage Django's own two permission
# queries (rules says no to `organisation.manage`, so ModelBackend is asked next). Two to spare.
CEILING = {
    "start": 13,
    "tree": 10,
    "unit": 14,
    "team": 24,
    "people": 11,
    "people search": 11,
    "people search as you type": 8,
    "person": 11,
    "administration": 10,
    "team members": 8,
    "invitations": 8,
}


def _queries(client: Client, url: str, headers: dict[str, str]) -> list[str]:
    client.get(url, headers=headers)  # warms caches kept between requests, so both measurements start alike
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


def _assert_constant(client: Client, world: World, name: str, page: Page) -> None:
    headers = {"HX-Request": "true"} if name in AS_YOU_TYPE else {}
    world.grow(SMALL)
    small = _queries(client, page(world), headers)
    world.grow(LARGE - SMALL)
    large = _queries(client, page(world), headers)
    assert Team.objects.filter(unit=world.unit).count() == 1 + LARGE
    shown = "\n".join(large)
    assert len(large) == len(small), f"{name}: {len(small)} queries grew to {len(large)}:\n{shown}"
    assert len(large) <= CEILING[name], f"{name}: {len(large)} queries, more than {CEILING[name]}:\n{shown}"


@pytest.mark.parametrize("as_administrator", [False, True], ids=["member", "administrator"])
@pytest.mark.parametrize("name", BROWSING)
def test_browsing_pages_do_not_query_more_as_the_organisation_grows(
    client: Client, administrator: User, name: str, as_administrator: bool
) -> None:
    world = World(administrator)
    client.force_login(administrator if as_administrator else world.viewer)
    _assert_constant(client, world, name, BROWSING[name])


@pytest.mark.parametrize("name", MANAGING)
def test_administration_pages_do_not_query_more_as_the_organisation_grows(
    client: Client, administrator: User, name: str
) -> None:
    world = World(administrator)
    client.force_login(administrator)
    _assert_constant(client, world, name, MANAGING[name])


def test_the_pages_show_the_grown_data(client: Client, administrator: User) -> None:
    """The measured pages really list what was added, so a constant count is not an empty page."""
    world = World(administrator)
    world.grow(LARGE)
    client.force_login(administrator)
    people = client.get(reverse("organisation:people")).content.decode()
    assert people.count('href="/team/') >= LARGE  # Aaron's teams, on the first page
    unit = client.get(reverse("organisation:unit", args=[world.unit.slug])).content.decode()
    assert all(team.name in unit for team in Team.objects.filter(unit=world.unit))
    team = client.get(reverse("organisation:team", args=[world.team.slug])).content.decode()
    assert all(m.person.full_name in team for m in world.team.memberships.select_related("person"))
    person = client.get(reverse("organisation:person", args=[world.person.pk])).content.decode()
    assert person.count('class="card"') == world.person.memberships.count()
