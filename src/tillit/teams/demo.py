"""Demo roles and meetings for team Norr in Exempelstad."""

import datetime

from django.utils import timezone

from tillit.accounts.models import User
from tillit.decisions import services as decisions
from tillit.decisions.models import Response
from tillit.notifications.services import without_email
from tillit.organisation.models import Membership, Team
from tillit.teams import services
from tillit.teams.models import RoleHolder


@without_email()  # the demo's people are told in Tillit, not by e-mail
def load_demo_teams() -> None:
    team = Team.objects.get(name="Barn, unga, familj – team Norr")
    members = [
        m.person for m in team.memberships.filter(role=Membership.Role.MEMBER).order_by("person__full_name")
    ]
    anna = User.objects.get(email="anna@exempelstad.se")
    others = [person for person in members if person != anna]
    today = timezone.localdate()
    roles = {
        key: services.role_create(actor=anna, team=team, template=key)
        for key in ("planning", "budget", "facilitator", "mentor", "citizen")
    }
    # Holders of long standing; the facilitator's term is about to end.
    for key, person, started in (
        ("planning", others[1], today - datetime.timedelta(days=200)),
        ("budget", others[0], today - datetime.timedelta(days=120)),
        ("facilitator", anna, today - datetime.timedelta(days=350)),
        ("mentor", others[2], today - datetime.timedelta(days=40)),
    ):
        role = roles[key]
        RoleHolder.objects.create(
            role=role,
            person=person,
            starts_on=started,
            ends_on=services.add_months(started, role.term_months) - datetime.timedelta(days=1),
        )
    # The citizen contact is being chosen by consent.
    choice = services.role_holder_propose(
        actor=anna,
        role=roles["citizen"],
        person=others[3],
        starts_on=today + datetime.timedelta(days=7),
        deadline=timezone.now() + datetime.timedelta(days=5),
    )
    decisions.proposal_respond(actor=others[0], proposal=choice, position=Response.Position.CONSENT)
    # Last week's meeting, closed, with a decision and actions; and next week's, planned.
    last = services.meeting_plan(
        actor=anna,
        team=team,
        starts_at=timezone.now() - datetime.timedelta(days=7),
        facilitator=anna,
        place="Lilla rummet",
    )
    services.meeting_open(actor=anna, meeting=last)
    services.meeting_approve_previous_minutes(actor=anna, meeting=last)
    news = services.agenda_item_add(
        actor=others[1], meeting=last, title="Nytt schema för jullovet", purpose="inform", minutes=5
    )
    services.agenda_item_record(
        actor=anna, item=news, notes="Schemat ligger i den delade mappen. Säg till före fredag."
    )
    visits = services.agenda_item_add(
        actor=others[2], meeting=last, title="Gemensamma hembesök med skolan", purpose="advice", minutes=15
    )
    services.agenda_item_record(
        actor=anna, item=visits, notes="Rådet: börja med två familjer och följ upp efter en månad."
    )
    services.action_add(
        actor=anna,
        team=team,
        item=visits,
        text="Fråga rektorn om två familjer",
        owner=others[2],
        due_on=today + datetime.timedelta(days=5),
    )
    huddle = services.agenda_item_add(
        actor=anna, meeting=last, title="Kort avstämning varje morgon", purpose="decide", minutes=10
    )
    services.agenda_item_record(actor=anna, item=huddle, notes="Alla vill prova tio minuter klockan 8.15.")
    services.agenda_item_decide(
        actor=anna, item=huddle, outcome="Vi provar en avstämning klockan 8.15 i fyra veckor."
    )
    services.action_add(
        actor=anna,
        team=team,
        item=huddle,
        text="Utvärdera morgonavstämningen",
        owner=anna,
        due_on=today + datetime.timedelta(days=21),
    )
    services.meeting_close(actor=anna, meeting=last)
    services.meeting_plan(
        actor=anna,
        team=team,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        facilitator=anna,
        place="Lilla rummet",
    )
