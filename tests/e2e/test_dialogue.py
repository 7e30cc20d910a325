"""A dialogue as a facilitator and three participants on their own phones click through it: join by code at
two named tables, write notes alone, agree on a table summary, vote in the large group; axe on every page.

The test server here is the threaded WSGI live server, which cannot stream server-sent events, so the
participants reload where their phones would be pushed the change (the pushes are tested across two real
ASGI processes in tests/core/test_live.py)."""

from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    FACILITATOR,
    PHONE,
    assert_accessible,
    click_through,
    login,
    visit,
    watch_for_problems,
)
from tillit.dialogue.models import Dialogue, Note, Statement, Vote


def phone(browser: Browser, base_url: str) -> Page:
    context = browser.new_context(base_url=base_url, viewport=PHONE, locale="sv-SE")
    context.set_default_timeout(10_000)
    return watch_for_problems(context.new_page())


def console_action(page: Page, value: str) -> None:
    """The console's buttons post with htmx and redraw the console in place."""
    with page.expect_response(lambda response: "/styr/" in response.url):
        page.locator(f"#console button[name=action][value={value}]").first.click()
    page.wait_for_timeout(300)
    assert_accessible(page)


def test_a_dialogue_at_two_tables_through_all_three_steps(
    page: Page, browser: Browser, exempelstad: Any, live_server: Any
) -> None:
    login(page, FACILITATOR)
    visit(page, "/dialog/")
    click_through(page, page.locator('main a[href="/dialog/ny/"]'))
    page.locator("input[name=template][value=norrkoping]").check()
    page.locator("input[name=title]").fill("Chefsdagen")
    page.locator("input[name=table_mode][value=named]").check()
    page.locator("textarea[name=table_names]").fill("Eldkvarn\nEktorp")
    click_through(page, page.locator("main form button[type=submit]"))
    dialogue = Dialogue.objects.get(title="Chefsdagen")
    expect(page.locator("main h1")).to_have_text("Chefsdagen")
    console_action(page, "open")

    phones = [phone(browser, live_server.url) for _ in range(3)]
    for person, table in zip(phones, ["Eldkvarn", "Eldkvarn", "Ektorp"], strict=True):
        visit(person, "/d/")
        person.locator("input[name=code]").fill(dialogue.join_code.lower())
        click_through(person, person.locator("main form button[type=submit]"))
        person.locator("select[name=table]").select_option(label=table)
        click_through(person, person.locator("main form button[type=submit]"))
        expect(person.locator("main")).to_contain_text(table)

    console_action(page, "advance")
    for person, text in zip(phones, ["Delaktighet", "Mer delaktighet och tid", "Kommunikation"], strict=True):
        person.reload()
        expect(person.locator(".step-question")).to_have_text("Hur har vi det nu?")
        assert_accessible(person)
        person.locator("textarea[name=text]").fill(text)
        person.locator("main form button[type=submit]").first.click()
        expect(person.locator(".notes")).to_contain_text(text)
    expect(phones[0].locator("main")).not_to_contain_text("Mer delaktighet och tid")
    assert Note.objects.count() == 3
    visit(page, f"/dialog/{dialogue.pk}/anteckningar/")
    expect(page.locator("main .notes")).to_contain_text("Mer delaktighet och tid")
    # The facilitator hides the newest note and shows it again; axe checks the page with a hidden note.
    click_through(page, page.locator("main .notes button", has_text="Dölj").first)
    expect(page.locator("main .note.is-hidden")).to_contain_text("Kommunikation")
    click_through(page, page.locator("main .notes button", has_text="Visa igen"))
    expect(page.locator("main .note.is-hidden")).to_have_count(0)

    visit(page, f"/dialog/{dialogue.pk}/storbild/")
    expect(page.locator("main")).not_to_contain_text("delaktighet")
    visit(page, f"/dialog/{dialogue.pk}/")
    console_action(page, "advance")

    eldkvarn, other, ektorp = phones
    for person in phones:
        person.reload()
        assert_accessible(person)
    expect(eldkvarn.locator("main")).to_contain_text("Mer delaktighet och tid")
    expect(ektorp.locator("main")).not_to_contain_text("Mer delaktighet och tid")
    eldkvarn.locator("textarea[name=text]").fill("Tid\nFörberedelse och reflektion\nUthållighet")
    eldkvarn.locator("input[name=agreed]").check()
    eldkvarn.locator("main form button[type=submit]").first.click()
    expect(eldkvarn.locator(".notice--success")).to_be_visible()
    other.reload()
    expect(other.locator("textarea[name=text]")).to_have_value(
        "Tid\nFörberedelse och reflektion\nUthållighet"
    )
    ektorp.locator("textarea[name=text]").fill("Kommunikation\nTydlighet")
    ektorp.locator("main form button[type=submit]").first.click()
    expect(ektorp.locator("textarea[name=text]")).to_have_value("Kommunikation\nTydlighet")

    visit(page, f"/dialog/{dialogue.pk}/storbild/")
    expect(page.locator(".word-list")).to_contain_text("delaktighet (2)")
    visit(page, f"/dialog/{dialogue.pk}/")
    console_action(page, "advance")
    assert Statement.objects.filter(dialogue=dialogue).count() == 5

    for person in phones:
        person.reload()
        assert_accessible(person)
        first = person.locator(".statement").first
        first.locator("button[value='1']").click()
        expect(person.locator(".statement").first.locator("button[value='1']")).to_have_attribute(
            "aria-pressed", "true"
        )
    assert Vote.objects.filter(value=1).count() == 3

    visit(page, f"/dialog/{dialogue.pk}/storbild/")
    expect(page.locator("table.agreement")).to_contain_text("Tid")
    visit(page, f"/dialog/{dialogue.pk}/")
    console_action(page, "advance")
    visit(page, f"/dialog/{dialogue.pk}/resultat/")
    expect(page.locator("main")).to_contain_text("Förberedelse och reflektion")

    # The facilitator names the first theme in the hall's own words and carries a statement onward.
    first_theme = page.locator(".theme").first
    first_theme.locator("summary", has_text="Byt namn").click()
    assert_accessible(page)
    first_theme.get_by_label("Nytt namn").fill("Delaktighet i vardagen")
    click_through(page, first_theme.locator("button", has_text="Spara namnet"))
    expect(page.locator(".theme h3").first).to_have_text("Delaktighet i vardagen")
    row = page.locator("tr", has_text="Uthållighet")
    row.locator("summary").click()
    row.locator("textarea[name=onward]").fill("Tas upp på nästa APT")
    click_through(page, row.locator("button", has_text="Spara"))
    expect(page.locator("tr", has_text="Uthållighet")).to_contain_text("Tas upp på nästa APT")
    click_through(page, page.locator("main a", has_text="Rapport för utskrift"))
    expect(page.locator("main")).to_contain_text("Delaktighet i vardagen")
    expect(page.locator("main")).to_contain_text("Tas upp på nästa APT")
    phones[0].reload()
    expect(phones[0].locator("main h1")).to_contain_text("Tack")
    assert_accessible(phones[0])
