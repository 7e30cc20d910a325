"""Residents as expert users, on a phone: a resident joins the citizen panel, a team invites the panel to a
dialogue, the resident gives feedback on a service that the team turns into a proposal and decides, follows it
to the decision, downloads what Tillit keeps about them and leaves, after which nothing that reaches them is
left in the database. Every citizens page on the way, the residents' and the staff's, is checked with axe."""

import datetime
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone, translation
from playwright.sync_api import Browser, Page, expect

from tests.citizens.factories import where_stored
from tests.e2e.conftest import (
    ADMIN,
    ANNA,
    PHONE,
    TIMEOUT_MS,
    click_through,
    login,
    logout,
    path_of,
    visit,
    watch_for_problems,
)

NAME = "Zelda från Norr"
EMAIL = "zelda.norrby@example.org"
MOBILE = "070-765 43 21"
FEEDBACK = "Det tar för lång tid att få svar när man ringer familjebehandlingen. Kan ni ha en telefontid?"
INVITATION = "Dialog om hur familjer vill nå oss"
OUTCOME = "Vi inför en telefontid varje vardag klockan 8–9."


@pytest.fixture
def citizens_demo(exempelstad: Any) -> Any:
    """Exempelstad with its demo citizen panel (the consent text, residents, feedback at each step) and its demo
    dialogue, each loaded here unless the shared fixture already did."""
    from tillit.accounts.models import User
    from tillit.citizens.demo import load_demo_citizens
    from tillit.citizens.models import ConsentText
    from tillit.dialogue.demo import load_demo_dialogue
    from tillit.dialogue.models import Dialogue

    if not Dialogue.objects.filter(title="Chefsdagen 2026").exists():
        load_demo_dialogue(User.objects.get(email="facilitator@exempelstad.se"))
    if not ConsentText.objects.exists():
        load_demo_citizens()
    return exempelstad


@pytest.fixture
def resident(browser: Browser, base_url: str) -> Iterator[Page]:
    """A resident's phone, in a browser of its own, without an account."""
    context = browser.new_context(base_url=base_url, viewport=PHONE, locale="sv-SE", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield watch_for_problems(context.new_page())
    context.close()


def test_a_resident_posts_the_forms_on_their_private_pages(resident: Page, citizens_demo: Any) -> None:
    from tillit.citizens.models import Feedback, PanelMember

    member = PanelMember.objects.get(name="Samira")
    visit(resident, "/medverka/synpunkt/")
    give = resident.locator("main form")
    give.locator("[name=team]").select_option(index=1)
    give.locator("[name=text]").fill("Bra bemötande i receptionen.")
    click_through(resident, give.locator("button[type=submit]"))
    assert Feedback.objects.filter(text="Bra bemötande i receptionen.").exists()
    visit(resident, f"/medverka/panelen/{member.token}/andra/")
    resident.locator("main form [name=area]").fill("Söder")
    click_through(resident, resident.locator("main form button[type=submit]"))
    visit(resident, f"/medverka/panelen/{member.token}/lamna/")
    click_through(resident, resident.locator("main form button[type=submit]"))
    assert not PanelMember.objects.filter(pk=member.pk).exists()


def test_a_resident_joins_is_invited_gives_feedback_follows_it_to_a_decision_and_leaves(
    page: Page, resident: Page, citizens_demo: Any
) -> None:
    from tillit.citizens.models import ConsentText, Feedback, Invitation, PanelMember
    from tillit.decisions.models import Decision, Proposal
    from tillit.dialogue.models import Dialogue
    from tillit.organisation.models import Team

    norr = Team.objects.get(name="Barn, unga, familj – team Norr")
    dialogue = Dialogue.objects.get(title="Chefsdagen 2026")

    # The resident finds "Take part" and joins the panel with the consent text shown.
    visit(resident, "/medverka/")
    click_through(resident, resident.locator('main a[href="/medverka/panelen/ga-med/"]').first)
    assert path_of(resident) == "/medverka/panelen/ga-med/"
    join = resident.locator("main form")
    consent = ConsentText.objects.get()
    expect(join.locator("[name=consent_version]")).to_have_value(str(consent.version))
    join.locator("[name=name]").fill(NAME)
    join.locator("[name=email]").fill(EMAIL)
    join.locator("[name=phone]").fill(MOBILE)
    join.locator("[name=area]").fill("Norr")
    join.locator(f"[name=services][value='{norr.pk}']").check()
    # Without agreeing, nothing is saved and what they wrote is still there.
    click_through(resident, join.locator("button[type=submit]"), status=400)
    assert not PanelMember.objects.filter(email=EMAIL).exists()
    expect(join.locator("[name=name]")).to_have_value(NAME)
    expect(join.locator(f"[name=services][value='{norr.pk}']")).to_be_checked()
    join.locator("[name=consented]").check()
    click_through(resident, join.locator("button[type=submit]"))
    member = PanelMember.objects.get(email=EMAIL)
    member_url = f"/medverka/panelen/{member.token}/"
    assert path_of(resident) == member_url
    assert (member.name, member.phone, member.consent) == (NAME, MOBILE, consent)
    mine = resident.locator("main")
    expect(mine).to_contain_text(EMAIL)
    expect(mine).to_contain_text(MOBILE)

    # A member of team Norr invites those who care about the team's services to the demo dialogue.
    login(page, ANNA)
    visit(page, "/synpunkter/")
    click_through(page, page.locator('main a[href="/synpunkter/inbjudan/"]'))
    invite = page.locator("main form")
    invite.locator("[name=team]").select_option(str(norr.pk))
    invite.locator("[name=kind][value=dialogue]").check()
    invite.locator("[name=title]").fill(INVITATION)
    invite.locator("[name=description]").fill("Vi vill höra hur ni vill nå familjebehandlingen.")
    when = timezone.localtime() + datetime.timedelta(days=10)
    invite.locator("[name=starts_at]").fill(when.strftime("%Y-%m-%dT%H:%M"))
    invite.locator("[name=place]").fill("Stadshuset, sal B")
    invite.locator("[name=dialogue]").select_option(str(dialogue.pk))
    invite.locator(f"[name=services][value='{norr.pk}']").check()
    click_through(page, invite.locator("button[type=submit]"))
    assert path_of(page) == "/synpunkter/"
    sent = Invitation.objects.get(title=INVITATION)
    assert sent.dialogue == dialogue and member in sent.members.all()
    expect(page.locator("main")).not_to_contain_text(EMAIL)
    expect(page.locator("main")).not_to_contain_text(NAME)

    # The resident sees the invitation, with the way into the dialogue.
    visit(resident, member_url)
    expect(mine).to_contain_text(INVITATION)
    expect(mine.locator(f'a[href="/d/{dialogue.join_code}/"]')).to_have_count(1)

    # They give feedback on the team's service from their page, and land on its status page.
    click_through(resident, mine.locator(f'a[href="/medverka/synpunkt/?panel={member.token}"]').first)
    give = resident.locator("main form")
    give.locator("[name=team]").select_option(str(norr.pk))
    give.locator("[name=text]").fill(FEEDBACK)
    expect(give.locator("[name=email]")).to_have_value(EMAIL)
    give.locator("[name=public]").check()
    click_through(resident, give.locator("button[type=submit]"))
    given = Feedback.objects.get(text=FEEDBACK)
    assert given.member == member and given.status == Feedback.Status.RECEIVED
    status_url = f"/medverka/synpunkt/{given.token}/"
    assert path_of(resident) == status_url

    # The team member finds it in the inbox and makes it a proposal in the team, and decides it.
    visit(page, "/synpunkter/")
    click_through(page, page.locator(f'main a[href="/synpunkter/{given.pk}/"]'))
    expect(page.locator("main")).to_contain_text(FEEDBACK)
    expect(page.locator("main")).not_to_contain_text(EMAIL)
    click_through(page, page.locator(f'main a[href="/synpunkter/{given.pk}/forslag/"]'))
    propose = page.locator("main form")
    propose.locator("[name=title]").fill("Telefontid för familjebehandlingen")
    propose.locator("[name=process][value=advice]").check()
    click_through(page, propose.locator("button[type=submit]"))
    proposal = Proposal.objects.get(title="Telefontid för familjebehandlingen")
    assert path_of(page) == proposal.get_absolute_url() and proposal.team == norr
    given.refresh_from_db()
    assert given.proposal == proposal and given.status == Feedback.Status.CONSIDERING
    decide = page.locator("section[aria-labelledby=decide-title] form")
    decide.locator("[name=outcome]").fill(OUTCOME)
    click_through(page, decide.locator("button[type=submit]"))
    decision = Decision.objects.get(proposal=proposal)
    given.refresh_from_db()
    assert given.status == Feedback.Status.DECISION

    # The resident follows it on the status page to the decision.
    visit(resident, status_url)
    status = resident.locator("main")
    with translation.override(settings.LANGUAGE_CODE):
        decided = str(Feedback.Status.DECISION.label)
    expect(status.locator(".page-header .tag").first).to_have_text(decided)
    expect(status).to_contain_text(decision.number)
    expect(status).to_contain_text("Telefontid för familjebehandlingen")

    # What came of it shows it publicly, without the name.
    visit(resident, "/medverka/vad-hande/?status=decision")
    expect(resident.locator("main")).to_contain_text(FEEDBACK)
    expect(resident.locator("main")).not_to_contain_text(NAME)

    # They download what Tillit keeps about them.
    visit(resident, member_url)
    with resident.expect_download() as download_info:
        mine.locator(f'a[href="/medverka/panelen/{member.token}/mina-uppgifter.json"]').first.click()
    path = download_info.value.path()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["name"], data["email"], data["phone"], data["area"]) == (NAME, EMAIL, MOBILE, "Norr")
    assert data["services"] == [norr.name]
    assert (
        data["consent"]["version"] == consent.version and data["consent"]["text_sv"] == member.consent.text_sv
    )
    assert INVITATION in [item["title"] for item in data["invitations"]]
    [mine_given] = data["feedback"]
    assert (mine_given["text"], mine_given["status"]) == (FEEDBACK, "decision")

    # The other pages of their own: change details, and get the link again.
    click_through(resident, mine.locator(f'a[href="/medverka/panelen/{member.token}/andra/"]'))
    expect(resident.locator("main form [name=email]")).to_have_value(EMAIL)
    visit(resident, "/medverka/panelen/min-lank/")
    resident.locator("main form [name=email]").fill(EMAIL)
    click_through(resident, resident.locator("main form button[type=submit]"))
    expect(resident.locator("main [role=status]")).to_have_count(1)

    # They leave the panel; afterwards nothing that reaches them is left in the database.
    visit(resident, member_url)
    click_through(resident, mine.locator(f'a[href="/medverka/panelen/{member.token}/lamna/"]'))
    assert PanelMember.objects.filter(pk=member.pk).exists()
    click_through(resident, resident.locator("main form button[type=submit]"))
    assert not PanelMember.objects.filter(pk=member.pk).exists()
    given.refresh_from_db()
    assert (given.member, given.name, given.email, given.status) == (None, "", "", Feedback.Status.DECISION)
    assert where_stored(EMAIL) == []
    assert where_stored(MOBILE) == []
    assert where_stored(re.sub(r"\D", "", MOBILE)) == []
    visit(resident, member_url, status=404)
    # What they said, and what came of it, is still there to follow.
    visit(resident, status_url)
    expect(resident.locator("main")).to_contain_text(decision.number)


def test_the_staff_pages_of_the_citizen_panel_are_accessible(page: Page, citizens_demo: Any) -> None:
    from tillit.citizens.models import Feedback

    waiting = Feedback.objects.get(text__startswith="Det tog tre veckor")
    login(page, ADMIN)
    for path in (
        "/synpunkter/",
        "/synpunkter/?status=all",
        f"/synpunkter/{waiting.pk}/",
        "/synpunkter/inbjudan/",
        "/synpunkter/panelen/",
    ):
        visit(page, path)
    # Refused input is shown accessibly too.
    form = page.locator("main form").filter(has=page.locator("input[name=form][value=retention]"))
    form.locator("[name=retention-retention_months]").fill("0")
    click_through(page, form.locator("button[type=submit]"), status=400)
    login_as_team_member_to_propose(page, waiting.pk)


def login_as_team_member_to_propose(page: Page, pk: int) -> None:
    logout(page)
    login(page, ANNA)
    visit(page, f"/synpunkter/{pk}/")
    visit(page, f"/synpunkter/{pk}/forslag/")


def test_the_public_pages_are_accessible_on_a_phone_also_with_errors(
    resident: Page, citizens_demo: Any
) -> None:
    from tillit.citizens.models import Feedback

    for path in ("/medverka/", "/medverka/vad-hande/", "/medverka/vad-hande/?status=declined"):
        visit(resident, path)
    declined = Feedback.objects.get(status=Feedback.Status.DECLINED)
    visit(resident, declined.get_absolute_url())
    visit(resident, "/medverka/panelen/ga-med/")
    join = resident.locator("main form")
    join.locator("[name=name]").fill("Namn 19121212-1212")
    join.locator("[name=phone]").fill("ring mig")
    click_through(resident, join.locator("button[type=submit]"), status=400)
    expect(join.locator("[name=phone]")).to_have_value("ring mig")
    visit(resident, "/medverka/synpunkt/")
    give = resident.locator("main form")
    give.locator("[name=text]").fill("Mitt barn 19121212-1212 fick vänta.")
    click_through(resident, give.locator("button[type=submit]"), status=400)
    expect(give.locator("[name=text]")).to_have_value("Mitt barn 19121212-1212 fick vänta.")
    assert not Feedback.objects.filter(text__contains="19121212").exists()
