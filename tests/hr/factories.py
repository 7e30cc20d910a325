"""A small organisation with one person per role the HR grids need, and helpers that run the services."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tests.organisation.factories import MembershipFactory, PersonFactory, TeamFactory, UnitFactory
from tillit.hr import services
from tillit.hr.models import Recruitment, RehabCase, Talk
from tillit.organisation.models import Membership, RoleAssignment, Unit

REQUIREMENTS = "Socionomexamen\nErfarenhet av utredningar\nVill arbeta i team"


@dataclass
class World:
    team: Any
    people: dict[str, Any]

    def __getitem__(self, role: str) -> Any:
        return self.people[role]


def _role(person: Any, role: str, unit: Any = None) -> Any:
    RoleAssignment.objects.create(person=person, role=role, unit=unit)
    return person


def make_world() -> World:
    administration = UnitFactory(kind=Unit.Kind.ADMINISTRATION, name="Socialförvaltningen")
    unit = UnitFactory(parent=administration, name="Barn och unga")
    elsewhere = UnitFactory(kind=Unit.Kind.ADMINISTRATION, name="Skolförvaltningen")
    team = TeamFactory(unit=unit, name="Team Norr")

    def member(name: str, role: str = Membership.Role.MEMBER) -> Any:
        return MembershipFactory(team=team, person=PersonFactory(full_name=name), role=role).person

    people = {
        "employee": member("Anna Employee"),
        "team_member": member("Bo Member"),
        "panel_member": member("Cia Panel"),
        "second_panel_member": member("Dan Panel"),
        "coach": member("Karin Coach", Membership.Role.COACH),
        "delegate": PersonFactory(full_name="Dora Delegate"),
        "manager_above": _role(
            PersonFactory(full_name="Mats Manager"), RoleAssignment.Role.MANAGER, administration
        ),
        "other_manager": _role(PersonFactory(full_name="Olle Other"), RoleAssignment.Role.MANAGER, elsewhere),
        "hr": _role(PersonFactory(full_name="Leila HR"), RoleAssignment.Role.HR),
        "other_hr": _role(PersonFactory(full_name="Hanna HR"), RoleAssignment.Role.HR),
        "administrator": _role(PersonFactory(full_name="Ada Admin"), RoleAssignment.Role.ADMINISTRATOR),
        "colleague": member("Cecilia Colleague"),
        "outsider": PersonFactory(full_name="Ute Outsider"),
        "anonymous": AnonymousUser(),
    }
    return World(team=team, people=people)


def recruitment(world: World, **fields: Any) -> Recruitment:
    values: dict[str, Any] = {
        "team": world.team,
        "title": "Socialsekreterare",
        "need": "En kollega går i pension.",
        "requirements": REQUIREMENTS,
        "advert": "Vi söker en socialsekreterare.",
        "delegate": world["delegate"],
        "panel": [world["panel_member"], world["second_panel_member"]],
    }
    values.update(fields)
    return services.recruitment_create(actor=world["employee"], **values)


def candidate(world: World, found: Recruitment, name: str = "Sara Lind") -> Any:
    return services.candidate_add(
        actor=world["panel_member"],
        recruitment=found,
        name=name,
        email="sara@exempel.test",
        phone="070 123 45 67",
        summary="Socionom sedan 2019.",
    )


def recruitment_in(world: World, status: str) -> Recruitment:
    """A recruitment in the given state, with one candidate from the advert step on."""
    found = _recruitment_in(world, status)
    found.refresh_from_db()
    return found


def _recruitment_in(world: World, status: str) -> Recruitment:
    found = recruitment(world)
    if status == Recruitment.Status.NEED:
        return found
    services.recruitment_advance(actor=world["employee"], recruitment=found)
    first = candidate(world, found)
    if status == Recruitment.Status.ADVERT:
        return found
    if status == Recruitment.Status.CANCELLED:
        return services.recruitment_cancel(actor=world["employee"], recruitment=found)
    services.recruitment_advance(actor=world["employee"], recruitment=found)
    if status == Recruitment.Status.ASSESSING:
        return found
    return services.recruitment_decide(
        actor=world["delegate"], recruitment=found, chosen=first, reasoning="Bäst på alla krav."
    )


def talk(world: World, **fields: Any) -> Talk:
    values: dict[str, Any] = {
        "kind": Talk.Kind.APPRAISAL,
        "date": timezone.localdate() + datetime.timedelta(days=7),
        "counterpart": world["coach"],
    }
    values.update(fields)
    return services.talk_create(actor=world["employee"], **values)


def rehab_case(world: World) -> RehabCase:
    return services.rehab_open(
        actor=world["manager_above"],
        employee=world["employee"],
        manager=world["manager_above"],
        hr_contact=world["hr"],
    )
