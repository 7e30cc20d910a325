"""Reads of surveys with their permission check, shared by the pages and the API."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from tillit.followup.models import Recipient, Survey


def manages(user: Any, survey: Survey) -> bool:
    return bool(user.has_perm("followup.manage_survey", survey) or user.has_perm("followup.see_above_team"))


def survey_get_for(*, user: Any, pk: int) -> tuple[Survey, bool]:
    """The survey and whether the person manages it; those it was sent to may open it to answer."""
    survey = get_object_or_404(Survey.objects.select_related("team", "unit", "created_by"), pk=pk)
    managing = manages(user, survey)
    if not managing and not _takes_part(user, survey):
        raise PermissionDenied
    return survey, managing


def _takes_part(user: Any, survey: Survey) -> bool:
    """Asked to answer, or a member or coach of one of the teams asked (a coach is not asked, but the team's
    results are the coach's too)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Recipient.objects.filter(
        Q(person=user.pk) | Q(team__memberships__person=user.pk), survey=survey
    ).exists()


def survey_list_for(*, user: Any) -> QuerySet[Survey]:
    """The surveys the person manages, may see above the teams, or was asked to answer."""
    surveys = Survey.objects.select_related("team", "unit")
    if user.has_perm("followup.see_above_team"):
        return surveys
    teams = user.memberships.values("team_id")
    return surveys.filter(
        Q(created_by=user) | Q(team__in=teams) | Q(recipients__person=user) | Q(recipients__team__in=teams)
    ).distinct()
