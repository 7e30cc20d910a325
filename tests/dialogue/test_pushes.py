"""What the phones in the hall are sent when the facilitator acts: a new step arrives with its HTML, once for
everyone or once per table, so that no phone has to ask for it; smaller changes arrive as data."""

import re
from typing import Any

import pytest
from django.test import Client

from tillit.dialogue import live, participant_view, services
from tillit.dialogue.models import Dialogue, Statement
from tillit.dialogue.selectors import PARTICIPANT_COOKIE

from .factories import facilitator, make_dialogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def pushes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, dict[str, Any]]]:
    sent: list[tuple[str, str, dict[str, Any]]] = []
    monkeypatch.setattr(
        live, "publish", lambda channel, event, data: sent.append((channel, event, data)) or 1
    )
    return sent


def two_tables(django_capture_on_commit_callbacks: Any) -> tuple[Any, Dialogue, list[Any]]:
    actor = facilitator()
    with django_capture_on_commit_callbacks(execute=True):
        dialogue = services.dialogue_open(
            actor=actor,
            dialogue=make_dialogue(actor, table_mode="named", table_names=["Eldkvarn", "Ektorp"]),
        )
        eldkvarn, ektorp = dialogue.tables.order_by("number")
        people = [
            services.participant_join(dialogue=dialogue, table=table)[0]
            for table in (eldkvarn, eldkvarn, ektorp)
        ]
    return actor, dialogue, people


def step_events(sent: list[tuple[str, str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    return {channel: data for channel, event, data in sent if event == "step" and "html" in data}


def test_the_reflection_step_is_sent_once_to_everyone(pushes, django_capture_on_commit_callbacks):
    actor, dialogue, _people = two_tables(django_capture_on_commit_callbacks)
    pushes.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dialogue_advance(actor=actor, dialogue=dialogue)
    events = step_events(pushes)
    assert list(events) == [live.dialogue_channel(dialogue.pk)]
    data = events[live.dialogue_channel(dialogue.pk)]
    assert data["lang"] == "sv" and data["status"] == "running" and data["per_table"] is False
    assert "Hur har vi det nu?" in data["html"] and "Lägg till anteckning" in data["html"]
    # Shared HTML carries no one's CSRF token; htmx sends the page's own in a header.
    assert "csrfmiddlewaretoken" not in data["html"]


def test_the_table_step_is_sent_per_table_with_only_that_tables_notes(
    pushes, django_capture_on_commit_callbacks
):
    actor, dialogue, (a, _b, c) = two_tables(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
        services.note_add(participant=a, text="Delaktighet")
        services.note_add(participant=c, text="Kommunikation")
    pushes.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dialogue_advance(actor=actor, dialogue=dialogue)
    events = step_events(pushes)
    eldkvarn, ektorp = (
        live.table_channel(dialogue.pk, table.pk) for table in dialogue.tables.order_by("number")
    )
    assert "Delaktighet" in events[eldkvarn]["html"] and "Kommunikation" not in events[eldkvarn]["html"]
    assert "Kommunikation" in events[ektorp]["html"] and "Delaktighet" not in events[ektorp]["html"]
    assert "selected>Ektorp</option>" in events[ektorp]["html"]
    # Everyone sits at a table, so the step to all carries no HTML of its own: each table's push follows.
    shared = [data for channel, event, data in pushes if channel == live.dialogue_channel(dialogue.pk)]
    assert [(data["per_table"], "html" in data) for data in shared] == [(True, False)]


def test_a_device_without_a_table_gets_the_step_for_everyone(pushes, django_capture_on_commit_callbacks):
    actor, dialogue, _people = two_tables(django_capture_on_commit_callbacks)
    services.participant_join(dialogue=dialogue)
    with django_capture_on_commit_callbacks(execute=True):
        dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
    pushes.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dialogue_advance(actor=actor, dialogue=dialogue)
    shared = step_events(pushes)[live.dialogue_channel(dialogue.pk)]
    assert shared["per_table"] is True
    assert "Välj ditt bord för att delta i samtalet vid bordet." in shared["html"]


def test_the_pushed_step_is_what_the_phone_would_fetch(pushes, django_capture_on_commit_callbacks):
    """Apart from the CSRF token, the phone's own request for its step gives the same page as the push."""
    actor, dialogue, _people = two_tables(django_capture_on_commit_callbacks)
    client = Client()
    _participant, token = services.participant_join(dialogue=dialogue, table=dialogue.tables.get(number=2))
    client.cookies[PARTICIPANT_COOKIE.format(dialogue.pk)] = token
    with django_capture_on_commit_callbacks(execute=True):
        services.dialogue_advance(actor=actor, dialogue=dialogue)
        services.dialogue_advance(actor=actor, dialogue=dialogue)
    pushed = step_events(pushes)[live.table_channel(dialogue.pk, dialogue.tables.get(number=2).pk)]["html"]
    fetched = client.get(f"/d/{dialogue.join_code}/delta/?part=step", headers={"HX-Request": "true"})
    assert fetched.status_code == 200

    def normalise(html: str) -> str:
        html = re.sub(r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>', "", html)
        return re.sub(r'data-remaining="\d+"', "", re.sub(r"\d+:\d\d", "", html)).strip()

    assert normalise(fetched.content.decode()) == normalise(pushed)


def test_pause_and_hide_travel_as_data_not_pages(pushes, django_capture_on_commit_callbacks):
    actor, dialogue, (a, _b, _c) = two_tables(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
        dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
        services.summary_save(participant=a, text="Tid\nUthållighet")
        dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
    pushes.clear()
    statement = Statement.objects.get(text="Tid")
    with django_capture_on_commit_callbacks(execute=True):
        services.dialogue_pause(actor=actor, dialogue=dialogue)
        services.statement_hide(actor=actor, statement=statement)
    channel = live.dialogue_channel(dialogue.pk)
    to_phones = [(event, data) for sent_to, event, data in pushes if sent_to == channel]
    assert to_phones[0][0] == "timer" and to_phones[0][1]["status"] == "paused"
    assert to_phones[0][1]["remaining"] > 0
    assert to_phones[1] == ("hide", {"statement": statement.pk})
    assert not step_events(pushes)


def test_a_large_hall_votes_on_a_different_selection_at_each_table(django_capture_on_commit_callbacks):
    actor = facilitator()
    dialogue = make_dialogue(actor, table_mode="named", table_names=[f"Bord {n}" for n in range(1, 6)])
    for order in range(45):
        Statement.objects.create(dialogue=dialogue, text=f"Påstående {order}", order=order)
    tables = list(dialogue.tables.order_by("number"))
    seen = [participant_view.statements_for(dialogue, table) for table in tables]
    assert all(total == 45 and len(shown) == participant_view.PLENARY_BATCH for shown, total in seen)
    assert seen[0][0][0].text == "Påstående 0" and seen[1][0][0].text == "Påstående 20"
    assert {s.text for shown, _total in seen for s in shown} == {f"Påstående {n}" for n in range(45)}
