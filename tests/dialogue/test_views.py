import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags

from tests.organisation.factories import MembershipFactory, PersonFactory
from tillit.dialogue import services
from tillit.dialogue.models import Dialogue, Note
from tillit.dialogue.selectors import PARTICIPANT_COOKIE

from .factories import facilitator, make_dialogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def running():
    actor = facilitator()
    dialogue = make_dialogue(actor, table_mode="named", table_names=["Eldkvarn", "Ektorp"])
    services.dialogue_open(actor=actor, dialogue=dialogue)
    return actor, Dialogue.objects.get(pk=dialogue.pk)


def join(client, dialogue, table=None):
    data = {"table": table.pk} if table else {}
    response = client.post(reverse("dialogue:join_code", args=[dialogue.join_code]), data)
    assert response.status_code == 302, response.content.decode()[:500]
    assert PARTICIPANT_COOKIE.format(dialogue.pk) in response.cookies
    return response


def test_joining_by_code_needs_no_account(client, running):
    _actor, dialogue = running
    response = client.post(reverse("dialogue:join"), {"code": dialogue.join_code.lower()})
    assert response["Location"] == reverse("dialogue:join_code", args=[dialogue.join_code])
    page = client.get(response["Location"]).content.decode()
    assert "Eldkvarn" in page
    join(client, dialogue, dialogue.tables.get(name="Eldkvarn"))
    page = client.get(reverse("dialogue:participate", args=[dialogue.join_code])).content.decode()
    assert "Eldkvarn" in page
    # Coming back with the cookie keeps the place instead of joining again.
    client.get(reverse("dialogue:join_code", args=[dialogue.join_code]))
    assert dialogue.participants.count() == 1


def test_a_phone_in_two_dialogues_is_itself_in_each(client, running):
    actor, first = running
    second = make_dialogue(actor, table_mode="named", table_names=["Ekbacken"])
    services.dialogue_open(actor=actor, dialogue=second)
    join(client, first, first.tables.get(name="Eldkvarn"))
    join(client, second, second.tables.get())
    for dialogue, table in ((first, "Eldkvarn"), (second, "Ekbacken")):
        page = client.get(reverse("dialogue:participate", args=[dialogue.join_code])).content.decode()
        assert table in page
        assert dialogue.title in page
    assert first.participants.count() == second.participants.count() == 1
    # A cookie that is not this dialogue's does not let anyone in as someone else.
    token = client.cookies[PARTICIPANT_COOKIE.format(second.pk)].value
    client.cookies.clear()
    client.cookies[PARTICIPANT_COOKIE.format(first.pk + 1000)] = token
    response = client.get(reverse("dialogue:participate", args=[second.join_code]))
    assert response.status_code == 302


def test_a_wrong_code_is_explained(client):
    response = client.post(reverse("dialogue:join"), {"code": "ZZZZZZ"})
    assert response.status_code == 200
    assert "ZZZZZZ" in response.context["form"].errors["code"][0]


def test_a_table_qr_code_preselects_the_table(client, running):
    _actor, dialogue = running
    response = client.get(reverse("dialogue:join_code", args=[dialogue.join_code]), {"bord": 2})
    assert response.context["form"].initial["table"].name == "Ektorp"


def test_a_note_with_an_identity_number_is_refused_and_kept(client, running):
    actor, dialogue = running
    services.dialogue_advance(actor=actor, dialogue=dialogue)
    join(client, dialogue, dialogue.tables.first())
    url = reverse("dialogue:participate", args=[dialogue.join_code])
    text = "Min klient 811218-9876 behöver mer tid"
    response = client.post(url, {"action": "note", "text": text})
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not Note.objects.exists()
    response = client.post(url, {"action": "note", "text": "Mer tid för reflektion"})
    assert response.status_code == 302
    assert "Mer tid för reflektion" in client.get(url).content.decode()


def test_notes_stay_private_until_the_reflection_step_ends(client, running):
    actor, dialogue = running
    services.dialogue_advance(actor=actor, dialogue=dialogue)
    table = dialogue.tables.first()
    other = services.participant_join(dialogue=dialogue, table=table)[0]
    services.note_add(participant=other, text="Hemlig tanke")
    join(client, dialogue, table)
    url = reverse("dialogue:participate", args=[dialogue.join_code])
    assert "Hemlig tanke" not in client.get(url).content.decode()
    big = reverse("dialogue:big_screen", args=[dialogue.pk])
    client.force_login(actor)
    assert "Hemlig tanke" not in client.get(big).content.decode()
    services.dialogue_advance(actor=actor, dialogue=Dialogue.objects.get(pk=dialogue.pk))
    assert "Hemlig tanke" in client.get(url).content.decode()
    assert "hemlig" in client.get(big).content.decode()


def test_the_console_is_for_the_facilitator(client, running):
    _actor, dialogue = running
    url = reverse("dialogue:console", args=[dialogue.pk])
    client.force_login(PersonFactory())
    assert client.get(url).status_code == 403
    client.force_login(dialogue.created_by)
    page = client.get(url).content.decode()
    assert dialogue.join_code in page


def test_console_controls_move_the_dialogue(client, running):
    actor, dialogue = running
    client.force_login(actor)
    action = reverse("dialogue:console_action", args=[dialogue.pk])
    client.post(action, {"action": "advance"})
    assert Dialogue.objects.get(pk=dialogue.pk).current_step.kind == "reflection"
    client.post(action, {"action": "pause"})
    assert Dialogue.objects.get(pk=dialogue.pk).status == "paused"
    response = client.post(action, {"action": "advance"}, headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode()
    assert Dialogue.objects.get(pk=dialogue.pk).current_step.kind == "table"


def test_creating_a_dialogue_from_a_template(client):
    actor = facilitator()
    client.force_login(actor)
    response = client.post(
        reverse("dialogue:create"),
        {
            "template": "1-2-4-all",
            "title": "APT i december",
            "audience": "anyone",
            "anonymous": "on",
            "table_mode": "automatic",
            "table_size": "4",
            "table_names": "",
        },
    )
    dialogue = Dialogue.objects.get(title="APT i december")
    assert response["Location"] == dialogue.get_absolute_url()
    assert dialogue.steps.count() == 4


def test_only_runners_may_create(client):
    client.force_login(PersonFactory())
    assert client.get(reverse("dialogue:create")).status_code == 403
    coach = MembershipFactory(role="coach").person
    client.force_login(coach)
    assert client.get(reverse("dialogue:create")).status_code == 200


def test_team_dialogues_are_for_the_team(client):
    membership = MembershipFactory()
    actor = facilitator()
    dialogue = make_dialogue(actor, audience="team", team=membership.team)
    services.dialogue_open(actor=actor, dialogue=dialogue)
    url = reverse("dialogue:join_code", args=[dialogue.join_code])
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    client.force_login(PersonFactory())
    assert client.get(url).status_code == 403
    client.force_login(membership.person)
    assert client.get(url).status_code == 200


def test_results_and_exports(client, running):
    actor, dialogue = running
    table = dialogue.tables.first()
    people = [services.participant_join(dialogue=dialogue, table=table)[0] for _ in range(3)]
    dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
    for person, text in zip(people, ["Delaktighet", "delaktigheten!", "=SUMMA(A1)"], strict=True):
        services.note_add(participant=person, text=text)
    dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
    services.summary_save(participant=people[0], text="Delaktighet\nTid", agreed=True)
    dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
    services.vote_cast(participant=people[1], statement=dialogue.statements.first(), value=1)
    client.force_login(actor)
    page = client.get(reverse("dialogue:results", args=[dialogue.pk])).content.decode()
    assert "delaktighet" in page and "Tid" in page
    csv_text = client.get(reverse("dialogue:export", args=[dialogue.pk, "csv"])).content.decode("utf-8-sig")
    assert "Delaktighet" in csv_text and "'=SUMMA(A1)" in csv_text
    xlsx = client.get(reverse("dialogue:export", args=[dialogue.pk, "xlsx"]))
    assert xlsx.content[:2] == b"PK"


def test_a_vote_redraws_only_its_card_and_a_late_vote_is_explained(client, running):
    actor, dialogue = running
    join(client, dialogue, dialogue.tables.first())
    me = dialogue.participants.get()
    for _ in range(2):
        dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
    services.summary_save(participant=me, text="Tid\nUthållighet")
    dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
    statement = dialogue.statements.get(text="Tid")
    url = reverse("dialogue:participate", args=[dialogue.join_code]) + "?part=statement"
    data = {"action": "vote", "statement": statement.pk, "value": -1}
    response = client.post(url, data, headers={"HX-Request": "true"})
    card = response.content.decode()
    assert response.status_code == 200
    assert card.startswith('<li class="statement card"') and "Uthållighet" not in card
    assert f'id="vote-{statement.pk}-disagree" class="button button--vote is-chosen"' in card
    services.dialogue_advance(actor=actor, dialogue=dialogue)
    response = client.post(url, {**data, "value": 1}, headers={"HX-Request": "true"})
    card = response.content.decode()
    assert response.status_code == 400 and "steget är slut" in card
    # The card still shows the vote that counts.
    assert f'id="vote-{statement.pk}-disagree" class="button button--vote is-chosen"' in card
    assert statement.votes.get().value == -1


def test_the_big_screen_tells_the_hall_where_to_go_and_leaves_out_the_menus(client, running):
    actor, dialogue = running
    client.force_login(actor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("dialogue:big_screen", args=[dialogue.pk])).content.decode()
    text = " ".join(strip_tags(page).split())
    assert f"Go to testserver/d and enter the code {dialogue.join_code}" in text
    # The projector's page hides the menus and the account links with its body class.
    assert '<body class="projector"' in page
    console = client.get(reverse("dialogue:console", args=[dialogue.pk])).content.decode()
    assert "<body hx-headers" in console


def test_in_a_large_hall_the_console_shows_the_newest_notes_and_the_notes_page_has_them_all(client, running):
    actor, dialogue = running
    dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
    people = [
        services.participant_join(dialogue=dialogue, table=dialogue.tables.first())[0] for _ in range(3)
    ]
    for number in range(1, 131):
        services.note_add(participant=people[number % 3], text=f"Lapp {number:03d}")
    client.force_login(actor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    console = strip_tags(client.get(reverse("dialogue:console", args=[dialogue.pk])).content.decode())
    assert "Notes (130)" in " ".join(console.split())
    assert "Showing the newest 50." in console and "Search and hide among all notes" in console
    assert "Lapp 130" in console and "Lapp 081" in console and "Lapp 080" not in console

    notes_url = reverse("dialogue:notes", args=[dialogue.pk])
    first = client.get(notes_url).content.decode()
    assert "130 notes" in first and "Page 1 of 2" in first
    assert first.index("Lapp 130") < first.index("Lapp 031") and "Lapp 030" not in first
    assert "Lapp 001" in client.get(notes_url, {"page": 2}).content.decode()
    found = client.get(notes_url, {"q": "lapp 12"}).content.decode()
    assert "10 notes" in found and "Lapp 120" in found and "Lapp 012" not in found
    services.note_add(participant=people[0], text="Ökad tillit i ÅRETS arbete")
    assert "Ökad tillit" in client.get(notes_url, {"q": "ökad tillit i årets"}).content.decode()

    note = Note.objects.get(text="Lapp 007")
    response = client.post(f"{notes_url}?page=2", {"note": note.pk, "action": "hide_note"})
    assert response.status_code == 302 and response["Location"] == f"{notes_url}?page=2"
    assert Note.objects.get(pk=note.pk).hidden
    shown = " ".join(strip_tags(client.get(notes_url, {"q": "007"}).content.decode()).split())
    assert "1 note Lapp 007 – Participant 2, Eldkvarn · hidden Show again: Lapp 007" in shown
    client.post(notes_url, {"note": note.pk, "action": "show_note"})
    assert not Note.objects.get(pk=note.pk).hidden


def test_the_notes_page_is_for_the_facilitator(client, running):
    _actor, dialogue = running
    client.force_login(PersonFactory())
    assert client.get(reverse("dialogue:notes", args=[dialogue.pk])).status_code == 403
