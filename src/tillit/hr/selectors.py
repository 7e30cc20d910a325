"""Reads in hr, each fetching and authorising in one call. Whoever may not know that a talk or a
rehabilitation case exists gets 404, never 403. Lists take a fixed number of queries."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from tillit.hr import services
from tillit.hr.models import (
    Assessment,
    Candidate,
    FeedbackRequest,
    Recruitment,
    RecruitmentConflict,
    RehabAccess,
    RehabCase,
    RehabEntry,
    Talk,
)
from tillit.hr.rules import is_hr_specialist


def _active(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _recruitments() -> QuerySet[Recruitment]:
    return Recruitment.objects.select_related("team__unit", "delegate", "decision__proposal", "chosen")


def recruitment_list_for(*, user: Any) -> QuerySet[Recruitment]:
    """The recruitments of my teams, and those I decide or sit on the panel of."""
    if not _active(user):
        return Recruitment.objects.none()
    mine = Q(team__memberships__person=user) | Q(delegate=user) | Q(panel=user)
    ids = Recruitment.objects.filter(mine).values("pk")
    return _recruitments().filter(pk__in=ids)


def recruitment_open_list_for_hr(*, user: Any) -> QuerySet[Recruitment]:
    if not is_hr_specialist(user):
        return Recruitment.objects.none()
    return _recruitments().exclude(status__in=(Recruitment.Status.DECIDED, Recruitment.Status.CANCELLED))


def recruitment_get_for(*, user: Any, pk: int) -> Recruitment:
    try:
        recruitment = _recruitments().prefetch_related("panel").get(pk=pk)
    except Recruitment.DoesNotExist as exc:
        raise Http404 from exc
    if not user.has_perm("hr.view_recruitment", recruitment):
        raise Http404
    return recruitment


@dataclass
class CandidateRow:
    candidate: Candidate
    averages: list[float | None] = field(default_factory=list)
    total: float | None = None
    assessors: int = 0


def candidate_table(recruitment: Recruitment) -> list[CandidateRow]:
    """Each candidate with the panel's mean score per requirement and overall, in two queries."""
    count = len(recruitment.requirement_list)
    rows = []
    candidates = recruitment.candidates.prefetch_related(
        Prefetch("assessments", queryset=Assessment.objects.order_by("requirement"))
    )
    for candidate in candidates:
        per_requirement: list[list[int]] = [[] for _ in range(count)]
        assessors = set()
        for assessment in candidate.assessments.all():
            if assessment.requirement < count:
                per_requirement[assessment.requirement].append(assessment.score)
                assessors.add(assessment.assessor_id)
        averages = [round(sum(s) / len(s), 1) if s else None for s in per_requirement]
        known = [a for a in averages if a is not None]
        rows.append(
            CandidateRow(
                candidate=candidate,
                averages=averages,
                total=round(sum(known) / len(known), 1) if known else None,
                assessors=len(assessors),
            )
        )
    return rows


def candidate_get_for(*, user: Any, recruitment: Recruitment, pk: int) -> Candidate:
    if not user.has_perm("hr.view_candidates", recruitment):
        raise Http404
    try:
        return recruitment.candidates.prefetch_related(
            Prefetch(
                "assessments", queryset=Assessment.objects.select_related("assessor").order_by("requirement")
            ),
            "references__added_by",
        ).get(pk=pk)
    except Candidate.DoesNotExist as exc:
        raise Http404 from exc


def conflicts_of(recruitment: Recruitment) -> list[RecruitmentConflict]:
    """The declared conflicts, for those who see the candidates: a reason may name one."""
    return list(recruitment.conflicts.select_related("person", "candidate").order_by("declared_at"))


def conflicted(recruitment: Recruitment, user: Any, candidate: Candidate | None = None) -> bool:
    return _active(user) and services.has_conflict(recruitment, user, candidate)


# Talks.


def talk_list_for(*, user: Any) -> QuerySet[Talk]:
    """My own talks and the talks I hold with others."""
    if not _active(user):
        return Talk.objects.none()
    return Talk.objects.filter(Q(employee=user) | Q(counterpart=user)).select_related(
        "employee", "counterpart"
    )


def talk_get_for(*, user: Any, pk: int) -> Talk:
    try:
        talk = Talk.objects.select_related("employee", "counterpart").get(pk=pk)
    except Talk.DoesNotExist as exc:
        raise Http404 from exc
    if not user.has_perm("hr.view_talk", talk):
        raise Http404
    return talk


def feedback_for_talk(*, user: Any, talk: Talk) -> list[FeedbackRequest]:
    """The requests of a talk this person may see: all of them for the employee; for the person they meet,
    only the answers the employee shared."""
    requests = talk.feedback_requests.select_related("colleague", "talk")
    if user.pk == talk.employee_id:
        return list(requests)
    if user.pk == talk.counterpart_id:
        return list(requests.filter(shared=True))
    return []


def feedback_asked_of(*, user: Any) -> QuerySet[FeedbackRequest]:
    if not _active(user):
        return FeedbackRequest.objects.none()
    return FeedbackRequest.objects.filter(colleague=user).select_related("talk__employee")


def feedback_get_for(*, user: Any, pk: int) -> FeedbackRequest:
    """For the colleague asked (their own request only) and the employee who asked."""
    try:
        request = FeedbackRequest.objects.select_related(
            "talk__employee", "talk__counterpart", "colleague"
        ).get(pk=pk)
    except FeedbackRequest.DoesNotExist as exc:
        raise Http404 from exc
    if not _active(user) or user.pk not in (request.colleague_id, request.talk.employee_id):
        raise Http404
    return request


# Rehabilitation.


def _cases() -> QuerySet[RehabCase]:
    return RehabCase.objects.select_related("employee", "manager", "hr_contact")


def rehab_list_for(*, user: Any) -> QuerySet[RehabCase]:
    if not _active(user):
        return RehabCase.objects.none()
    return _cases().filter(Q(employee=user) | Q(manager=user) | Q(hr_contact=user))


def rehab_get_for(*, user: Any, pk: int) -> RehabCase:
    """The case page: refused with 404 (and no trace) to anyone outside it; each view by someone inside it is
    written to the access log before anything is shown."""
    try:
        case = _cases().get(pk=pk)
    except RehabCase.DoesNotExist as exc:
        raise Http404 from exc
    if not user.has_perm("hr.view_rehab", case):
        raise Http404
    services.rehab_log_view(case=case, person=user)
    return case


def rehab_entries(case: RehabCase) -> QuerySet[RehabEntry]:
    return case.entries.select_related("author")


def rehab_accesses(case: RehabCase) -> QuerySet[RehabAccess]:
    return case.accesses.select_related("person")
