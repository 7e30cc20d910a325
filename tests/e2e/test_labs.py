"""Hypothesis labs as the development lead runs them and the public reads them: a lab with a track, an
initiative with an effect goal measured over time, published and then stopped with its learnings, found in
the portfolio, the learnings library and the open data; and a resident's idea followed to an initiative."""

import datetime
import json
import re
from typing import Any

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    LEAD,
    TIMEOUT_MS,
    assert_accessible,
    click_through,
    login,
    logout,
    path_of,
    visit,
    watch_for_problems,
)

LAB = "Tillitsbaserad hemtjänst"
TITLE = "Hemtjänstteam som planerar sina egna scheman"
GOAL = "Fler brukare möter samma personal"
INDICATOR = "Andel besök av kontaktpersonen"
WORKED = "Teamet lärde sig att planera tillsammans med brukarna varje måndag."
NOT_WORKED = "Schemaläggningssystemet gick inte att anpassa till teamets egna scheman."
FOR_OTHERS = "Se till att it-systemen tillåter teamets planering innan ni börjar."


def _day(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_a_lab_initiative_measured_published_and_stopped_with_its_learnings(
    page: Page, exempelstad: Any
) -> None:
    from tillit.labs.models import Initiative, Lab

    # The development lead creates a hypothesis lab, from the portfolio's "Labs and drafts".
    login(page, LEAD)
    click_through(page, page.locator("header nav").get_by_role("link", name="Portfölj"))
    click_through(page, page.get_by_role("link", name="Labb och utkast"))
    click_through(page, page.get_by_role("link", name="Nytt labb"))
    assert path_of(page) == "/labb/nytt/"
    form = page.locator("main form")
    form.locator("[name=name]").fill(LAB)
    form.locator("[name=description]").fill("Ett labb om hemtjänst där teamen styr sitt eget arbete.")
    form.locator("[name=hypothesis]").fill(
        "När hemtjänstteamen planerar själva möter brukarna färre och mer bekanta ansikten."
    )
    click_through(page, form.get_by_role("button", name="Spara"))
    lab = Lab.objects.get(name=LAB)
    assert path_of(page) == lab.get_absolute_url()
    expect(page.locator("main h1")).to_have_text(LAB)

    # A track, from the lab's page.
    page.locator("main summary").filter(has_text="Lägg till ett spår").click()
    track_form = page.locator(f'main form[action="{lab.get_absolute_url()}spar/"]')
    track_form.locator("[name=name]").fill("Hemtjänst Söder")
    click_through(page, track_form.get_by_role("button", name="Lägg till spåret"))
    assert path_of(page) == lab.get_absolute_url()
    expect(page.locator("section[aria-labelledby=tracks]")).to_contain_text("Hemtjänst Söder")

    # An initiative in the lab.
    click_through(page, page.locator("main").get_by_role("link", name="Nytt initiativ"))
    assert path_of(page) == f"/initiativ/nytt/?labb={lab.slug}"
    form = page.locator("main form")
    expect(form.locator("[name=lab]")).to_have_value(str(lab.pk))
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=what]").fill(
        "Hemtjänstteamet i Söder lägger sina egna scheman tillsammans med brukarna."
    )
    form.locator("[name=why]").fill("Brukarna möter i dag upp till tjugo olika personer på två veckor.")
    form.locator("[name=how]").fill("Teamet planerar varje måndag och följer upp kontinuiteten varje månad.")
    form.locator("[name=contact_name]").fill("Kristina Holmér")
    click_through(page, form.get_by_role("button", name="Spara"))
    initiative = Initiative.objects.get(title=TITLE)
    assert initiative.lab == lab and not initiative.is_published
    initiative_url = initiative.get_absolute_url()
    assert path_of(page) == initiative_url
    expect(page.locator("main h1")).to_have_text(TITLE)

    # An effect goal, an indicator from a baseline to a target, and two measurements.
    click_through(page, page.locator("main").get_by_role("link", name="Effektmål, länkar och filer"))
    assert path_of(page) == f"{initiative_url}delar/"
    page.locator("[name=goal-title]").fill(GOAL)
    click_through(page, page.get_by_role("button", name="Lägg till effektmålet"))
    goal = initiative.effect_goals.get(title=GOAL)
    indicator_form = page.locator(f"#goal-{goal.pk} form").filter(has=page.locator(f"[name=g{goal.pk}-name]"))
    indicator_form.locator(f"[name=g{goal.pk}-name]").fill(INDICATOR)
    indicator_form.locator(f"[name=g{goal.pk}-unit]").fill("%")
    indicator_form.get_by_label("Högre är bättre").check()
    indicator_form.locator(f"[name=g{goal.pk}-baseline]").fill("40")
    indicator_form.locator(f"[name=g{goal.pk}-baseline_on]").fill(_day(-120))
    indicator_form.locator(f"[name=g{goal.pk}-target]").fill("75")
    indicator_form.locator(f"[name=g{goal.pk}-target_on]").fill(_day(365))
    click_through(page, indicator_form.get_by_role("button", name="Lägg till indikatorn"))
    indicator = goal.indicators.get(name=INDICATOR)
    for days, value in ((-60, "48"), (-10, "55")):
        section = page.locator(f"#indicator-{indicator.pk}")
        section.locator("summary").filter(has_text="Lägg till en mätning").click()
        section.locator(f"[name=i{indicator.pk}-measured_on]").fill(_day(days))
        section.locator(f"[name=i{indicator.pk}-value]").fill(value)
        click_through(page, section.get_by_role("button", name="Lägg till mätningen"))
    measurements = page.locator(f"#indicator-{indicator.pk} table tbody tr")
    expect(measurements).to_have_count(2)
    expect(measurements.nth(0)).to_contain_text(_day(-60))
    expect(measurements.nth(1)).to_contain_text(_day(-10))

    # Published in the portfolio.
    click_through(page, page.locator("main").get_by_role("link", name="Tillbaka till initiativet"))
    click_through(page, page.get_by_role("button", name="Publicera i portföljen"))
    assert path_of(page) == initiative_url
    expect(page.get_by_role("button", name="Ta bort ur portföljen")).to_be_visible()

    # Stopping it without learnings is refused; with the three learnings it is stopped.
    click_through(page, page.locator("main").get_by_role("link", name="Status och lärdomar"))
    status_url = f"{initiative_url}status/"
    assert path_of(page) == status_url
    form = page.locator("main form")
    form.get_by_label("Avbruten", exact=True).check()
    click_through(page, form.get_by_role("button", name="Spara"), status=400)
    assert path_of(page) == status_url
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary")).to_contain_text("Ett avslutat initiativ behåller sina lärdomar")
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.ONGOING
    visit(page, initiative_url)
    expect(page.locator("main .page-header .status")).to_have_text("Pågående")

    click_through(page, page.locator("main").get_by_role("link", name="Status och lärdomar"))
    form = page.locator("main form")
    form.get_by_label("Avbruten", exact=True).check()
    form.locator("[name=learned_worked]").fill(WORKED)
    form.locator("[name=learned_not_worked]").fill(NOT_WORKED)
    form.locator("[name=learned_for_others]").fill(FOR_OTHERS)
    click_through(page, form.get_by_role("button", name="Spara"))
    assert path_of(page) == initiative_url
    expect(page.locator("main .page-header .status")).to_have_text("Avbruten")
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.STOPPED
    assert initiative.ended_on == timezone.localdate()
    logout(page)

    # Anyone finds it in the portfolio, stopped, with its learnings and its measured effect goal.
    click_through(page, page.locator("header nav").get_by_role("link", name="Portfölj"))
    assert path_of(page) == "/portfolj/"
    filters = page.locator("main form.filter-form")
    filters.locator("[name=status]").select_option(label="Avbruten")
    filters.locator("[name=q]").fill(TITLE)
    filters.locator("[name=q]").press("Enter")
    results = page.locator("#portfolio-results")
    # The filter is applied in place (htmx), and the address follows it.
    expect(page).to_have_url(re.compile(r"\?q=Hemtj.*&status=stopped"))
    expect(results.locator("li.initiative-card")).to_have_count(1)
    expect(results.locator("li.initiative-card")).to_contain_text(TITLE)
    expect(results.locator("li.initiative-card .status")).to_have_text("Avbruten")
    # Enter both changes and submits the form: wait until no filter request is in flight, so that the click
    # below is the only navigation.
    expect(page.locator("main form.filter-form.htmx-request")).to_have_count(0)
    assert_accessible(page)
    click_through(page, results.get_by_role("link", name=TITLE))
    assert path_of(page) == initiative_url
    learnings = page.locator("main section.learnings")
    for text in (WORKED, NOT_WORKED, FOR_OTHERS):
        expect(learnings).to_contain_text(text)
    figure = page.locator(f"main figure#indicator-{indicator.pk}")
    expect(figure.locator("svg[role=img]")).to_have_count(1)
    rows = figure.locator("table tbody tr")
    expect(rows).to_have_count(4)  # the baseline, two measurements and the target
    expect(rows.nth(1)).to_contain_text(_day(-60))
    expect(rows.nth(1)).to_contain_text("48")
    expect(rows.nth(2)).to_contain_text(_day(-10))
    expect(rows.nth(2)).to_contain_text("55")

    # In the learnings library.
    click_through(page, page.locator("header nav").get_by_role("link", name="Portfölj"))
    click_through(page, page.locator("main nav.tabs").get_by_role("link", name="Lärdomar"))
    assert path_of(page) == "/portfolj/lardomar/"
    entry = page.locator("main article.learning").filter(has_text=TITLE)
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(NOT_WORKED)

    # And in the open data.
    response = page.request.get("/portfolj/export.json")
    assert response.status == 200
    document = json.loads(response.text())
    [record] = [item for item in document["initiatives"] if item["title"] == TITLE]
    assert record["status"] == "stopped"
    assert record["lessons_learned"] == {
        "what_worked": WORKED,
        "what_did_not_work": NOT_WORKED,
        "for_others": FOR_OTHERS,
    }
    [exported_goal] = record["effect_goals"]
    assert exported_goal["title"] == GOAL
    [exported_indicator] = exported_goal["indicators"]
    assert exported_indicator["direction"] == "increase"
    assert exported_indicator["measurements"] == [
        {"date": _day(-60), "value": 48},
        {"date": _day(-10), "value": 55},
    ]


def test_a_residents_idea_followed_until_it_becomes_an_initiative(
    page: Page, exempelstad: Any, browser: Browser, browser_context_args: dict[str, Any]
) -> None:
    from tillit.labs.models import Idea

    title = "Cykelverkstad på fritidsgården"
    message = "Tack! Vi frågar fritidsgårdarna om de har plats och återkommer i juni."

    # A resident, without an account, sends an idea and lands on their own page for it.
    visit(page, "/ideer/ny/")
    form = page.locator("main form")
    form.locator("[name=title]").fill(title)
    form.locator("[name=problem]").fill("Många unga har cyklar som är trasiga och ingen plats att laga dem.")
    form.locator("[name=idea]").fill("En cykelverkstad på fritidsgården där unga lagar cyklar tillsammans.")
    form.locator("[name=beneficiaries]").fill("Unga i området och deras familjer.")
    form.locator("[name=submitter_name]").fill("Sam")
    click_through(page, form.get_by_role("button", name="Skicka idén"))
    idea = Idea.objects.get(title=title)
    status_url = idea.get_absolute_url()
    assert path_of(page) == status_url
    where = page.locator("main section[aria-labelledby=where]")
    expect(where.locator(".tag")).to_have_text("Mottagen")

    # The development lead, in another browser, finds it in the intake and assesses it.
    lead_context = browser.new_context(**browser_context_args)
    lead_context.set_default_timeout(TIMEOUT_MS)
    lead_context.set_default_navigation_timeout(TIMEOUT_MS)
    lead = watch_for_problems(lead_context.new_page())
    try:
        login(lead, LEAD)
        visit(lead, "/ideer/")
        click_through(lead, lead.locator("main table").get_by_role("link", name=title))
        assert path_of(lead) == f"/ideer/{idea.pk}/"
        assess = lead.locator(f'main form[action="/ideer/{idea.pk}/bedom/"]')
        assess.get_by_label("Bedöms", exact=True).check()
        assess.locator("[name=assess-message]").fill(message)
        click_through(lead, assess.get_by_role("button", name="Spara och meddela förslagsställaren"))
        assert path_of(lead) == f"/ideer/{idea.pk}/"
        idea.refresh_from_db()
        assert idea.status == Idea.Status.ASSESSING

        # The resident sees the new status and the message on the same page.
        visit(page, status_url)
        expect(where.locator(".tag")).to_have_text("Bedöms")
        expect(where).to_contain_text(message)

        # The lead makes it an initiative; the resident sees that it became one.
        make = lead.locator(f'main form[action="/ideer/{idea.pk}/initiativ/"]')
        expect(make.locator("[name=initiative-title]")).to_have_value(title)
        click_through(lead, make.get_by_role("button", name="Skapa initiativet"))
        idea.refresh_from_db()
        assert idea.status == Idea.Status.INITIATIVE and idea.initiative is not None
        assert path_of(lead) == f"{idea.initiative.get_absolute_url()}andra/"
    finally:
        lead_context.close()

    visit(page, status_url)
    expect(where.locator(".tag")).to_have_text("Blev ett initiativ")
    expect(where).to_contain_text("Din idé blev ett initiativ.")


def test_the_lead_gives_feedback_when_an_idea_becomes_an_initiative(page: Page, exempelstad: Any) -> None:
    from tillit.labs.models import Idea

    idea = Idea.objects.get(title="Läxhjälp på biblioteket på kvällstid")
    message = "Biblioteket är med: vi startar läxhjälpen i september."
    login(page, LEAD)
    visit(page, f"/ideer/{idea.pk}/")
    duplicates = page.evaluate(
        """() => { const seen = {}; document.querySelectorAll("[id]").forEach((e) => { seen[e.id] = (seen[e.id] || 0) + 1; });
        return Object.keys(seen).filter((id) => seen[id] > 1); }"""
    )
    assert duplicates == [], f"ids used more than once on /ideer/{idea.pk}/: {duplicates}"
    make = page.locator(f'main form[action="/ideer/{idea.pk}/initiativ/"]')
    make.get_by_label("Återkoppling till förslagsställaren").fill(message)
    click_through(page, make.get_by_role("button", name="Skapa initiativet"))
    logout(page)
    visit(page, idea.get_absolute_url())
    where = page.locator("main section[aria-labelledby=where]")
    expect(where.locator(".tag")).to_have_text("Blev ett initiativ")
    expect(where).to_contain_text(message)
