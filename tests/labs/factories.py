"""Labs, initiatives with their parts, and ideas, made through the services as the pages make them."""

import datetime
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone
from factory.declarations import Sequence

from tests.organisation.factories import MembershipFactory, PersonFactory, TeamFactory
from tillit.labs import services
from tillit.labs.models import EffectGoal, Idea, Indicator, Initiative, Lab, Measurement
from tillit.organisation.models import Membership, RoleAssignment

LEARNINGS: dict[str, Any] = {
    "learned_worked": "Teamet blev starkare när vi reflekterade tillsammans.",
    "learned_not_worked": "Vi hann inte fördjupa oss i målen om samverkan.",
    "learned_for_others": "Ge teamet tid och ett tydligt mandat innan ni börjar.",
}
# A valid Swedish personal identity number (Skatteverket's test person): the Luhn digit is right.
PERSONNUMMER = "19121212-1212"


class LabFactory(factory.django.DjangoModelFactory[Lab]):
    class Meta:
        model = Lab

    name = Sequence(lambda n: f"Hypoteslabb {n}")  # type: ignore[no-untyped-call]
    slug = Sequence(lambda n: f"hypoteslabb-{n}")  # type: ignore[no-untyped-call]
    description = "Vi utforskar självstyrande team i välfärden."
    hypothesis = "Självstyrande team skapar mer värdefulla tjänster."


def person_with_role(role: str, **fields: Any) -> Any:
    person = PersonFactory.create(**fields)
    RoleAssignment.objects.create(person=person, role=role)
    return person


def development_lead(**fields: Any) -> Any:
    return person_with_role(RoleAssignment.Role.DEVELOPMENT_LEAD, **fields)


def researcher(**fields: Any) -> Any:
    return person_with_role(RoleAssignment.Role.RESEARCHER, **fields)


def administrator(**fields: Any) -> Any:
    return person_with_role(RoleAssignment.Role.ADMINISTRATOR, **fields)


def facilitator(**fields: Any) -> Any:
    return person_with_role(RoleAssignment.Role.FACILITATOR, **fields)


def team_member(team: Any = None, role: str = Membership.Role.MEMBER) -> Any:
    return MembershipFactory.create(team=team or TeamFactory.create(), role=role).person


def initiative(*, actor: Any = None, teams: Any = (), published: bool = False, **fields: Any) -> Initiative:
    """An initiative as a development lead creates it, with every required text written."""
    values: dict[str, Any] = {
        "title": "Självorganiserat arbetssätt i myndighetsutövning",
        "what": "Ett team på Barn, unga, familj utforskar självorganisering.",
        "why": "Handläggarna behöver mandat att utmana arbetssätt som inte gynnar invånarna.",
        "how": "Teamet prövar arbetssättet under två år med stöd av två chefer.",
        "contact_name": "Kristina Holmér",
    }
    values.update(fields)
    made = services.initiative_create(actor=actor or development_lead(), teams=teams, **values)
    if published:
        made = services.initiative_publish(actor=actor or made.created_by, initiative=made, published=True)
    return made


def ended(made: Initiative, status: str = Initiative.Status.STOPPED, **learnings: str) -> Initiative:
    return services.initiative_set_status(
        actor=made.created_by,
        initiative=made,
        status=status,
        stage=made.stage,
        **{**LEARNINGS, **learnings},
    )


def goal(made: Initiative, title: str = "Ökat medarbetarinflytande") -> EffectGoal:
    return services.effect_goal_add(actor=made.created_by, initiative=made, title=title)


def indicator(effect_goal: EffectGoal, **fields: Any) -> Indicator:
    values: dict[str, Any] = {
        "name": "Medarbetarinflytande",
        "unit": "index 1–5",
        "direction": Indicator.Direction.INCREASE,
        "baseline": Decimal("3.0"),
        "baseline_on": datetime.date(2025, 3, 15),
        "target": Decimal("4.0"),
        "target_on": datetime.date(2026, 10, 31),
    }
    values.update(fields)
    return services.indicator_add(actor=effect_goal.initiative.created_by, goal=effect_goal, **values)


def measurement(measured: Indicator, measured_on: datetime.date, value: str) -> Measurement:
    return services.measurement_add(
        actor=measured.goal.initiative.created_by,
        indicator=measured,
        measured_on=measured_on,
        value=Decimal(value),
    )


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def full_initiative(title: str, *, published: bool = True, actor: Any = None) -> Initiative:
    """An initiative with a team, a link, an effect goal, an indicator and two measurements."""
    made = initiative(actor=actor, title=title, teams=[TeamFactory.create()], area="Omsorg")
    services.link_add(actor=made.created_by, initiative=made, title="Rapport", url="https://example.org/r")
    measured = indicator(goal(made))
    measurement(measured, datetime.date(2025, 10, 15), "3.4")
    measurement(measured, datetime.date(2026, 4, 15), "3.7")
    if published:
        made = services.initiative_publish(actor=made.created_by, initiative=made, published=True)
    return made


def idea(*, actor: Any = None, **fields: Any) -> Idea:
    values: dict[str, Any] = {
        "title": "Läxhjälp på biblioteket på kvällstid",
        "problem": "Många barn har ingen som kan hjälpa dem med läxorna hemma.",
        "idea": "Volontärer ger läxhjälp på biblioteket två kvällar i veckan.",
        "beneficiaries": "Barn i årskurs 4–9 och deras föräldrar.",
    }
    values.update(fields)
    return services.idea_submit(actor=actor, **values)
