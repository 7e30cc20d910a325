"""What the team home shows of roles, meetings and actions."""

import datetime
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from tillit.organisation.models import Team
from tillit.teams.models import Meeting, Role, RoleHolder

TERM_ENDS_SOON_DAYS = 30


def roles_with_holders(team: Team) -> list[Role]:
    return list(
        team.team_roles.filter(active=True).prefetch_related(
            Prefetch("holders", queryset=RoleHolder.objects.select_related("person", "decision"))
        )
    )


def team_roles_summary(*, user: Any, team: Team) -> dict[str, Any]:
    roles = roles_with_holders(team)
    for role in roles:
        role.current_holders = [h for h in role.holders.all() if h.current]  # type: ignore[attr-defined]
    return {
        "team_roles": roles,
        "terms_ending": [
            h for role in roles for h in role.holders.all() if h.ends_within(TERM_ENDS_SOON_DAYS)
        ],
        "next_meeting": team.meetings.filter(
            status__in=[Meeting.Status.PLANNED, Meeting.Status.OPEN],
            starts_at__gte=timezone.now() - datetime.timedelta(hours=12),
        )
        .select_related("facilitator")
        .order_by("starts_at")
        .first(),
        "open_actions": list(team.actions.filter(done_at__isnull=True).select_related("owner")),
        "can_plan_meeting": user.has_perm("teams.plan_meeting", team),
    }


def team_signals(team: Team) -> dict[str, Any]:
    """What a coach sees of one team: open and overdue proposals, unreported decisions, reviews, terms, actions."""
    from tillit.decisions.models import Decision, Mandate, Proposal

    now, today = timezone.now(), timezone.localdate()
    open_proposals = Proposal.objects.filter(team=team, status=Proposal.Status.OPEN)
    current = Decision.objects.filter(team=team, replaced_by__isnull=True)
    return {
        "open_proposals": open_proposals.count(),
        "overdue": open_proposals.filter(deadline__lte=now).count(),
        "unreported": current.filter(mandate__kind=Mandate.Kind.DELEGATED, report__isnull=True).count(),
        "reviews": current.filter(review_on__lte=today + datetime.timedelta(days=14)).count(),
        "terms_ending": RoleHolder.objects.filter(
            role__team=team,
            ended_on__isnull=True,
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=TERM_ENDS_SOON_DAYS),
        ).count(),
        "open_actions": team.actions.filter(done_at__isnull=True).count(),
        "waiting_requests": team.support_requests.filter(answered_at__isnull=True).count(),
    }
