import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.decisions.factories import team_with_members
from tillit.decisions.models import Proposal
from tillit.teams.models import Action, AgendaItem, Meeting, Role

pytestmark = pytest.mark.django_db


def page(response):
    return response.content.decode()


def test_roles_page_creates_from_a_template_and_proposes_a_holder(client):
    team, (anna, bo, _cia) = team_with_members(3)
    client.force_login(anna)
    url = reverse("teams:roles", args=[team.slug])
    response = client.post(url, {"template": "", "name": "", "term_months": 12})
    assert response.status_code == 400 and not Role.objects.exists()
    client.post(url, {"template": "facilitator", "term_months": 6})
    role = Role.objects.get()
    assert role.name == "Mötesledare" and role.term_months == 6
    deadline = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        role.get_absolute_url(),
        {"person": bo.pk, "starts_on": timezone.localdate().isoformat(), "deadline": deadline},
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert bo.full_name in proposal.title
    assert "Mötesledare" in page(client.get(team.get_absolute_url()))


def test_a_meeting_through_its_pages(client):
    team, (anna, bo, cia) = team_with_members(3)
    client.force_login(anna)
    starts = (timezone.localtime() + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("teams:meetings", args=[team.slug]),
        {"starts_at": starts, "facilitator": bo.pk, "place": "Lilla rummet"},
    )
    meeting = Meeting.objects.get()
    response = client.post(
        reverse("teams:item_add", args=[meeting.pk]), {"title": "", "purpose": "decide", "minutes": 10}
    )
    assert response.status_code == 400
    client.post(
        reverse("teams:item_add", args=[meeting.pk]),
        {"title": "Lunch på onsdagar", "purpose": "decide", "minutes": 10},
    )
    item = AgendaItem.objects.get()
    # Only the facilitator runs the meeting.
    assert client.post(reverse("teams:meeting_step", args=[meeting.pk]), {"step": "open"}).status_code == 403
    client.force_login(bo)
    for step in ("open", "approve"):
        client.post(reverse("teams:meeting_step", args=[meeting.pk]), {"step": step})
    prefix = f"item-{item.pk}"
    client.post(
        reverse("teams:item_update", args=[item.pk]), {"what": "minutes", f"{prefix}-notes": "Alla vill."}
    )
    client.post(
        reverse("teams:item_update", args=[item.pk]),
        {"what": "decision", f"{prefix}-outcome": "Vi äter ihop på onsdagar."},
    )
    client.post(
        reverse("teams:item_update", args=[item.pk]),
        {
            "what": "action",
            f"{prefix}-text": "Boka rummet",
            f"{prefix}-owner": cia.pk,
            f"{prefix}-due_on": timezone.localdate().isoformat(),
        },
    )
    shown = page(client.get(meeting.get_absolute_url()))
    assert "Alla vill." in shown and "Vi äter ihop på onsdagar." in shown and "Boka rummet" in shown
    assert "Boka rummet" in page(client.get(team.get_absolute_url()))
    client.post(reverse("teams:meeting_step", args=[meeting.pk]), {"step": "close"})
    client.post(reverse("teams:action_done", args=[Action.objects.get().pk]))
    assert Action.objects.get().done_at is not None
    assert 'id="open-actions-title"' not in page(client.get(team.get_absolute_url()))


def test_a_team_asks_its_coach_for_support_and_the_coach_sees_all_teams(client):
    from tests.decisions.factories import coach_of
    from tillit.teams.models import SupportRequest

    team, (anna, _bo, _cia) = team_with_members(3)
    other, _people = team_with_members(1)
    coach = coach_of(team)
    from tillit.organisation.models import Membership

    Membership.objects.create(team=other, person=coach, role=Membership.Role.COACH)
    client.force_login(anna)
    assert "Be vår coach om stöd" in page(client.get(team.get_absolute_url()))
    client.post(reverse("teams:support_ask", args=[team.slug]), {"message": "Vi kör fast i schemat."})
    support = SupportRequest.objects.get()
    client.force_login(coach)
    shown = page(client.get(reverse("teams:coach")))
    assert team.name in shown and other.name in shown and "Vi kör fast i schemat." in shown
    client.post(reverse("teams:support_answer", args=[support.pk]))
    support.refresh_from_db()
    assert support.answered_by == coach
    client.force_login(anna)
    assert client.post(reverse("teams:support_answer", args=[support.pk])).status_code == 403
