"""HR processes as people click them: team Norr recruits from its need to the delegate's decision, with two
panel members assessing in their own browsers; and Anna's appraisal talk, where a colleague's feedback reaches
Karin only once Anna shares it, and her preparation not at all. Every page on the way is checked with axe."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    ADMIN,
    ANNA,
    COACH,
    FACILITATOR,
    TIMEOUT_MS,
    click_through,
    login,
    path_of,
    visit,
    watch_for_problems,
)

TITLE = "Familjebehandlare, team Norr"
NEED = "En kollega går i pension i mars och familjerna i norr väntar allt längre på utredning."
REQUIREMENTS = "Socionomexamen\nErfarenhet av utredningar\nVill arbeta självorganiserande"
PREPARATION = "Jag vill ta mer ansvar för planeringen, men det säger jag själv."
ANSWER = "Anna håller ihop teamets planering och lyssnar på alla."


@pytest.fixture
def hr_demo(exempelstad: Any) -> Any:
    """Exempelstad with its demo HR processes, so that the flows below run beside existing ones (loading them
    again, once the demo fixture loads them itself, changes nothing)."""
    from tillit.hr.demo import load_demo_hr

    load_demo_hr()
    return exempelstad


def _second_member() -> Any:
    """A member of team Norr besides Anna, given the demo password so that they can log in."""
    from tillit.organisation.demo.exempelstad import DEMO_PASSWORD
    from tillit.organisation.models import Membership

    membership = (
        Membership.objects.filter(team__name__endswith="team Norr", role=Membership.Role.MEMBER)
        .exclude(person__email=ANNA)
        .select_related("person")
        .order_by("person__full_name")
        .first()
    )
    assert membership is not None
    person = membership.person
    person.set_password(DEMO_PASSWORD)
    person.save(update_fields=["password"])
    return person


@contextmanager
def _browser_for(browser: Browser, args: dict[str, Any], email: str) -> Iterator[Page]:
    context = browser.new_context(**args)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    try:
        page = watch_for_problems(context.new_page())
        login(page, email)
        yield page
    finally:
        context.close()


def _assess(page: Page, url: str, scores: list[int]) -> None:
    visit(page, url)
    form = page.locator("main form").filter(has=page.locator("input[name=action][value=assess]"))
    for index, score in enumerate(scores):
        form.locator(f'input[name="assess-score_{index}"][value="{score}"]').check()
    form.locator("[name=assess-comment_0]").fill("Tydlig erfarenhet.")
    click_through(page, form.locator("button[type=submit]"))
    assert path_of(page) == url


def test_a_recruitment_from_the_teams_need_to_the_delegates_decision(
    page: Page, hr_demo: Any, browser: Browser, browser_context_args: dict[str, Any]
) -> None:
    from tillit.hr.models import Assessment, Recruitment

    colleague = _second_member()

    # Anna starts the recruitment from team Norr's need, linked to one of the team's decisions.
    login(page, ANNA)
    visit(page, "/hr/")
    click_through(page, page.locator('main a[href="/hr/rekrytering/ny/"]'))
    form = page.locator("main form")
    form.locator("[name=team]").select_option(label="Barn, unga, familj – team Norr")
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=need]").fill(NEED)
    form.locator("[name=decision]").select_option(index=1)
    form.locator("[name=requirements]").fill(REQUIREMENTS)
    form.locator("[name=advert]").fill("Team Norr söker en socialsekreterare som vill styra sitt arbete.")
    form.get_by_label("Anna Lindqvist").check()
    form.get_by_label(colleague.full_name).check()
    click_through(page, form.locator("button[type=submit]"))
    recruitment = Recruitment.objects.get(title=TITLE)
    url = recruitment.get_absolute_url()
    assert path_of(page) == url
    assert recruitment.delegate.email == COACH  # the delegate of team Norr's staff mandate
    assert recruitment.decision is not None
    expect(page.locator("main")).to_contain_text(NEED)
    visit(page, url + "andra/")
    visit(page, url)

    # The advert is published, two candidates come in, and the assessment starts.
    click_through(page, page.locator("main button[name=advance]"))
    candidates = page.locator("main section[aria-labelledby=candidates-title]")
    for name, summary in (
        ("Sara Lind", "Socionom sedan 2019, fem år med utredningar."),
        ("Johan Ek", "Socionom 2025, sommarvikariat."),
    ):
        candidates.locator("summary").click()
        add = candidates.locator("form")
        add.locator("[name=candidate-name]").fill(name)
        add.locator("[name=candidate-email]").fill(f"{name.split()[0].lower()}@exempel.test")
        add.locator("[name=candidate-summary]").fill(summary)
        click_through(page, add.locator("button[type=submit]"))
        assert path_of(page) == url
    expect(candidates.locator("table")).to_contain_text("Johan Ek")
    click_through(page, page.locator("main button[name=advance]"))
    recruitment.refresh_from_db()
    assert recruitment.status == Recruitment.Status.ASSESSING
    sara, johan = recruitment.candidates.order_by("number")

    # The two panel members assess every candidate, each in their own browser.
    _assess(page, sara.get_absolute_url(), [4, 3, 4])
    _assess(page, johan.get_absolute_url(), [3, 2, 3])
    with _browser_for(browser, browser_context_args, colleague.email) as second:
        visit(second, url)
        click_through(second, second.locator("main table").get_by_role("link", name="Sara Lind"))
        _assess(second, sara.get_absolute_url(), [4, 4, 3])
        _assess(second, johan.get_absolute_url(), [2, 2, 3])
    assert Assessment.objects.filter(candidate__recruitment=recruitment).count() == 12

    # The team sees no decide button; Karin, the named delegate, decides from the summary table.
    expect(page.locator(f'main a[href="{url}beslut/"]')).to_have_count(0)
    with _browser_for(browser, browser_context_args, COACH) as karin:
        visit(karin, url)
        expect(karin.locator("main table")).to_contain_text("3,7")
        click_through(karin, karin.locator(f'main a[href="{url}beslut/"]'))
        decide = karin.locator("main form")
        decide.locator("[name=chosen]").select_option(label="Sara Lind")
        decide.locator("[name=reasoning]").fill("Sara uppfyller alla krav och panelen var enig.")
        click_through(karin, decide.locator("button[type=submit]"))
        assert path_of(karin) == url
    recruitment.refresh_from_db()
    assert recruitment.status == Recruitment.Status.DECIDED
    assert recruitment.chosen == sara

    # Anna, in the team and on the panel, sees the closed recruitment and its history.
    visit(page, url)
    expect(page.locator("main section[aria-labelledby=decision-title]")).to_contain_text("Sara Lind")
    expect(page.locator("main button[name=advance]")).to_have_count(0)


def test_a_talk_where_only_what_anna_shares_reaches_karin(
    page: Page, hr_demo: Any, browser: Browser, browser_context_args: dict[str, Any]
) -> None:
    from tillit.hr.models import FeedbackRequest, Talk

    colleague = _second_member()

    # Anna books an appraisal talk with Karin and prepares in private.
    login(page, ANNA)
    visit(page, "/hr/")
    click_through(page, page.locator('main a[href="/hr/samtal/nytt/"]'))
    form = page.locator("main form")
    form.locator("[name=kind]").select_option("appraisal")
    form.locator("[name=date]").fill("2026-12-15")
    form.locator("[name=counterpart]").select_option(label="Karin Sundberg")
    click_through(page, form.locator("button[type=submit]"))
    talk = Talk.objects.filter(employee__email=ANNA).latest("pk")
    url = talk.get_absolute_url()
    assert path_of(page) == url
    prepare = page.locator("main section[aria-labelledby=prep-title] form")
    prepare.locator("[name=prep-preparation]").fill(PREPARATION)
    click_through(page, prepare.locator("button[type=submit]"))

    # She asks a colleague, who sees only the question and answers it.
    feedback = page.locator("main section[aria-labelledby=feedback-title]")
    feedback.locator("summary").click()
    ask = feedback.locator("form")
    ask.locator("[name=ask-colleague]").select_option(label=colleague.full_name)
    ask.locator("[name=ask-question]").fill("Vad gör jag bra i teamet?")
    click_through(page, ask.locator("button[type=submit]"))
    request = FeedbackRequest.objects.get(talk=talk)
    with _browser_for(browser, browser_context_args, colleague.email) as second:
        visit(second, "/hr/")
        click_through(second, second.locator(f'main a[href="{request.get_absolute_url()}"]'))
        expect(second.locator("main")).to_contain_text("Vad gör jag bra i teamet?")
        expect(second.locator("main")).not_to_contain_text(PREPARATION)
        second.locator("main form [name=answer]").fill(ANSWER)
        click_through(second, second.locator("main form button[type=submit]"))
        visit(second, url, status=404)

    # Karin sees the talk but neither the preparation nor the unshared answer.
    with _browser_for(browser, browser_context_args, COACH) as karin:
        visit(karin, url)
        expect(karin.locator("main")).not_to_contain_text(PREPARATION)
        expect(karin.locator("main")).not_to_contain_text(ANSWER)

        # Anna shares the answer; Karin now sees it, and still not the preparation.
        visit(page, url)
        expect(page.locator("main")).to_contain_text(ANSWER)
        click_through(page, page.locator(f'main form[action="{request.get_absolute_url()}dela/"] button'))
        visit(karin, url)
        expect(karin.locator("main")).to_contain_text(ANSWER)
        expect(karin.locator("main")).not_to_contain_text(PREPARATION)

        # Karin records the outcome; Anna agrees to it.
        outcome = karin.locator("main section[aria-labelledby=outcome-title] form")
        outcome.locator("[name=outcome-outcome]").fill("Anna leder teamets planering från februari.")
        click_through(karin, outcome.locator("button[type=submit]"))
    visit(page, url)
    click_through(page, page.locator("main button[name=confirm]"))
    talk.refresh_from_db()
    assert talk.status == Talk.Status.AGREED


def test_a_rehab_case_whose_employee_sees_who_looked_and_the_retention_rules(
    page: Page, hr_demo: Any, browser: Browser, browser_context_args: dict[str, Any]
) -> None:
    from tillit.hr.models import HrSettings, RehabAccess, RehabCase

    employee = _second_member()

    # Karin, manager of team Norr's unit, opens a case with Leila as HR contact and writes the plan.
    login(page, COACH)
    visit(page, "/hr/")
    click_through(page, page.locator('main a[href="/hr/rehab/ny/"]'))
    form = page.locator("main form")
    form.locator("[name=employee]").select_option(label=employee.full_name)
    form.locator("[name=manager]").select_option(label="Karin Sundberg")
    form.locator("[name=hr_contact]").select_option(label="Leila Karimi")
    click_through(page, form.locator("button[type=submit]"))
    case = RehabCase.objects.get(employee=employee)
    url = case.get_absolute_url()
    assert path_of(page) == url
    entry = page.locator("main section[aria-labelledby=entry-title] form")
    entry.locator("[name=entry-kind]").select_option("plan")
    entry.locator("[name=entry-text]").fill("Halvtid i fyra veckor, sedan tre fjärdedelar.")
    click_through(page, entry.locator("button[type=submit]"))

    # Leila looks too; Anna, in the same team, is not told the case exists.
    with _browser_for(browser, browser_context_args, FACILITATOR) as leila:
        visit(leila, url)
        expect(leila.locator("main")).to_contain_text("Halvtid i fyra veckor")
    with _browser_for(browser, browser_context_args, ANNA) as anna:
        visit(anna, url, status=404)
    assert set(RehabAccess.objects.filter(case=case).values_list("person__email", flat=True)) == {
        COACH,
        FACILITATOR,
    }

    # The employee sees the plan and who looked at the case.
    with _browser_for(browser, browser_context_args, employee.email) as own:
        visit(own, "/hr/")
        click_through(own, own.locator(f'main a[href="{url}"]'))
        log = own.locator("main section[aria-labelledby=log-title]")
        expect(log).to_contain_text("Karin Sundberg")
        expect(log).to_contain_text("Leila Karimi")
        expect(own.locator("main section[aria-labelledby=entry-title]")).to_have_count(0)

    # The administrator shortens the retention rule for candidates.
    with _browser_for(browser, browser_context_args, ADMIN) as admin:
        visit(admin, "/hr/")
        click_through(admin, admin.locator('main a[href="/hr/gallring/"]'))
        rules = admin.locator("main form")
        rules.locator("[name=candidate_retention_months]").fill("12")
        click_through(admin, rules.locator("button[type=submit]"))
        assert path_of(admin) == "/hr/gallring/"
    assert HrSettings.load().candidate_retention_months == 12
