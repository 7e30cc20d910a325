"""Everything works with a keyboard: the skip link, and logging in without a mouse."""

from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ANNA, assert_accessible, path_of, visit


def test_skip_link_and_logging_in_with_the_keyboard_only(page: Page, exempelstad: Any) -> None:
    visit(page, "/tillganglighet/")
    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    visit(page, "/logga-in/")
    expect(page.locator("input[name=username]")).to_be_focused()
    page.keyboard.type(ANNA)
    page.keyboard.press("Tab")
    expect(page.locator("input[name=password]")).to_be_focused()
    page.keyboard.type("tillit-demo")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/"
    assert_accessible(page)
    expect(page.locator('header form[action="/logga-ut/"] button')).to_be_visible()
