"""Browsing the organisation, and the administrator building a part of it, as a person clicks through them."""

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    ADMIN,
    ANNA,
    TEAM_NORR,
    assert_accessible,
    click_through,
    login,
    path_of,
    submit_button,
)


def test_browse_from_the_organisation_to_a_team(page: Page, exempelstad: Any) -> None:
    login(page, ANNA)
    nav_link = page.locator('header nav a[href="/organisation/"]')
    click_through(page, nav_link)
    expect(nav_link).to_have_attribute("aria-current", "page")

    click_through(page, page.get_by_role("link", name="Socialförvaltningen", exact=True))
    assert path_of(page) == "/enheter/socialforvaltningen/"
    expect(page.locator("main h1")).to_have_text("Socialförvaltningen")
    expect(page.locator("nav.breadcrumbs a")).to_have_text(["Organisation", "Exempelstad kommun"])

    click_through(page, page.locator("main").get_by_role("link", name="Barn, unga och familj", exact=True))
    assert path_of(page) == "/enheter/barn-unga-och-familj/"
    expect(page.locator("main h1")).to_have_text("Barn, unga och familj")
    expect(page.locator("main .grid h3 a")).to_have_text(
        ["Barn, unga, familj – team Norr", "Barn, unga, familj – team Söder"]
    )

    click_through(page, page.locator("main").get_by_role("link", name="Barn, unga, familj – team Norr"))
    assert path_of(page) == TEAM_NORR
    expect(page.locator("main h1")).to_have_text("Barn, unga, familj – team Norr")
    expect(page.locator("nav.breadcrumbs a")).to_have_text(
        ["Organisation", "Exempelstad kommun", "Socialförvaltningen", "Barn, unga och familj"]
    )
    members = page.locator("ul[aria-labelledby=members-title] > li")
    coaches = page.locator("ul[aria-labelledby=coaches-title] > li")
    expect(members).to_have_count(6)
    expect(coaches).to_have_count(2)
    expect(page.locator("#members-title")).to_contain_text("(6)")
    expect(page.locator("#coaches-title")).to_contain_text("(2)")
    expect(coaches.filter(has_text="Karin Sundberg")).to_have_count(1)

    from tillit.accounts.models import User

    anna = User.objects.get(email=ANNA)
    click_through(page, members.locator(f'a[href="/personer/{anna.pk}/"]'))
    expect(page.locator("main h1")).to_have_text("Anna Lindqvist")
    expect(page.locator(f'main a[href="{TEAM_NORR}"]')).to_be_visible()


def test_administrator_creates_a_unit_a_team_and_adds_members(page: Page, exempelstad: Any) -> None:
    login(page, ADMIN)
    click_through(page, page.locator('header nav a[href="/organisation/"]'))
    click_through(page, page.get_by_role("link", name="Socialförvaltningen", exact=True))
    click_through(page, page.locator('main a[href="/administration/enheter/ny/?parent=socialforvaltningen"]'))
    expect(page.locator("select[name=parent] option:checked")).to_contain_text("Socialförvaltningen")

    click_through(page, submit_button(page))
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("input[name=name]")).to_have_attribute("aria-invalid", "true")

    page.locator("input[name=name]").fill("Stöd och behandling")
    page.locator("select[name=kind]").select_option("unit")
    page.locator("textarea[name=description]").fill("Öppenvård för barn och familjer.")
    click_through(page, submit_button(page))
    assert path_of(page) == "/enheter/stod-och-behandling/"
    expect(page.locator("main h1")).to_have_text("Stöd och behandling")
    expect(page.locator("main .messages")).to_contain_text("Stöd och behandling")
    expect(page.locator("nav.breadcrumbs a")).to_have_text(
        ["Organisation", "Exempelstad kommun", "Socialförvaltningen"]
    )

    click_through(page, page.locator('main a[href="/administration/team/nytt/?unit=stod-och-behandling"]'))
    expect(page.locator("select[name=unit] option:checked")).to_contain_text("Stöd och behandling")
    page.locator("input[name=name]").fill("Stöd – team Mitt")
    page.locator("textarea[name=purpose]").fill("Familjebehandling nära hemmet.")
    click_through(page, submit_button(page))
    assert path_of(page) == "/administration/team/stod-team-mitt/medlemmar/"
    expect(page.locator("main h1")).to_contain_text("Stöd – team Mitt")
    expect(page.locator("main table")).to_have_count(0)

    add = page.locator("section[aria-labelledby=add-title]")
    add.locator("input[name=person]").fill("ingen.alls@exempelstad.se")
    click_through(page, add.locator("button[type=submit]"))
    expect(page.locator(".error-summary")).to_contain_text("ingen.alls@exempelstad.se")
    expect(add.locator("input[name=person]")).to_have_value("ingen.alls@exempelstad.se")

    for email, role in ((ANNA, "member"), ("coach@exempelstad.se", "coach")):
        add.locator("input[name=person]").fill(email)
        add.locator("select[name=role]").select_option(role)
        click_through(page, add.locator("button[type=submit]"))
        expect(page.locator("main .messages")).to_be_visible()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Anna Lindqvist").locator("select")).to_have_value("member")
    expect(rows.filter(has_text="Karin Sundberg").locator("select")).to_have_value("coach")

    click_through(page, page.locator('main a[href="/team/stod-team-mitt/"]'))
    expect(page.locator("main h1")).to_have_text("Stöd – team Mitt")
    members = page.locator("ul[aria-labelledby=members-title] > li")
    coaches = page.locator("ul[aria-labelledby=coaches-title] > li")
    expect(members).to_have_count(1)
    expect(members).to_contain_text("Anna Lindqvist")
    expect(coaches).to_have_count(1)
    expect(coaches).to_contain_text("Karin Sundberg")
    expect(page.locator("nav.breadcrumbs a").last).to_have_text("Stöd och behandling")


def test_search_people_as_you_type(page: Page, exempelstad: Any) -> None:
    login(page, ANNA)
    click_through(page, page.locator('header nav a[href="/personer/"]'))
    page.evaluate("() => { window.stillTheSamePage = true; }")
    rows = page.locator("#people-results tbody tr")

    page.locator("#q").fill("Lindqvist")
    page.wait_for_url("/personer/?q=Lindqvist")
    expect(rows.filter(has_text="Anna Lindqvist")).to_have_count(1)
    expect(rows.filter(has_not_text="Lindqvist")).to_have_count(0)
    expect(page.locator("#people-count")).to_have_text(re.compile(rf"^{rows.count()} "))
    assert page.evaluate("() => window.stillTheSamePage"), "the results were updated without loading a page"
    assert_accessible(page)

    page.locator("#q").fill("Zzyzx")
    page.wait_for_url("/personer/?q=Zzyzx")
    expect(rows).to_have_count(0)
    expect(page.locator("#people-results .empty-state")).to_be_visible()
    assert_accessible(page)

    click_through(page, page.locator("main form[role=search] button[type=submit]"))
    assert path_of(page) == "/personer/?q=Zzyzx", "without the live update the form still searches"
    expect(page.locator("#q")).to_have_value("Zzyzx")
