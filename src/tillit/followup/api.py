"""Surveys through the API: their state and their results as the caller may see them on the pages. Only
aggregates leave Tillit: there is no endpoint for an answer sheet, and no figure for a group below the threshold."""

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from tillit.followup import results, selectors
from tillit.followup.models import Survey

router = Router(tags=["follow-up"])


class SurveyOut(Schema):
    id: int
    title: str
    audience: str = Field(description="`team`, `unit` or `link`")
    team: str | None = Field(alias="team.slug", default=None)
    unit: str | None = Field(alias="unit.slug", default=None)
    opens_on: date
    closes_on: date
    anonymous: bool
    threshold: int = Field(description="The smallest group whose results are shown")
    round: int


class ItemOut(Schema):
    key: str
    question: str
    kind: str
    answered: int
    mean: float | None
    counts: dict[str, int] = Field(description="Answers per scale value or choice")
    texts: list[str] | None = Field(description="Free text, only where it cannot give its writer away")


class GroupOut(Schema):
    label: str
    team: str | None
    answered: int
    shown: bool = Field(description="false below the threshold: then no figures are given")
    items: list[ItemOut]


@router.get("/surveys", response=list[SurveyOut], summary="The surveys the caller manages, sees or was asked")
@paginate(LimitOffsetPagination, max_limit=200)
def list_surveys(request: HttpRequest) -> QuerySet[Survey]:
    return selectors.survey_list_for(user=request.user).order_by("-opens_on", "-id")


@router.get(
    "/surveys/{survey_id}/results",
    response=list[GroupOut],
    summary="A closed survey's results, per group, as the caller may see them",
)
def survey_results(request: HttpRequest, survey_id: int) -> list[dict[str, object]]:
    survey, _managing = selectors.survey_get_for(user=request.user, pk=survey_id)
    return [
        {
            "label": group.label,
            "team": group.team.slug if group.team else None,
            "answered": group.answered,
            "shown": group.shown,
            "items": [
                {
                    "key": result.item.key,
                    "question": result.item.text,
                    "kind": result.item.kind,
                    "answered": result.answered,
                    "mean": float(result.mean) if result.mean is not None else None,
                    "counts": {bar.label: bar.count for bar in result.bars},
                    "texts": result.texts,
                }
                for result in group.items
            ],
        }
        for group in results.survey_results(survey, request.user)
    ]
