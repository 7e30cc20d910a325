"""The results after a dialogue: themes the facilitator renames, merges and splits, statements carried onward,
the exports and the printable report."""

import csv
import io

import pytest
from django.urls import reverse

from tests.organisation.factories import MembershipFactory, PersonFactory
from tillit.dialogue import services
from tillit.dialogue.models import Dialogue, ThemeEdit

from .factories import facilitator, make_dialogue

pytestmark = pytest.mark.django_db

NOTES = [
    "Tydliga mål för teamet",
    "Tydliga mål och uppföljning",
    "Tydligare mål i vardagen",
    "Mer tid för reflektion",
    "Tid att prata med kollegor",
    "Tid för varandra",
    "Delaktighet i besluten",
    "Delaktiga medarbetare i beslut",
]


@pytest.fixture
def finished():
    """A finished dialogue at two tables with notes about goals, time and participation."""
    membership = MembershipFactory()
    actor = facilitator()
    dialogue = make_dialogue(
        actor, table_mode="named", table_names=["Eldkvarn", "Ektorp"], audience="team", team=membership.team
    )
    dialogue = services.dialogue_open(actor=actor, dialogue=dialogue)
    tables = list(dialogue.tables.order_by("number"))
    people = [services.participant_join(dialogue=dialogue, table=tables[i % 2])[0] for i in range(len(NOTES))]
    services.dialogue_advance(actor=actor, dialogue=dialogue)
    for person, text in zip(people, NOTES, strict=True):
        services.note_add(participant=person, text=text)
    services.dialogue_advance(actor=actor, dialogue=dialogue)
    services.summary_save(participant=people[0], text="Tydliga mål\nTid för varandra", agreed=True)
    services.dialogue_advance(actor=actor, dialogue=dialogue)
    dialogue = Dialogue.objects.get(pk=dialogue.pk)
    for person in people[:3]:
        services.vote_cast(participant=person, statement=dialogue.statements.first(), value=1)
    services.dialogue_advance(actor=actor, dialogue=dialogue)
    return actor, Dialogue.objects.get(pk=dialogue.pk), membership.person


def themes_on_page(client, dialogue):
    response = client.get(reverse("dialogue:results", args=[dialogue.pk]))
    assert response.status_code == 200
    return response.context["themes"].themes, response.content.decode()


def named(themes, word):
    return next(theme for theme in themes if word in theme.name.casefold())


def edit(client, dialogue, **data):
    return client.post(reverse("dialogue:themes_edit", args=[dialogue.pk]), data)


def test_the_results_page_shows_themes_with_their_evidence(client, finished):
    actor, dialogue, _member = finished
    client.force_login(actor)
    themes, page = themes_on_page(client, dialogue)
    goals = named(themes, "mål")
    assert goals.notes == 3 and goals.tables == 2
    assert '<h2 id="themes-heading">Teman</h2>' in page
    assert "3 anteckningar" in page and "från 2 bord" in page
    assert "Tydliga mål och uppföljning" in page


def test_the_facilitator_renames_merges_and_splits_themes_and_can_undo(client, finished):
    actor, dialogue, _member = finished
    client.force_login(actor)
    themes, _page = themes_on_page(client, dialogue)
    goals, time = named(themes, "mål"), named(themes, "tid")

    response = edit(client, dialogue, action="rename", theme=goals.key, name="  Tydliga  mål ")
    assert response.status_code == 302 and response["Location"].endswith("#themes")
    themes, page = themes_on_page(client, dialogue)
    assert named(themes, "mål").name == "Tydliga mål"
    assert "Föreslaget namn: " + goals.suggested_name in page

    response = edit(client, dialogue, action="merge", themes=[goals.key, time.key], name="Mål och tid")
    assert response.status_code == 302
    themes, _page = themes_on_page(client, dialogue)
    merged = named(themes, "mål och tid")
    assert merged.notes == 6 and merged.key == goals.key

    moved = [c.id for c in merged.contributions if "Tid" in c.text]
    response = edit(client, dialogue, action="split", theme=merged.key, notes=moved, name="Tid")
    assert response.status_code == 302
    themes, _page = themes_on_page(client, dialogue)
    split_off = next(t for t in themes if t.name == "Tid")
    assert sorted(c.id for c in split_off.contributions) == sorted(moved)
    assert named(themes, "mål och tid").notes == 6 - len(moved)
    assert ThemeEdit.objects.filter(dialogue=dialogue).count() == 3

    edit(client, dialogue, action="undo")
    themes, _page = themes_on_page(client, dialogue)
    assert named(themes, "mål och tid").notes == 6
    edit(client, dialogue, action="reset")
    themes, _page = themes_on_page(client, dialogue)
    assert [t.name for t in themes] == [t.name for t in results_without_edits(dialogue)]
    assert not ThemeEdit.objects.exists()


def results_without_edits(dialogue):
    from tillit.dialogue.results import themes_for

    return themes_for(dialogue).themes


def test_a_refused_theme_change_says_why_and_keeps_what_was_chosen(client, finished):
    actor, dialogue, _member = finished
    client.force_login(actor)
    themes, _page = themes_on_page(client, dialogue)
    goals = named(themes, "mål")

    response = edit(client, dialogue, action="merge", themes=[goals.key], name="Ett namn jag skrev")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Välj minst två teman att slå ihop." in page
    assert 'value="Ett namn jag skrev"' in page
    assert f'value="{goals.key}" form="merge-themes" checked' in page

    everything = [c.id for c in goals.contributions]
    response = edit(client, dialogue, action="split", theme=goals.key, notes=everything)
    assert response.status_code == 400
    assert "Lämna minst en anteckning i temat." in response.content.decode()

    response = edit(client, dialogue, action="rename", theme=goals.key, name="Min kollega 811218-9876")
    assert response.status_code == 400
    assert "personnummer" in response.content.decode()
    assert not ThemeEdit.objects.exists()


def test_a_team_member_sees_the_themes_but_cannot_change_them(client, finished):
    _actor, dialogue, member = finished
    client.force_login(member)
    themes, page = themes_on_page(client, dialogue)
    assert themes and "Välj för sammanslagning" not in page and "Byt namn" not in page
    response = edit(client, dialogue, action="rename", theme=themes[0].key, name="Mitt namn")
    assert response.status_code == 403
    client.force_login(PersonFactory())
    assert client.get(reverse("dialogue:results", args=[dialogue.pk])).status_code == 403


def test_a_statement_is_carried_onward_and_shown_in_the_exports(client, finished):
    actor, dialogue, _member = finished
    client.force_login(actor)
    statement = dialogue.statements.get(text="Tydliga mål")
    url = reverse("dialogue:statement_onward", args=[dialogue.pk, statement.pk])
    response = client.post(url, {"onward": "Teamet tar fram ett förslag till APT den 3 december"})
    assert response.status_code == 302
    page = client.get(reverse("dialogue:results", args=[dialogue.pk])).content.decode()
    assert "Teamet tar fram ett förslag till APT den 3 december" in page and "Fia Facilitator" in page

    response = client.post(url, {"onward": "x" * 1001})
    assert response.status_code == 400 and "x" * 1001 in response.content.decode()
    statement.refresh_from_db()
    assert statement.onward.startswith("Teamet")

    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("dialogue:export", args=[dialogue.pk, "csv"])).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    header = rows[0]
    assert header[:6] == ["Typ", "Steg", "Bord", "Deltagare", "Text", "Tema"]
    by_text = {row[header.index("Text")]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_text["Tydliga mål"]["Vad händer sedan"].startswith("Teamet tar fram")
    assert (
        by_text["Tydliga mål och uppföljning"]["Tema"] == named(results_without_edits(dialogue), "mål").name
    )
    theme_rows = [row for row in rows if row[0] == "Tema"]
    assert sum(int(row[header.index("Antal")]) for row in theme_rows) == len(NOTES)

    client.post(url, {"onward": ""})
    statement.refresh_from_db()
    assert statement.onward == "" and statement.onward_by is None


def test_the_printable_report_has_everything_and_no_buttons(client, finished):
    _actor, dialogue, member = finished
    client.force_login(member)
    response = client.get(reverse("dialogue:report", args=[dialogue.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Rapport från en dialog" in page and "Hur har vi det nu?" in page
    for text in NOTES:
        assert text in page
    assert "Tydliga mål" in page and "Skriv ut eller spara som PDF" in page
    assert "<form" not in page.split("<main", 1)[1].split("</main>")[0]
