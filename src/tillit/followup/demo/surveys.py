"""Team Norr's surveys: two rounds of the effects survey (influence, collaboration, pace) and a first round of the
self-organisation survey, each answered anonymously by five of the team's six members and closed, and a third
round of the effects survey open now."""

import datetime
import random

from django.utils import timezone

from tillit.accounts.models import User
from tillit.followup import surveys
from tillit.followup.models import Item, Survey
from tillit.organisation.models import Membership, Team

THOUGHTS = [
    "Mer tid tillsammans med familjerna och mindre tid i systemen.",
    "Att vi får bestämma om vår egen planering utan att fråga varje gång.",
    "Tydligare mandat när det gäller köp av insatser.",
    "Att vi träffar familjebehandlarna varje vecka.",
    "Färre rapporter som ingen läser.",
]


def load_demo_surveys() -> None:
    team = Team.objects.get(name="Barn, unga, familj – team Norr")
    coach = User.objects.get(email="coach@exempelstad.se")
    members = [
        m.person for m in team.memberships.filter(role=Membership.Role.MEMBER).order_by("person__full_name")
    ]
    today = timezone.localdate()
    rng = random.Random(2026)  # noqa: S311 (made-up answers for the demo, the same every time)
    first = surveys.survey_create(
        actor=coach,
        template="effects",
        title="Inflytande, samverkan och utvecklingstakt",
        intro="Tre frågor varje kvartal om hur vi har det i teamet.",
        audience=Survey.Audience.TEAM,
        team=team,
        opens_on=today - datetime.timedelta(days=120),
        closes_on=today - datetime.timedelta(days=100),
        anonymous=True,
        threshold=5,
    )
    rounds = [(first, (3, 4)), (None, (3, 5))]
    previous = first
    for survey, (low, high) in rounds:
        if survey is None:
            survey = surveys.survey_new_round(
                actor=coach,
                survey=previous,
                opens_on=today - datetime.timedelta(days=30),
                closes_on=today - datetime.timedelta(days=10),
            )
        _answer_in_the_past(survey, coach, members, rng, low, high)
        previous = survey
    surveys.results_release(actor=members[0], survey=first, team=team)

    self_organisation = surveys.survey_create(
        actor=coach,
        template="self_organisation",
        title="Självorganisering: framgångsfaktorer",
        intro="Hur fungerar vi som självorganiserande team? Svaren är anonyma.",
        audience=Survey.Audience.TEAM,
        team=team,
        opens_on=today - datetime.timedelta(days=200),
        closes_on=today - datetime.timedelta(days=186),
        anonymous=True,
        threshold=5,
    )
    _answer_in_the_past(self_organisation, coach, members, rng, 2, 4)
    surveys.survey_send(
        actor=coach,
        survey=surveys.survey_new_round(
            actor=coach,
            survey=previous,
            opens_on=today,
            closes_on=today + datetime.timedelta(days=14),
        ),
    )


def _answer_in_the_past(
    survey: Survey, coach: User, members: list[User], rng: random.Random, low: int, high: int
) -> None:
    """The demo's past rounds: sent, answered by everyone but one, and closed."""
    opens, closes = survey.opens_on, survey.closes_on
    Survey.objects.filter(pk=survey.pk).update(opens_on=timezone.localdate(), closes_on=timezone.localdate())
    survey.refresh_from_db()
    surveys.survey_send(actor=coach, survey=survey)
    items = list(survey.items.all())
    for person in members[:-1]:
        answers: dict[int, object] = {
            item.pk: rng.randint(low, high) if item.kind != Item.Kind.TEXT else rng.choice(THOUGHTS)
            for item in items
        }
        surveys.response_submit(survey=survey, person=person, answers=answers)
    Survey.objects.filter(pk=survey.pk).update(opens_on=opens, closes_on=closes)
    surveys.survey_seal(survey, actor=coach)
