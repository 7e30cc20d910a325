"""The API's delegation order, proposals, decisions, roles and meetings, with the pages' rules."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.decisions.factories import mandate, proposal, team_with_members
from tests.organisation.factories import PersonFactory
from tillit.accounts import services as accounts
from tillit.decisions import services as decisions
from tillit.teams import services as teams

pytestmark = pytest.mark.django_db


def api_for(person):
    _token, key = accounts.api_token_create(actor=person, user=person, name="Diariet")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_the_register_the_delegation_order_and_proposals():
    team, (anna, bo, cia) = team_with_members(3)
    order = mandate(team, cia)
    made = proposal(team, anna, mandate=order, process="vote")
    open_one = proposal(team, anna, title="Lunch på onsdagar")
    decisions.proposal_decide(actor=cia, proposal=made, outcome="Vi köper.")
    outsider = api_for(PersonFactory())
    mandates = outsider.get("/api/mandates", {"team": team.slug}).json()["items"]
    assert [(m["matter"], m["delegate_id"], m["kind"]) for m in mandates] == [
        (order.matter, cia.pk, "delegated")
    ]
    found = outsider.get("/api/decisions", {"status": "unreported"}).json()["items"]
    assert [(d["title"], d["decided_by_id"], d["mandate_id"]) for d in found] == [
        (made.title, cia.pk, order.pk)
    ]
    # A proposal is the team's working material: the team sees it, an outsider does not.
    assert [p["title"] for p in api_for(bo).get("/api/proposals").json()["items"]] == [open_one.title]
    assert outsider.get("/api/proposals").json()["items"] == []
    assert outsider.get(f"/api/proposals/{open_one.pk}").status_code == 403


def test_roles_and_meetings():
    team, (anna, bo, _cia) = team_with_members(3)
    role = teams.role_create(actor=anna, team=team, template="planning")
    meeting = teams.meeting_plan(actor=anna, team=team, starts_at=timezone.now(), facilitator=bo)
    teams.meeting_open(actor=bo, meeting=meeting)
    item = teams.agenda_item_add(actor=anna, meeting=meeting, title="Julschema", purpose="inform", minutes=5)
    teams.action_add(
        actor=bo,
        team=team,
        item=item,
        text="Skicka schemat",
        owner=anna,
        due_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    roles = api_for(PersonFactory()).get(f"/api/teams/{team.slug}/roles").json()
    assert [(r["name"], r["term_months"]) for r in roles] == [(role.name, 12)]
    assert api_for(PersonFactory()).get(f"/api/teams/{team.slug}/meetings").status_code == 403
    meetings = api_for(anna).get(f"/api/teams/{team.slug}/meetings").json()
    assert meetings[0]["facilitator_id"] == bo.pk
    assert meetings[0]["items"][0]["title"] == "Julschema"
    assert meetings[0]["items"][0]["actions"][0]["text"] == "Skicka schemat"
