"""The delegation order, proposals and the decision register, read-only, with the same rules as the pages."""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from tillit.decisions import selectors
from tillit.decisions.models import Decision, Mandate, Proposal
from tillit.organisation.models import Team

router = Router(tags=["decisions"])

MAX_PAGE_SIZE = 200


class MandateOut(Schema):
    id: int
    number: str
    matter: str
    committee: str = Field(alias="committee.name")
    unit: str = Field(alias="unit.slug")
    team: str | None = Field(alias="team.slug", default=None)
    category: str
    kind: str = Field(description="`delegated` (reported to the committee) or `execution` (not reported)")
    basis_reference: str
    basis_date: date | None
    delegate_id: int
    delegate: str = Field(alias="delegate.full_name")
    delegate_role: str
    deputy_id: int | None
    amount_limit: Decimal | None
    scope: str
    further_delegated_by_id: int | None
    further_delegated_on: date | None
    version: int


class ProposalOut(Schema):
    id: int
    team: str = Field(alias="team.slug")
    title: str
    background: str
    mandate_id: int | None = Field(description="null for a team agreement")
    process: str
    status: str
    version: int
    deadline: datetime
    created_by_id: int


class DecisionOut(Schema):
    id: int
    reference: str
    number: str
    version: int
    title: str = Field(alias="proposal.title")
    outcome: str
    team: str = Field(alias="team.slug")
    mandate_id: int | None
    proposal_id: int
    process: str = Field(alias="proposal.process")
    decided_by_id: int
    decided_by: str = Field(alias="decided_by.full_name")
    as_deputy: bool
    decided_on: date
    review_on: date | None
    reported_on: date | None = Field(alias="report.reported_on", default=None)
    replaces_id: int | None


@router.get(
    "/mandates",
    response=list[MandateOut],
    summary="The delegation order in force; `team` narrows it to what a team may decide",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE_SIZE)
def list_mandates(request: HttpRequest, team: str | None = None) -> QuerySet[Mandate]:
    chosen = get_object_or_404(Team, slug=team) if team else None
    return selectors.mandate_list_for(user=request.user, team=chosen).order_by(
        "committee__name", "number", "id"
    )


@router.get("/mandates/{mandate_id}", response=MandateOut, summary="One mandate")
def get_mandate(request: HttpRequest, mandate_id: int) -> Mandate:
    return selectors.mandate_get_for(user=request.user, pk=mandate_id)


@router.get("/proposals", response=list[ProposalOut], summary="Open proposals the caller can act on")
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE_SIZE)
def list_proposals(request: HttpRequest) -> QuerySet[Proposal]:
    return selectors.open_proposals_for(user=request.user).select_related("team")


@router.get("/proposals/{proposal_id}", response=ProposalOut, summary="One proposal the caller may see")
def get_proposal(request: HttpRequest, proposal_id: int) -> Proposal:
    return selectors.proposal_get_for(user=request.user, pk=proposal_id)


@router.get(
    "/decisions",
    response=list[DecisionOut],
    summary="The decision register: the newest version of each decision, filtered like the register page",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE_SIZE)
def list_decisions(
    request: HttpRequest,
    team: str | None = None,
    mandate: int | None = None,
    start: date | None = None,
    end: date | None = None,
    process: str = "",
    status: str = "",
    q: str = "",
) -> QuerySet[Decision]:
    filters = selectors.RegisterFilter(
        team=get_object_or_404(Team, slug=team) if team else None,
        mandate=get_object_or_404(Mandate, pk=mandate) if mandate else None,
        start=start,
        end=end,
        process=process,
        status=status,
        query=q,
    )
    return selectors.register_for(user=request.user, filters=filters)


@router.get("/decisions/{decision_id}", response=DecisionOut, summary="One decision (any version)")
def get_decision(request: HttpRequest, decision_id: int) -> Decision:
    return selectors.decision_get_for(user=request.user, pk=decision_id)
