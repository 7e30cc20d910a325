import datetime

import factory
from django.utils import timezone

from tests.organisation.factories import MembershipFactory, PersonFactory, TeamFactory
from tillit.decisions import services
from tillit.decisions.models import Committee, Mandate
from tillit.organisation.models import Membership, RoleAssignment


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"Socialnämnd {n}")


def administrator():
    person = PersonFactory(full_name="Ada Administratör")
    RoleAssignment.objects.create(person=person, role=RoleAssignment.Role.ADMINISTRATOR)
    return person


def team_with_members(count=3, **team_fields):
    team = TeamFactory(**team_fields)
    members = [MembershipFactory(team=team).person for _ in range(count)]
    return team, members


def coach_of(team):
    return MembershipFactory(team=team, role=Membership.Role.COACH).person


def mandate(team, delegate, *, actor=None, **fields):
    values = {
        "committee": CommitteeFactory(),
        "unit": team.unit,
        "team": team,
        "number": "3.2",
        "matter": "Inköp av arbetsmaterial",
        "category": Mandate.Category.PURCHASE,
        "kind": Mandate.Kind.DELEGATED,
        "basis_reference": "SN 2026-02-12 § 14",
        "basis_date": datetime.date(2026, 2, 12),
        "delegate_role": "Budgetansvarig i teamet",
        "amount_limit": 50000,
    }
    values.update(fields)
    return services.mandate_create(actor=actor or administrator(), delegate=delegate, **values)


def in_a_week():
    return timezone.now() + datetime.timedelta(days=7)


def proposal(team, proposer, **fields):
    values = {
        "title": "Köpa in surfplattor till hembesöken",
        "background": "Vi dokumenterar på papper och skriver av på kontoret.",
        "process": "consent",
        "deadline": in_a_week(),
    }
    values.update(fields)
    return services.proposal_create(actor=proposer, team=team, **values)
