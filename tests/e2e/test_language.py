"""Swedish first, whatever the browser asks for; English one click away, remembered from page to page."""

from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ANNA, click_through, login, path_of, visit


def language_button(page: Page) -> Any:
    return page.locator("header form.language-switch button[name=language]")


def test_switch_language_and_back(page: Page, exempelstad: Any) -> None:
    html = page.locator("html")
    visit(page, "/tillganglighet/")
    expect(html).to_have_attribute("lang", "sv")  # although the browser asks for en-GB
    expect(language_button(page)).to_have_count(1)
    expect(language_button(page)).to_have_attribute("value", "en")
    expect(language_button(page)).to_have_attribute("lang", "en")
    expect(language_button(page)).to_have_text("English")

    click_through(page, language_button(page))
    assert path_of(page) == "/tillganglighet/", "the switch stays on the same page"
    expect(html).to_have_attribute("lang", "en")
    expect(language_button(page)).to_have_attribute("value", "sv")
    expect(language_button(page)).to_have_text("Svenska")

    click_through(page, page.locator('footer a[href="/api-dokumentation/"]'))
    expect(html).to_have_attribute("lang", "en")
    login(page, ANNA)
    expect(html).to_have_attribute("lang", "en")
    click_through(page, page.locator('header nav a[href="/organisation/"]'))
    expect(html).to_have_attribute("lang", "en")

    click_through(page, language_button(page))
    assert path_of(page) == "/organisation/"
    expect(html).to_have_attribute("lang", "sv")
    click_through(page, page.locator('header nav a[href="/personer/"]'))
    expect(html).to_have_attribute("lang", "sv")
