"""The citizen panel and residents' feedback, made through the services as the pages make them."""

import datetime
from typing import Any

from django.utils import timezone

from tests.organisation.factories import MembershipFactory, PersonFactory, RoleAssignmentFactory, TeamFactory
from tillit.citizens import services
from tillit.citizens.models import ConsentText, Feedback, Invitation, PanelMember
from tillit.decisions.models import Proposal
from tillit.organisation.models import Membership, RoleAssignment

# A valid Swedish personal identity number (Skatteverket's test person): the Luhn digit is right.
PERSONNUMMER = "19121212-1212"
CONSENT_SV = "Vi sparar ditt namn, hur vi når dig och vilka tjänster du bryr dig om, så länge du är med."
CONSENT_EN = "We keep your name, how to reach you and the services you care about, as long as you take part."


def administrator(**fields: Any) -> Any:
    person = PersonFactory.create(**fields)
    RoleAssignmentFactory.create(person=person, role=RoleAssignment.Role.ADMINISTRATOR)
    return person


def manager(unit: Any = None, **fields: Any) -> Any:
    person = PersonFactory.create(**fields)
    RoleAssignmentFactory.create(person=person, role=RoleAssignment.Role.MANAGER, unit=unit)
    return person


def team_member(team: Any = None, role: str = Membership.Role.MEMBER) -> Any:
    return MembershipFactory.create(team=team or TeamFactory.create(), role=role).person


def consent(actor: Any = None, **fields: Any) -> ConsentText:
    values = {"text_sv": CONSENT_SV, "text_en": CONSENT_EN}
    values.update(fields)
    return services.consent_publish(actor=actor or administrator(), **values)


def member(*, services_: Any = (), **fields: Any) -> PanelMember:
    """A resident joined with the current consent text (published first if there is none)."""
    current = services.current_consent() or consent()
    values: dict[str, Any] = {"name": "Samira", "email": "samira@example.org"}
    values.update(fields)
    return services.member_join(services=services_, consent_version=current.version, consented=True, **values)


def feedback(team: Any = None, **fields: Any) -> Feedback:
    values: dict[str, Any] = {
        "text": "Det tog tre veckor innan någon ringde tillbaka. Kan ni ha en telefontid?",
        "public": True,
    }
    values.update(fields)
    return services.feedback_submit(team=team or TeamFactory.create(), **values)


def in_days(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def invitation(actor: Any, team: Any, *, services_: Any = (), **fields: Any) -> Invitation:
    values: dict[str, Any] = {
        "kind": Invitation.Kind.WORKSHOP,
        "title": "Hur ska ett första möte vara?",
        "description": "Kom och pröva våra skisser.",
        "starts_at": in_days(14),
        "place": "Familjens hus",
    }
    values.update(fields)
    return services.invitation_send(actor=actor, team=team, services=services_, **values)


def to_proposal(actor: Any, made: Feedback, **fields: Any) -> Proposal:
    """The feedback becomes an advice-process proposal: the proposer decides it after seeking advice."""
    values: dict[str, Any] = {
        "title": "Telefontid varje vardag",
        "background": made.text,
        "process": Proposal.Process.ADVICE,
        "deadline": in_days(7),
    }
    values.update(fields)
    return services.feedback_to_proposal(actor=actor, feedback=made, **values)


def where_stored(value: str) -> list[str]:
    """Every text column (and JSON column) of every model that holds ``value``, as "app.Model.field"."""
    from django.apps import apps
    from django.db import models

    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            text = isinstance(field, models.CharField | models.TextField | models.JSONField)
            if text and model._default_manager.filter(**{f"{field.attname}__icontains": value}).exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found
