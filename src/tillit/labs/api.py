"""The public portfolio as an API: the same records as the open-data export, with their schema in OpenAPI."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from tillit.core.context_processors import municipality_name
from tillit.labs import portfolio

router = Router(tags=["portfolio"])


class PeriodOut(Schema):
    start: str | None = Field(description="YYYY-MM-DD")
    end: str | None = Field(description="YYYY-MM-DD")


class ValueOut(Schema):
    value: float
    date: str | None = Field(description="YYYY-MM-DD")


class MeasurementOut(Schema):
    date: str | None
    value: float


class IndicatorOut(Schema):
    name: str
    unit: str
    direction: str = Field(description="`increase` (higher is better) or `decrease`")
    baseline: ValueOut
    target: ValueOut
    measurements: list[MeasurementOut]


class EffectGoalOut(Schema):
    title: str
    description: str
    indicators: list[IndicatorOut]


class LessonsOut(Schema):
    what_worked: str
    what_did_not_work: str
    for_others: str


class ContactOut(Schema):
    name: str
    email: str


class LinkOut(Schema):
    title: str
    url: str


class InitiativeOut(Schema):
    id: str = Field(description="The initiative's short name")
    url: str = Field(description="Its public page")
    municipality: str
    title: str
    area: str
    administration: str
    lab: str
    track: str
    status: str = Field(description="`ongoing`, `paused`, `realised` or `stopped` (Avbruten)")
    stage: str = Field(description="`explore_idea`, `explore_setup`, `pilot` or `scale`")
    what: str = Field(description="Vad?")
    why: str = Field(description="Varför?")
    how: str = Field(description="Hur?")
    hypothesis: str
    success_factors: list[str]
    questions: list[str]
    teams: list[str]
    pilot_period: PeriodOut
    support: str
    citizen_involvement: str
    effect_goals: list[EffectGoalOut] = Field(description="Effektmål")
    lessons_learned: LessonsOut = Field(description="Lärdomar")
    contact: ContactOut
    links: list[LinkOut]
    attachments: list[LinkOut]
    published: str | None
    updated: str | None
    ended: str | None


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


@router.get("/portfolio/initiatives", response=list[InitiativeOut], auth=None)
def initiatives(request: HttpRequest) -> list[dict[str, object]]:
    """Every published initiative, open to anyone (the JSON of /portfolj/export.json without its envelope)."""
    ours = municipality_name()
    return [portfolio.initiative_record(i, _base(request), ours) for i in portfolio.published_initiatives()]


@router.get("/portfolio/initiatives/{slug}", response=InitiativeOut, auth=None)
def initiative(request: HttpRequest, slug: str) -> dict[str, object]:
    found = get_object_or_404(portfolio.published_initiatives(), slug=slug)
    return portfolio.initiative_record(found, _base(request), municipality_name())
