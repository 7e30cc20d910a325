"""Logging in and out, a forgotten password and an invitation, as a person clicks through them."""

import re
from typing import Any

from django.core.mail import EmailMessage
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    ADMIN,
    ANNA,
    TEAM_NORR,
    click_through,
    login,
    login_link,
    logout,
    logout_button,
    path_of,
    submit_button,
    visit,
)


def link_in(mail: EmailMessage, path_prefix: str) -> str:
    found = re.search(rf"https?://\S+{re.escape(path_prefix)}\S+", str(mail.body))
    assert found, f"no link to {path_prefix} in the e-mail:\n{mail.body}"
    return found.group(0)


def test_log_in_and_out(page: Page, exempelstad: Any) -> None:
    visit(page, "/")
    expect(page.locator("#hero-title")).to_be_visible()
    click_through(page, login_link(page))
    assert path_of(page) == "/logga-in/"
    expect(page.locator("input[name=username]")).to_be_focused()

    page.locator("input[name=username]").fill(ANNA)
    page.locator("input[name=password]").fill("fel-losenord")
    click_through(page, submit_button(page))
    assert path_of(page) == "/logga-in/"
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("input[name=username]")).to_have_value(ANNA)
    expect(page.locator("input[name=password]")).to_have_value("")
    expect(logout_button(page)).to_have_count(0)

    page.locator("input[name=password]").fill("tillit-demo")
    click_through(page, submit_button(page))
    assert path_of(page) == "/"
    expect(page.locator("main h1")).to_contain_text("Anna")
    my_team = page.locator(f'main .grid a[href="{TEAM_NORR}"]')
    expect(my_team).to_have_text("Barn, unga, familj – team Norr")
    expect(page.locator('header a[href="/mitt-konto/"]')).to_have_text("Anna")

    logout(page)
    assert path_of(page) == "/"
    expect(page.locator("#hero-title")).to_be_visible()

    visit(page, "/mitt-konto/")
    assert path_of(page) == "/logga-in/?next=/mitt-konto/"
    page.locator("input[name=username]").fill(ANNA)
    page.locator("input[name=password]").fill("tillit-demo")
    click_through(page, submit_button(page))
    assert path_of(page) == "/mitt-konto/", "after logging in, the person is taken where they were going"
    expect(page.locator("main")).to_contain_text(ANNA)


def test_reset_a_forgotten_password(page: Page, exempelstad: Any, mailoutbox: list[EmailMessage]) -> None:
    visit(page, "/logga-in/")
    click_through(page, page.locator('main a[href="/losenord/glomt/"]'))
    click_through(page, submit_button(page))
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("input[name=email]")).to_have_attribute("aria-invalid", "true")

    page.locator("input[name=email]").fill(ANNA)
    click_through(page, submit_button(page))
    assert path_of(page) == "/losenord/skickat/"
    assert [mail.to for mail in mailoutbox] == [[ANNA]]
    link = link_in(mailoutbox[0], "/losenord/nytt/")

    visit(page, link)
    assert re.fullmatch(r"/losenord/nytt/[^/]+/set-password/", path_of(page)), page.url
    page.locator("input[name=new_password1]").fill("Vinterljus-over-Ekbacken-7")
    page.locator("input[name=new_password2]").fill("Vinterljus-over-Ekbacken-8")
    click_through(page, submit_button(page))
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("input[name=new_password2]")).to_have_attribute("aria-invalid", "true")

    page.locator("input[name=new_password1]").fill("Vinterljus-over-Ekbacken-7")
    page.locator("input[name=new_password2]").fill("Vinterljus-over-Ekbacken-7")
    click_through(page, submit_button(page))
    assert path_of(page) == "/losenord/klart/"

    click_through(page, page.locator('main a[href="/logga-in/"]'))
    page.locator("input[name=username]").fill(ANNA)
    page.locator("input[name=password]").fill("tillit-demo")
    click_through(page, submit_button(page))
    expect(page.locator(".error-summary")).to_be_visible()
    login(page, ANNA, "Vinterljus-over-Ekbacken-7")
    logout(page)

    visit(page, link)
    expect(page.locator("input[name=new_password1]")).to_have_count(0)
    expect(page.locator('main a[href="/losenord/glomt/"]')).to_be_visible()


def test_accept_an_invitation(page: Page, exempelstad: Any, mailoutbox: list[EmailMessage]) -> None:
    login(page, ADMIN)
    click_through(page, page.locator('header a[href="/administration/"]'))
    click_through(page, page.locator('main a[href="/administration/inbjudningar/"]'))
    invite = page.locator("section[aria-labelledby=invite-title]")
    click_through(page, invite.locator("button[type=submit]"))
    expect(page.locator(".error-summary")).to_be_focused()

    invite.locator("input[name=full_name]").fill("Nora Nyberg")
    invite.locator("input[name=email]").fill("nora.nyberg@exempelstad.se")
    invite.locator("select[name=team]").select_option(label="Barn, unga, familj – team Norr")
    invite.locator("select[name=team_role]").select_option("member")
    click_through(page, invite.locator("button[type=submit]"))
    assert path_of(page) == "/administration/inbjudningar/"
    expect(page.locator("main .messages")).to_contain_text("nora.nyberg@exempelstad.se")
    expect(page.locator("main table tbody tr", has_text="nora.nyberg@exempelstad.se")).to_contain_text(
        "Barn, unga, familj – team Norr"
    )
    assert [mail.to for mail in mailoutbox] == [["nora.nyberg@exempelstad.se"]]
    link = link_in(mailoutbox[0], "/inbjudan/")
    logout(page)

    visit(page, link)
    expect(page.locator("main")).to_contain_text("nora.nyberg@exempelstad.se")
    expect(page.locator("main")).to_contain_text("Barn, unga, familj – team Norr")
    expect(page.locator("input[name=full_name]")).to_have_value("Nora Nyberg")
    page.locator("input[name=password1]").fill("Sommarregn-pa-Ekbacken-9")
    page.locator("input[name=password2]").fill("Sommarregn-pa-Ekbacken-9")
    click_through(page, submit_button(page))
    assert path_of(page) == "/"
    expect(logout_button(page)).to_be_visible()
    expect(page.locator("main .messages")).to_be_visible()
    expect(page.locator("main h1")).to_contain_text("Nora")

    click_through(page, page.locator(f'main .grid a[href="{TEAM_NORR}"]'))
    members = page.locator("ul[aria-labelledby=members-title] > li")
    expect(members).to_have_count(7)
    expect(members.filter(has_text="Nora Nyberg")).to_have_count(1)
    logout(page)

    visit(page, link, status=410)
    expect(page.locator("input[name=password1]")).to_have_count(0)
    expect(page.locator('main a[href="/logga-in/"]')).to_be_visible()  # used: log in instead


def test_expired_and_unknown_invitation_links_do_not_work(page: Page, exempelstad: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from tillit.accounts.models import User
    from tillit.accounts.services import invitation_create

    invitation, token = invitation_create(
        actor=User.objects.get(email=ADMIN), email="sen@exempelstad.se", full_name="Sen Person", base_url="/"
    )
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save(update_fields=["expires_at"])

    for path in (f"/inbjudan/{token}/", "/inbjudan/fel-nyckel/"):
        visit(page, path, status=410)
        expect(page.locator("main h1")).to_be_visible()
        expect(page.locator("input[name=password1]")).to_have_count(0)
        expect(page.locator('main a[href="/logga-in/"]')).to_have_count(0)
