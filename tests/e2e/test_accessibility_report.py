"""Reporting an accessibility problem, logged out: identity numbers are refused, nothing typed is lost."""

from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import click_through, path_of, submit_button, visit

WITH_IDENTITY_NUMBER = "Jag heter 19811218-9876 och kommer inte åt knappen Skicka med tangentbordet."
CLEAN = "Jag kommer inte åt knappen Skicka med tangentbordet."


def test_report_an_accessibility_problem(page: Page, exempelstad: Any) -> None:
    from tillit.core.models import AccessibilityReport

    visit(page, "/")
    click_through(page, page.locator('footer a[href="/tillganglighet/"]'))
    assert path_of(page) == "/tillganglighet/"

    page.locator("input[name=page]").fill("Startsidan")
    page.locator("textarea[name=description]").fill(WITH_IDENTITY_NUMBER)
    click_through(page, submit_button(page))
    assert path_of(page) == "/tillganglighet/"
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator('a[href="#id_description"]')).to_contain_text("19811218-9876")
    description = page.locator("textarea[name=description]")
    expect(description).to_have_value(WITH_IDENTITY_NUMBER)
    expect(description).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_description_error")).to_contain_text("19811218-9876")
    expect(page.locator("input[name=page]")).to_have_value("Startsidan")
    assert not AccessibilityReport.objects.exists()

    description.fill(CLEAN)
    click_through(page, submit_button(page))
    assert path_of(page) == "/tillganglighet/"
    expect(page.locator("main .messages .notice--success")).to_be_visible()
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(page.locator("textarea[name=description]")).to_have_value("")
    report = AccessibilityReport.objects.get()
    assert (report.page, report.description, report.reported_by) == ("Startsidan", CLEAN, None)
