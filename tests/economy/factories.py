"""A team's economy made through the services as the pages make it: a unit tree with a team and its cost centre,
the list of attestants, absences and transactions."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tests.organisation.factories import MembershipFactory, PersonFactory, TeamFactory, UnitFactory
from tillit.economy import services
from tillit.economy.models import AccountGroup, Attestant, CostCentre, Transaction
from tillit.organisation.models import Membership, RoleAssignment, Team, Unit

# Skatteverket's test person: a valid personal identity number (the Luhn digit is right).
PERSONNUMMER = "19121212-1212"

DECISION = Attestant.Step.DECISION
REVIEW = Attestant.Step.REVIEW


def today() -> datetime.date:
    return timezone.localdate()


def days_from_today(days: int) -> datetime.date:
    return today() + datetime.timedelta(days=days)


def this_year() -> int:
    return today().year


def administrator(**fields: Any) -> Any:
    person = PersonFactory.create(**fields)
    RoleAssignment.objects.create(person=person, role=RoleAssignment.Role.ADMINISTRATOR)
    return person


def manager_of(unit: Unit | None, **fields: Any) -> Any:
    person = PersonFactory.create(**fields)
    RoleAssignment.objects.create(person=person, role=RoleAssignment.Role.MANAGER, unit=unit)
    return person


def member_of(team: Team, role: str = Membership.Role.MEMBER, **fields: Any) -> Any:
    return MembershipFactory.create(team=team, role=role, person=PersonFactory.create(**fields)).person


def account_group(code: str = "64", name: str = "Förbrukningsmaterial") -> AccountGroup:
    return AccountGroup.objects.get_or_create(code=code, defaults={"name": name})[0]


def cost_centre(
    code: str = "1410", *, team: Team | None = None, unit: Unit | None = None, **fields: Any
) -> Any:
    if unit is None:
        unit = team.unit if team is not None else UnitFactory.create()
    return CostCentre.objects.create(
        code=code, name=fields.pop("name", f"Ansvar {code}"), unit=unit, team=team, **fields
    )


def attestant(
    person: Any,
    centre: CostCentre,
    step: str = DECISION,
    *,
    limit: int | str | None = None,
    deputy_for: Any = None,
    year: int | None = None,
    actor: Any = None,
) -> Attestant:
    return services.attestant_add(
        actor=actor or administrator(),
        cost_centre=centre,
        year=year or this_year(),
        person=person,
        step=step,
        amount_limit=None if limit is None else Decimal(limit),
        deputy_for=deputy_for,
    )


_references = iter(range(1, 10**6))


def transaction(
    centre: CostCentre, *, actor: Any = None, amount: int | str = 4320, **fields: Any
) -> Transaction:
    """A supplier invoice registered for attestation (an expense when a payee is given)."""
    values: dict[str, Any] = {
        "cost_centre": centre,
        "account_group": account_group(),
        "kind": Transaction.Kind.EXPENSE if fields.get("payee") else Transaction.Kind.INVOICE,
        "reference": f"F-{next(_references)}",
        "counterparty": "Kontorsvaror AB",
        "payee": None,
        "description": "Pärmar och papper",
        "amount": Decimal(amount),
        "dated": days_from_today(-5),
        "due_on": days_from_today(25),
    }
    values.update(fields)
    return services.transaction_register(actor=actor or administrator(), **values)


def absence(person: Any, starts: int, ends: int, *, actor: Any = None) -> Any:
    """An absence from `starts` to `ends` days from today."""
    return services.absence_record(
        actor=actor or person, person=person, starts_on=days_from_today(starts), ends_on=days_from_today(ends)
    )


def approve(person: Any, made: Transaction, comment: str = "") -> Any:
    return services.transaction_attest(actor=person, transaction=made, approve=True, comment=comment)


def reject(person: Any, made: Transaction, comment: str = "Inte beställd av teamet.") -> Any:
    return services.transaction_attest(actor=person, transaction=made, approve=False, comment=comment)


def fresh(made: Transaction) -> Transaction:
    return Transaction.objects.select_related("cost_centre").get(pk=made.pk)


@dataclass
class Economy:
    """Team Norr in the unit Barn och familj (under Socialförvaltningen), with its cost centre 1410: a decision
    attestant up to 50 000 kr and a review attestant up to 50 000 kr, both members of the team."""

    administration: Unit
    unit: Unit
    team: Team
    centre: CostCentre
    decider: Any
    reviewer: Any
    admin: Any


def economy() -> Economy:
    administration = UnitFactory.create(name="Socialförvaltningen", kind=Unit.Kind.ADMINISTRATION)
    unit = UnitFactory.create(name="Barn och familj", parent=administration)
    team = TeamFactory.create(name="Team Norr", unit=unit)
    centre = cost_centre("1410", team=team)
    admin = administrator(full_name="Ada Admin")
    decider = member_of(team, full_name="Bo Budget")
    reviewer = member_of(team, full_name="Greta Granskare")
    attestant(decider, centre, DECISION, limit=50_000, actor=admin)
    attestant(reviewer, centre, REVIEW, limit=50_000, actor=admin)
    return Economy(administration, unit, team, centre, decider, reviewer, admin)
