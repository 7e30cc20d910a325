"""Surveys as the pages make them: created, filled with questions, sent, answered and closed through the services."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from tests.organisation.factories import MembershipFactory, PersonFactory, TeamFactory
from tillit.followup import surveys
from tillit.followup.models import Item, Response, Survey
from tillit.followup.rules import RELEASE_AFTER_DAYS
from tillit.organisation.models import Membership, RoleAssignment, Team

SCALE_QUESTION = "Jag har inflytande över hur vårt arbete planeras."
TEXT_QUESTION = "Vad skulle göra störst skillnad för teamet?"
CHOICE_QUESTION = "Hur ofta har ni teammöte?"
CHOICES = ["Varje vecka", "Varannan vecka", "Mer sällan"]


def today() -> datetime.date:
    return timezone.localdate()


def in_days(days: int) -> datetime.date:
    return today() + datetime.timedelta(days=days)


# People.


def person_with_role(role: str, **fields: Any) -> Any:
    person = PersonFactory.create(**fields)
    RoleAssignment.objects.create(person=person, role=role)
    return person


def facilitator(**fields: Any) -> Any:
    return person_with_role(RoleAssignment.Role.FACILITATOR, **fields)


def development_lead(**fields: Any) -> Any:
    return person_with_role(RoleAssignment.Role.DEVELOPMENT_LEAD, **fields)


def administrator(**fields: Any) -> Any:
    return person_with_role(RoleAssignment.Role.ADMINISTRATOR, **fields)


def team_with_members(count: int = 5, **team_fields: Any) -> tuple[Team, list[Any]]:
    team = TeamFactory.create(**team_fields)
    return team, [MembershipFactory.create(team=team).person for _ in range(count)]


def coach_of(team: Team) -> Any:
    return MembershipFactory.create(team=team, role=Membership.Role.COACH).person


def member_of(team: Team, **person_fields: Any) -> Any:
    person = PersonFactory.create(**person_fields)
    MembershipFactory.create(team=team, person=person)
    return person


# Surveys.


def survey(
    *,
    actor: Any = None,
    team: Team | None = None,
    unit: Any = None,
    audience: str | None = None,
    template: str = "",
    questions: bool = True,
    **fields: Any,
) -> Survey:
    """A draft survey. Without a template it gets a scale question, a choice question and a free-text question."""
    if audience is None:
        audience = (
            Survey.Audience.TEAM
            if team is not None
            else Survey.Audience.UNIT
            if unit
            else Survey.Audience.LINK
        )
    if actor is None:
        actor = coach_of(team) if audience == Survey.Audience.TEAM and team is not None else facilitator()
    values: dict[str, Any] = {
        "title": "Pulsen i teamet",
        "intro": "Fem minuter om hur vi har det.",
        "audience": audience,
        "team": team,
        "unit": unit,
        "opens_on": today(),
        "closes_on": in_days(7),
    }
    values.update(fields)
    made = surveys.survey_create(actor=actor, template=template, **values)
    if questions and not template:
        surveys.item_add(
            actor=actor,
            survey=made,
            kind=Item.Kind.SCALE5,
            text=SCALE_QUESTION,
            low_label="Instämmer inte alls",
            high_label="Instämmer helt",
        )
        surveys.item_add(
            actor=actor, survey=made, kind=Item.Kind.SINGLE, text=CHOICE_QUESTION, choices=CHOICES
        )
        surveys.item_add(actor=actor, survey=made, kind=Item.Kind.TEXT, text=TEXT_QUESTION)
    return made


def sent(made: Survey, actor: Any = None) -> Survey:
    return surveys.survey_send(actor=actor or made.created_by, survey=made)


def sent_survey(team: Team | None = None, **fields: Any) -> Survey:
    return sent(survey(team=team, **fields))


def sheet(
    made: Survey, value: int = 4, text: str = "", choice: str | None = None, **by_key: Any
) -> dict[int, Any]:
    """A full answer sheet: every scale question `value` (or by key), the first choice, and `text`."""
    answers: dict[int, Any] = {}
    for item in made.items.all():
        if item.key and item.key in by_key:
            answers[item.pk] = by_key[item.key]
        elif item.is_scale:
            answers[item.pk] = value
        elif item.kind == Item.Kind.SINGLE:
            answers[item.pk] = choice or item.choices[0]
        elif item.kind == Item.Kind.MULTIPLE:
            answers[item.pk] = [choice or item.choices[0]]
        elif text:
            answers[item.pk] = text
    return answers


def answer(made: Survey, person: Any, value: int = 4, text: str = "", **by_key: Any) -> None:
    surveys.response_submit(survey=made, person=person, answers=sheet(made, value, text, **by_key))


def answer_all(made: Survey, people: Iterable[Any], value: int = 4, text: str = "") -> None:
    for number, person in enumerate(people):
        answer(made, person, value, text=f"{text} {number}" if text else "")


def answer_and_get_id(made: Survey, person: Any, value: int = 4, text: str = "") -> Any:
    """Answers, and finds the new answer sheet's key from the outside (the service returns nothing)."""
    before = set(Response.objects.filter(survey=made).values_list("pk", flat=True))
    answer(made, person, value, text)
    (new,) = set(Response.objects.filter(survey=made).values_list("pk", flat=True)) - before
    return new


def close(made: Survey) -> Survey:
    surveys.survey_close(actor=made.created_by, survey=made)
    made.refresh_from_db()
    return made


def close_long_ago(made: Survey, days: int = RELEASE_AFTER_DAYS + 1) -> Survey:
    """Closed (and its sheets rewritten, as closing does) so long ago that the results have reached those above
    the team without a release."""
    if made.closed_at is None:
        close(made)
    closed_at = timezone.now() - datetime.timedelta(days=days)
    Survey.objects.filter(pk=made.pk).update(closed_at=closed_at)
    made.refresh_from_db()
    return made
