"""Reads of labs, initiatives and ideas, each with its permission check. Lists take a fixed number of queries."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from tillit.core.permissions import require
from tillit.labs.models import EffectGoal, Idea, Indicator, Initiative, Lab, Measurement, progress


@dataclass(frozen=True)
class PortfolioFilter:
    q: str = ""
    lab: Lab | None = None
    status: str = ""
    stage: str = ""
    area: str = ""
    administration: Any = None


def portfolio(filters: PortfolioFilter, *, published_only: bool = True) -> QuerySet[Initiative]:
    """The portfolio anyone may read: published initiatives, filtered and searched (case-insensitively in any
    language, on any database: the initiative keeps a casefolded copy of its text)."""
    initiatives = Initiative.objects.select_related("lab", "administration")
    if published_only:
        initiatives = initiatives.filter(published_at__isnull=False)
    if filters.lab is not None:
        initiatives = initiatives.filter(lab=filters.lab)
    if filters.status:
        initiatives = initiatives.filter(status=filters.status)
    if filters.stage:
        initiatives = initiatives.filter(stage=filters.stage)
    if filters.area:
        initiatives = initiatives.filter(area=filters.area)
    if filters.administration is not None:
        initiatives = initiatives.filter(administration=filters.administration)
    for word in filters.q.casefold().split()[:10]:
        initiatives = initiatives.filter(search_text__contains=word)
    return initiatives.order_by("-updated_at", "-pk")


def learnings(q: str = "", status: str = "") -> QuerySet[Initiative]:
    """The learnings library: every published initiative with learnings, stopped ones as much as the rest."""
    with_learnings = Q(learned_worked__gt="") | Q(learned_not_worked__gt="") | Q(learned_for_others__gt="")
    initiatives = Initiative.objects.filter(with_learnings, published_at__isnull=False).select_related("lab")
    if status:
        initiatives = initiatives.filter(status=status)
    for word in q.casefold().split()[:10]:
        initiatives = initiatives.filter(search_text__contains=word)
    return initiatives.order_by("-updated_at", "-pk")


def areas() -> list[str]:
    return sorted(
        set(
            Initiative.objects.filter(published_at__isnull=False)
            .exclude(area="")
            .values_list("area", flat=True)
        )
    )


def lab_list() -> QuerySet[Lab]:
    return Lab.objects.annotate(
        initiative_count=Count(
            "initiatives", filter=Q(initiatives__published_at__isnull=False), distinct=True
        )
    ).prefetch_related("tracks")


def initiative_get(*, user: Any, slug: str) -> Initiative:
    """An initiative with everything its page shows. Unpublished ones are for people with an account."""
    initiative = (
        Initiative.objects.select_related("lab", "track", "administration")
        .prefetch_related(
            "teams",
            "links",
            "attachments",
            Prefetch("effect_goals", EffectGoal.objects.prefetch_related("indicators__measurements")),
        )
        .filter(slug=slug)
        .first()
    )
    if initiative is None:
        raise Http404
    if not user.has_perm("labs.view_initiative", initiative):
        raise Http404 if not user.is_authenticated else PermissionDenied
    return initiative


@dataclass(frozen=True)
class IndicatorView:
    """An indicator as its chart and data table show it."""

    indicator: Indicator
    measurements: list[Measurement]

    @property
    def latest(self) -> Measurement | None:
        return self.measurements[-1] if self.measurements else None

    @property
    def progress(self) -> float | None:
        latest = self.latest
        return progress(self.indicator, latest.value if latest else None)

    @property
    def progress_percent(self) -> int | None:
        value = self.progress
        return None if value is None else round(value * 100)

    @property
    def reached(self) -> bool:
        value = self.progress
        return value is not None and value >= 1

    @property
    def change(self) -> Decimal | None:
        latest = self.latest
        return None if latest is None else latest.value - self.indicator.baseline


def indicator_views(goal: EffectGoal) -> list[IndicatorView]:
    return [
        IndicatorView(indicator, list(indicator.measurements.all())) for indicator in goal.indicators.all()
    ]


def idea_queue(*, user: Any, status: str = "") -> QuerySet[Idea]:
    require(user, "labs.assess_ideas")
    ideas = Idea.objects.select_related("submitted_by", "initiative")
    if status == "open":
        ideas = ideas.exclude(status__in=(Idea.Status.INITIATIVE, Idea.Status.DECLINED))
    elif status:
        ideas = ideas.filter(status=status)
    return ideas


def ideas_of(user: Any) -> QuerySet[Idea]:
    return Idea.objects.filter(submitted_by=user).select_related("initiative")


def team_initiatives(team: Any) -> dict[str, Any]:
    """The initiatives a team takes part in, for the team's home page: one query."""
    return {
        "team_initiatives": list(team.initiatives.select_related("lab").order_by("-updated_at", "-pk")[:10])
    }
