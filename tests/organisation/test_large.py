"""The generated large municipality, at a size that runs in a second: its shape, its seed, and all-or-nothing."""

from collections.abc import Mapping
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q

from tests.organisation.factories import UnitFactory
from tillit.accounts.models import User
from tillit.core.models import HistoryEntry
from tillit.organisation.demo.large import (
    ADMINISTRATOR_EMAILS,
    COACH_EMAIL,
    LARGE_PASSWORD,
    MEMBER_EMAIL,
    AlreadyGenerated,
    generate_municipality,
)
from tillit.organisation.models import Membership, RoleAssignment, Team, Unit
from tillit.organisation.selectors import person_list_for

PEOPLE, TEAMS = 300, 25


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _depth(unit: Unit, parents: Mapping[int, int | None]) -> int:
    depth, current = 0, unit.parent_id
    while current is not None:
        depth, current = depth + 1, parents[current]
    return depth


def _fingerprint() -> tuple[list[Any], ...]:
    """Everything generated, by name, in the order it was written."""
    return (
        list(Unit.objects.order_by("pk").values_list("name", "slug", "kind", "parent__slug", "description")),
        list(Team.objects.order_by("pk").values_list("name", "slug", "unit__slug", "purpose")),
        list(User.objects.order_by("pk").values_list("email", "full_name", "title")),
        list(Membership.objects.order_by("pk").values_list("team__slug", "person__email", "role")),
        list(RoleAssignment.objects.order_by("pk").values_list("person__email", "role", "unit__slug")),
    )


@pytest.mark.django_db
def test_generates_people_in_teams_under_a_tree() -> None:
    result = generate_municipality(people=PEOPLE, teams=TEAMS, seed=3)

    assert User.objects.count() == result.people == PEOPLE
    assert Team.objects.count() == result.teams == TEAMS
    assert Unit.objects.count() == 1 + result.units  # the municipality and the units below it
    assert Membership.objects.count() == result.memberships
    municipality = Unit.objects.get(kind=Unit.Kind.MUNICIPALITY)
    assert municipality.name == "Storstad kommun"
    assert 6 <= Unit.objects.filter(kind=Unit.Kind.ADMINISTRATION, parent=municipality).count() <= 10
    assert not User.objects.filter(memberships__isnull=True).exists(), "everyone is in at least one team"

    parents = dict(Unit.objects.values_list("id", "parent_id"))
    depths = {unit.pk: _depth(unit, parents) for unit in Unit.objects.all()}
    assert max(depths.values()) == result.depth >= 3
    assert all(
        (depths[unit.pk] == 0) == (unit.kind == Unit.Kind.MUNICIPALITY)
        and (depths[unit.pk] == 1) == (unit.kind == Unit.Kind.ADMINISTRATION)
        for unit in Unit.objects.all()
    )
    assert not Unit.objects.filter(children__isnull=True, teams__isnull=True).exists(), "no empty leaves"

    for team in Team.objects.annotate(
        size=Count("memberships"),
        coaches=Count("memberships", filter=Q(memberships__role=Membership.Role.COACH)),
    ):
        assert 5 <= team.size <= 20, team
        assert 1 <= team.coaches <= 2, team
    assert Membership.objects.filter(role=Membership.Role.COACH).values("person").distinct().count() < sum(
        Team.objects.annotate(c=Count("memberships", filter=Q(memberships__role="coach"))).values_list(
            "c", flat=True
        )
    ), "coaches coach more than one team"
    assert User.objects.annotate(teams=Count("memberships")).filter(teams__gt=1).exists()


@pytest.mark.django_db
def test_gives_roles_and_logins_with_a_known_password_only_to_a_few() -> None:
    result = generate_municipality(people=PEOPLE, teams=TEAMS, seed=3)

    administrators = RoleAssignment.objects.filter(role=RoleAssignment.Role.ADMINISTRATOR, unit=None)
    assert sorted(administrators.values_list("person__email", flat=True)) == sorted(ADMINISTRATOR_EMAILS)
    assert RoleAssignment.objects.filter(
        role=RoleAssignment.Role.DEVELOPMENT_LEAD, unit__kind="administration"
    ).exists()
    assert RoleAssignment.objects.count() == result.role_assignments > len(ADMINISTRATOR_EMAILS)
    logins = [*ADMINISTRATOR_EMAILS, COACH_EMAIL, MEMBER_EMAIL]
    assert [login.email for login in result.logins] == logins
    for email in logins:
        assert User.objects.get(email=email).check_password(LARGE_PASSWORD), email
    assert Membership.objects.filter(person__email=COACH_EMAIL, role=Membership.Role.COACH).exists()
    assert Membership.objects.filter(person__email=MEMBER_EMAIL, role=Membership.Role.MEMBER).exists()
    others = User.objects.exclude(email__in=logins)
    assert not any(person.has_usable_password() for person in others)


@pytest.mark.django_db
def test_generated_people_can_be_found_as_if_each_had_been_saved(administrator: User) -> None:
    generate_municipality(people=PEOPLE, teams=TEAMS, seed=3)

    for person in User.objects.filter(email__endswith="@storstad.example").order_by("?")[:20]:
        generated = person.search_text
        person.save()
        person.refresh_from_db()
        assert person.search_text == generated
    someone = User.objects.filter(full_name__contains="ö").first()
    assert someone is not None
    found = person_list_for(user=administrator, query=someone.full_name.upper())
    assert someone in found


@pytest.mark.django_db
def test_writes_one_history_entry_for_the_generation_and_none_per_row() -> None:
    municipality = UnitFactory(name="Exempelstad kommun", kind=Unit.Kind.MUNICIPALITY)

    generate_municipality(people=PEOPLE, teams=TEAMS, seed=3)

    entries = HistoryEntry.objects.all()
    assert [(e.action, e.object_id) for e in entries] == [("unit.generated", str(municipality.pk))]
    assert entries[0].changes == {
        "people": PEOPLE,
        "teams": TEAMS,
        "units": Unit.objects.count() - 1,
        "seed": 3,
    }


@pytest.mark.django_db
def test_goes_under_the_municipality_that_is_already_there() -> None:
    existing = UnitFactory(name="Exempelstad kommun", slug="exempelstad-kommun", kind=Unit.Kind.MUNICIPALITY)
    social = UnitFactory(
        name="Socialförvaltningen", slug="socialforvaltningen", kind="administration", parent=existing
    )

    generate_municipality(people=PEOPLE, teams=TEAMS, seed=3)

    assert list(Unit.objects.filter(kind=Unit.Kind.MUNICIPALITY)) == [existing]
    administrations = Unit.objects.filter(kind=Unit.Kind.ADMINISTRATION)
    assert all(a.parent_id == existing.pk for a in administrations)
    assert list(administrations.filter(name=social.name)) == [social], "no second administration by that name"


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_municipality_and_another_seed_another() -> None:
    def generated(seed: int) -> tuple[list[Any], ...]:
        with transaction.atomic():
            generate_municipality(people=PEOPLE, teams=TEAMS, seed=seed)
            fingerprint = _fingerprint()
            transaction.set_rollback(True)
        assert not User.objects.exists()
        return fingerprint

    first = generated(11)
    assert generated(11) == first
    assert generated(12) != first


@pytest.mark.django_db
def test_refuses_to_generate_twice() -> None:
    generate_municipality(people=PEOPLE, teams=TEAMS, seed=3)
    before = _fingerprint()

    with pytest.raises(AlreadyGenerated):
        generate_municipality(people=PEOPLE, teams=TEAMS, seed=4)

    assert _fingerprint() == before


@pytest.mark.django_db
def test_leaves_nothing_behind_when_writing_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(RoleAssignment.objects, "bulk_create", fail)

    with pytest.raises(RuntimeError):
        generate_municipality(people=PEOPLE, teams=TEAMS, seed=3)

    assert not Unit.objects.exists()
    assert not User.objects.exists()
    assert not HistoryEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("people", "teams"), [(124, 25), (426, 25), (10, 0)])
def test_refuses_sizes_that_cannot_make_teams_of_five_to_twenty(people: int, teams: int) -> None:
    with pytest.raises(ValueError, match="team"):
        generate_municipality(people=people, teams=teams)
    assert not Unit.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("people", "teams"), [(125, 25), (425, 25), (5, 1)])
def test_fills_teams_at_the_edges_of_the_sizes_it_accepts(people: int, teams: int) -> None:
    generate_municipality(people=people, teams=teams)

    assert User.objects.count() == people
    assert not User.objects.filter(memberships__isnull=True).exists()
    sizes = Team.objects.annotate(size=Count("memberships")).values_list("size", flat=True)
    assert all(5 <= size <= 20 for size in sizes)


@pytest.mark.django_db
def test_the_command_prints_the_logins_and_refuses_a_second_run() -> None:
    out = StringIO()
    call_command("generate-municipality", people=PEOPLE, teams=TEAMS, seed=3, stdout=out)

    printed = out.getvalue()
    assert f"Generated {PEOPLE} people in {TEAMS} teams" in printed
    assert LARGE_PASSWORD in printed
    assert all(email in printed for email in ADMINISTRATOR_EMAILS)
    with pytest.raises(CommandError, match="already"):
        call_command("generate-municipality", people=PEOPLE, teams=TEAMS, stdout=StringIO())
