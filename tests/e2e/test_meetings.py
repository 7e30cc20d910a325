"""A team meeting as the facilitator runs it: previous minutes, items added on the spot, minutes, a decision
that enters the register, an action on the team home; and a role's holder chosen by consent."""

from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ANNA, TEAM_NORR, click_through, login, path_of, visit


def test_the_facilitator_runs_a_meeting_from_the_team_home(page: Page, exempelstad: Any) -> None:
    from tillit.decisions.models import Decision
    from tillit.teams.models import Meeting

    login(page, ANNA)  # Anna is team Norr's meeting facilitator in the demo
    visit(page, TEAM_NORR)
    meeting = Meeting.objects.get(status=Meeting.Status.PLANNED)
    click_through(page, page.locator(f'main a[href="{meeting.get_absolute_url()}"]'))
    click_through(page, page.get_by_role("button", name="Öppna mötet"))
    click_through(page, page.get_by_role("button", name="Godkänn föregående protokoll"))
    expect(page.locator("#previous-title + p")).to_contain_text("Godkänt.")

    add = page.locator("section[aria-labelledby=add-item-title] form")
    add.locator("[name=title]").fill("Julfika för familjerna")
    add.locator("[name=purpose][value=decide]").check()
    add.locator("[name=minutes]").fill("5")
    click_through(page, add.locator("button[type=submit]"))
    item = page.locator(".agenda__item").filter(has_text="Julfika för familjerna")
    item.locator("textarea[name$=notes]").fill("Alla är för, om det blir på en fredag.")
    click_through(page, item.get_by_role("button", name="Spara protokollet"))
    item = page.locator(".agenda__item").filter(has_text="Julfika för familjerna")
    item.locator("summary").filter(has_text="teamets beslut").click()
    item.locator("textarea[name$=outcome]").fill("Vi bjuder familjerna på julfika fredag den 18 december.")
    click_through(page, item.get_by_role("button", name="Fatta beslutet"))
    decision = Decision.objects.get(proposal__title="Julfika för familjerna")
    expect(page.locator(".agenda__item").filter(has_text="Julfika")).to_contain_text(decision.reference)
    item = page.locator(".agenda__item").filter(has_text="Julfika för familjerna")
    item.locator("summary").filter(has_text="åtgärd").click()
    item.locator("input[name$=text]").fill("Köp lussekatter")
    item.locator("select[name$=owner]").select_option(label="Anna Lindqvist")
    item.locator("input[name$=due_on]").fill(timezone.localdate().isoformat())
    click_through(page, item.get_by_role("button", name="Lägg till åtgärden"))
    click_through(page, page.get_by_role("button", name="Avsluta mötet"))
    expect(page.locator("main .tag").first).to_have_text("Avslutat")

    visit(page, TEAM_NORR)
    expect(page.locator("main")).to_contain_text("Köp lussekatter")
    visit(page, "/beslut/")
    expect(page.locator("main table")).to_contain_text("Julfika för familjerna")
    assert path_of(page) == "/beslut/"
