import datetime
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.decisions.models import Decision, Proposal, Response
from tillit.notifications.models import Kind
from tillit.notifications.services import notify
from tillit.organisation.models import Membership
from tillit.teams.models import RoleHolder

ROLE_TERM_DAYS = 30


class Command(BaseCommand):
    help = (
        "Reminds people of deadlines within a day, decisions due for review, role terms ending soon and surveys "
        "they have not answered that close within a few days (once each)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now, today = timezone.now(), timezone.localdate()
        sent = 0
        for proposal in Proposal.objects.filter(
            status=Proposal.Status.OPEN, deadline__gt=now, deadline__lte=now + datetime.timedelta(days=1)
        ).select_related("team"):
            answered = Response.objects.filter(
                proposal=proposal, current=True, version=proposal.version
            ).values("person_id")
            waiting = [
                m.person
                for m in Membership.objects.filter(team=proposal.team, role=Membership.Role.MEMBER)
                .exclude(person_id__in=answered)
                .exclude(Q(person__in=proposal.conflicts.values("person_id")))
                .select_related("person")
            ]
            notify(
                waiting,
                Kind.DEADLINE,
                _("Respond to “%(title)s” before %(when)s")
                % {
                    "title": proposal.title,
                    "when": f"{timezone.localtime(proposal.deadline):%Y-%m-%d %H:%M}",
                },
                proposal.get_absolute_url(),
                f"deadline:proposal:{proposal.pk}:v{proposal.version}",
            )
            sent += len(waiting)
        for decision in Decision.objects.filter(
            replaced_by__isnull=True, review_on__isnull=False, review_on__lte=today
        ).select_related("proposal", "team"):
            members = [
                m.person
                for m in decision.team.memberships.filter(role=Membership.Role.MEMBER).select_related(
                    "person"
                )
            ]
            notify(
                members,
                Kind.REVIEW,
                _("Time to evaluate the decision “%(title)s”") % {"title": decision.proposal.title},
                decision.get_absolute_url(),
                f"review:decision:{decision.pk}",
            )
            sent += len(members)
        for holder in RoleHolder.objects.filter(
            ended_on__isnull=True,
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=ROLE_TERM_DAYS),
        ).select_related("role", "person"):
            notify(
                [holder.person],
                Kind.ROLE_TERM,
                _("Your term as %(role)s ends %(when)s")
                % {"role": holder.role.name, "when": holder.ends_on.isoformat()},
                holder.role.get_absolute_url(),
                f"role_term:holder:{holder.pk}",
            )
            sent += 1
        from tillit.followup.surveys import seal_due_surveys
        from tillit.followup.surveys import send_reminders as survey_reminders

        seal_due_surveys(today)
        sent += survey_reminders(today)
        self.stdout.write(f"Reminders considered for {sent} people.")
