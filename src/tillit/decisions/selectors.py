"""Reads of mandates, proposals and decisions, each with its permission check."""

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tillit.core.permissions import require
from tillit.decisions.models import Conflict, Decision, Mandate, Proposal, Response
from tillit.organisation.models import Team
from tillit.organisation.selectors import unit_ancestors

REVIEW_SOON_DAYS = 14


def mandate_list_for(
    *, user: Any, unit: Any = None, team: Team | None = None, ancestors: list[Any] | None = None
) -> QuerySet[Mandate]:
    """The delegation order; for a team, what the team may decide and who signs: its own mandates and those of
    its unit and the units above it (``ancestors``: the units above, when the caller has them already)."""
    require(user, "decisions.view_mandates")
    mandates = Mandate.objects.filter(active=True).select_related(
        "committee", "unit", "team", "delegate", "deputy", "further_delegated_by"
    )
    if team is not None:
        above = unit_ancestors(team.unit) if ancestors is None else ancestors
        units = [u.pk for u in [*above, team.unit]]
        mandates = mandates.filter(Q(team=team) | Q(team__isnull=True, unit__in=units))
    elif unit is not None:
        mandates = mandates.filter(unit=unit)
    return mandates


def mandate_get_for(*, user: Any, pk: int) -> Mandate:
    require(user, "decisions.view_mandates")
    try:
        return Mandate.objects.select_related(
            "committee", "unit", "team", "delegate", "deputy", "further_delegated_by"
        ).get(pk=pk)
    except Mandate.DoesNotExist as exc:
        raise Http404 from exc


def proposal_get_for(*, user: Any, pk: int) -> Proposal:
    try:
        proposal = Proposal.objects.select_related(
            "team__unit", "mandate__delegate", "mandate__deputy", "mandate__committee", "created_by"
        ).get(pk=pk)
    except Proposal.DoesNotExist as exc:
        raise Http404 from exc
    require(user, "decisions.view_proposal", proposal)
    return proposal


@dataclass
class Tally:
    """The responses to a proposal, as the viewer may see them."""

    visible: bool
    current: list[Response]
    earlier: list[Response]
    counts: list[tuple[str, int]]
    options: list[tuple[str, int]]
    waiting_for: list[Any]
    scores: list[tuple[str, int, int, float | None]]  # option, total, how many scored it, average


def tally(proposal: Proposal, viewer: Any) -> Tally:
    responses = list(proposal.responses.select_related("person").order_by("created_at", "pk"))
    current = [r for r in responses if r.current]
    mine = any(r.person_id == viewer.pk for r in responses)
    visible = not proposal.hide_results or mine or not proposal.is_open or proposal.deadline <= timezone.now()
    counts = Counter(r.position for r in current if r.version == proposal.version)
    labels = dict(Response.Position.choices)
    from tillit.decisions.models import PROCESS_POSITIONS

    options = Counter(r.option for r in current if r.option and r.version == proposal.version)
    scored = [r.scores for r in current if r.scores and r.version == proposal.version]
    conflicted = set(Conflict.objects.filter(proposal=proposal).values_list("person_id", flat=True))
    answered = {r.person_id for r in current if r.version == proposal.version}
    members = [
        m.person
        for m in proposal.team.memberships.select_related("person").order_by("person__full_name")
        if m.role == "member" and m.person.is_active
    ]
    return Tally(
        visible=visible,
        current=current,
        earlier=[r for r in responses if not r.current],
        counts=[(str(labels[p]), counts.get(p, 0)) for p in PROCESS_POSITIONS[proposal.process]],
        options=[(option, options.get(option, 0)) for option in proposal.option_list],
        scores=sorted(
            (
                (option, sum(given), len(given), round(sum(given) / len(given), 1) if given else None)
                for option in proposal.option_list
                for given in [[s[option] for s in scored if option in s]]
            ),
            key=lambda row: -row[1],
        )
        if scored
        else [],
        waiting_for=[p for p in members if p.pk not in answered and p.pk not in conflicted]
        if proposal.is_open
        else [],
    )


def open_proposals_for(*, user: Any, team: Team | None = None) -> QuerySet[Proposal]:
    """Open proposals the person can act on: their teams' proposals, advice asked of them, matters they decide."""
    mine = (
        Q(team__memberships__person=user)
        | Q(advisers=user)
        | Q(mandate__delegate=user)
        | Q(mandate__deputy=user)
    )
    proposals = Proposal.objects.filter(mine, status=Proposal.Status.OPEN)
    if team is not None:
        proposals = Proposal.objects.filter(team=team, status=Proposal.Status.OPEN)
    return (
        proposals.annotate(
            responded=Exists(
                Response.objects.filter(
                    proposal=OuterRef("pk"), person=user, current=True, version=OuterRef("version")
                )
            )
        )
        .select_related("team", "mandate__delegate")
        .distinct()
        .order_by("deadline")
    )


@dataclass
class RegisterFilter:
    team: Team | None = None
    mandate: Mandate | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    process: str = ""
    status: str = ""
    query: str = ""


def register_for(*, user: Any, filters: RegisterFilter) -> QuerySet[Decision]:
    """The decision register: the newest version of every decision, searchable and filterable."""
    require(user, "decisions.view_register")
    decisions = Decision.objects.filter(replaced_by__isnull=True).select_related(
        "proposal", "team", "mandate__committee", "decided_by", "report", "replaces"
    )
    if filters.team is not None:
        decisions = decisions.filter(team=filters.team)
    if filters.mandate is not None:
        decisions = decisions.filter(mandate=filters.mandate)
    if filters.start is not None:
        decisions = decisions.filter(decided_on__gte=filters.start)
    if filters.end is not None:
        decisions = decisions.filter(decided_on__lte=filters.end)
    if filters.process:
        decisions = decisions.filter(proposal__process=filters.process)
    if filters.status == "delegated":
        decisions = decisions.filter(mandate__kind=Mandate.Kind.DELEGATED)
    elif filters.status == "unreported":
        decisions = decisions.filter(mandate__kind=Mandate.Kind.DELEGATED, report__isnull=True)
    elif filters.status == "reported":
        decisions = decisions.filter(report__isnull=False)
    elif filters.status == "team":
        decisions = decisions.filter(mandate__isnull=True)
    for word in filters.query.split():
        decisions = decisions.filter(
            Q(proposal__title__icontains=word) | Q(outcome__icontains=word) | Q(number__icontains=word)
        )
    return decisions.order_by("-decided_on", "-number")


def decision_get_for(*, user: Any, pk: int) -> Decision:
    require(user, "decisions.view_register")
    try:
        return Decision.objects.select_related(
            "proposal__created_by",
            "team",
            "mandate__committee",
            "mandate__delegate",
            "decided_by",
            "report",
            "replaces",
        ).get(pk=pk)
    except Decision.DoesNotExist as exc:
        raise Http404 from exc


def decision_versions(decision: Decision) -> list[Decision]:
    return list(
        Decision.objects.filter(number=decision.number).select_related("decided_by").order_by("version")
    )


def team_decisions_summary(*, user: Any, team: Team, ancestors: list[Any] | None = None) -> dict[str, Any]:
    """What the team home shows of decisions: open proposals, recent decisions, mandates and the signals."""
    today = timezone.localdate()
    proposals = list(open_proposals_for(user=user, team=team))
    recent = list(
        Decision.objects.filter(team=team, replaced_by__isnull=True)
        .select_related("proposal", "decided_by", "mandate")
        .order_by("-decided_on", "-pk")[:5]
    )
    unreported = Decision.objects.filter(
        team=team, mandate__kind=Mandate.Kind.DELEGATED, report__isnull=True, replaced_by__isnull=True
    ).count()
    reviews = list(
        Decision.objects.filter(
            team=team,
            replaced_by__isnull=True,
            review_on__isnull=False,
            review_on__lte=today + datetime.timedelta(days=REVIEW_SOON_DAYS),
        )
        .select_related("proposal")
        .order_by("review_on")
    )
    return {
        "open_proposals": proposals,
        "waiting_for_me": [p for p in proposals if not getattr(p, "responded", True)],
        "overdue": [p for p in proposals if p.deadline <= timezone.now()],
        "recent_decisions": recent,
        "unreported_count": unreported,
        "reviews_due": reviews,
        "team_mandates": list(mandate_list_for(user=user, team=team, ancestors=ancestors)),
        "can_propose": user.has_perm("decisions.propose", team),
    }
