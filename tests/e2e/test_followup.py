"""Follow-up for learning as a team and the development lead use it: a coach sends the self-organisation survey, five
members answer anonymously, the team sees its results and trend before the unit does and shares them; a team with
four answers shows nothing to anyone; a Kolada import from a recorded response fills an indicator linked to an
effect goal, and a failed import changes nothing."""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
import requests
from django.utils import timezone, translation
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import (
    ANNA,
    COACH,
    FACILITATOR,
    LEAD,
    click_through,
    login,
    logout,
    path_of,
    visit,
)

PASSWORD = "ett-bra-lösenord-2026"
SELF_ORGANISATION = "Självorganisering: framgångsfaktorer"
NO_RESULTS_YET = "Det finns inga resultat som du får se än."
TOO_FEW = "För få svar för att visa resultat: minst 5 behövs"
FOLLOWUP = "/uppfoljning/"


def _day(days: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _swedish(number: Decimal) -> str:
    """A mean as the results page writes it (4,2; 4 rather than 4,0)."""
    from tillit.core.templatetags.tillit import figure

    with translation.override("sv"):
        return figure(number)


def _members(team_name: str, count: int, *, first: Any = None) -> list[Any]:
    """``count`` members of the team (``first`` among them, first), each with a password to log in with: the demo
    gives passwords only to its named logins. Test setup, not the flow under test."""
    from tillit.organisation.models import Membership, Team

    team = Team.objects.get(name=team_name)
    people = [
        m.person
        for m in team.memberships.filter(role=Membership.Role.MEMBER)
        .select_related("person")
        .order_by("person__full_name")
    ]
    chosen = ([first] if first is not None else []) + [p for p in people if p != first]
    chosen = chosen[:count]
    for person in chosen:
        if person != first:
            person.set_password(PASSWORD)
            person.save()
    return chosen


def _login_as(page: Page, person: Any) -> None:
    login(page, person.email, None if person.email == ANNA else PASSWORD)


def _main_form(page: Page, action: str) -> Locator:
    return page.locator(f'main form[action="{action}"]')


def _answer(page: Page, survey: Any, value: int, thought: str) -> None:
    """On the answer page: every scale question gets ``value``, the free-text question ``thought``; sent."""
    from tillit.followup.models import Item

    form = page.locator("main form")
    for item in survey.items.all():
        if item.is_scale:
            form.locator(f"input[name=item_{item.pk}][value='{value}']").check()
        elif item.kind == Item.Kind.TEXT:
            form.locator(f"textarea[name=item_{item.pk}]").fill(thought)
    click_through(page, form.get_by_role("button", name="Skicka mina svar"))
    expect(page.locator("main")).to_contain_text("Tack! Dina svar har sparats.")


def _answer_from_the_follow_up_page(page: Page, person: Any, survey: Any, value: int, thought: str) -> None:
    _login_as(page, person)
    click_through(page, page.locator("header nav").get_by_role("link", name="Uppföljning"))
    assert path_of(page) == FOLLOWUP
    waiting = page.locator("main section[aria-labelledby=to-answer]")
    expect(waiting.locator("h2")).to_have_text("Väntar på ditt svar")
    click_through(page, waiting.get_by_role("link", name=survey.title))
    assert path_of(page) == f"/uppfoljning/enkater/{survey.pk}/svara/"
    _answer(page, survey, value, thought)
    # Answered: it no longer waits for this person.
    visit(page, FOLLOWUP)
    expect(waiting.locator(f'a[href="/uppfoljning/enkater/{survey.pk}/svara/"]')).to_have_count(0)
    logout(page)


def _close(page: Page, survey: Any) -> None:
    login(page, COACH)
    visit(page, survey.get_absolute_url())
    click_through(page, page.get_by_role("button", name="Stäng enkäten nu"))
    assert path_of(page) == survey.get_absolute_url()
    expect(page.locator("main")).to_contain_text("Enkäten är stängd. Resultaten är klara.")
    survey.refresh_from_db()
    assert survey.closed_at is not None
    logout(page)


def _expected_mean(survey: Any, key: str) -> Decimal:
    from tillit.followup.models import Answer

    values = list(
        Answer.objects.filter(response__survey=survey, item__key=key).values_list("value", flat=True)
    )
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def test_a_team_answers_anonymously_and_sees_its_results_and_trend_before_the_unit(
    page: Page, exempelstad: Any
) -> None:
    from tillit.accounts.models import User
    from tillit.followup.models import Recipient, Response, Survey

    anna = User.objects.get(email=ANNA)
    team_name = "Barn, unga, familj – team Norr"
    answering = _members(team_name, 5, first=anna)
    first_round = Survey.objects.get(title=SELF_ORGANISATION, round=1)
    assert first_round.closed_at is not None

    # The coach finds the first round of the self-organisation survey and starts a new round from it.
    login(page, COACH)
    click_through(page, page.locator("header nav").get_by_role("link", name="Uppföljning"))
    click_through(page, page.locator("main table").get_by_role("link", name=SELF_ORGANISATION, exact=True))
    assert path_of(page) == first_round.get_absolute_url()
    page.locator("main summary").filter(has_text="Starta en ny omgång").click()
    round_form = _main_form(page, f"/uppfoljning/enkater/{first_round.pk}/ny-omgang/")
    round_form.get_by_label("Öppnar").fill(_day())
    round_form.get_by_label("Stänger").fill(_day(14))
    click_through(page, round_form.get_by_role("button", name="Skapa den nya omgången"))
    survey = Survey.objects.get(series=first_round.series, round=2)
    assert path_of(page) == survey.get_absolute_url()
    expect(page.locator("main")).to_contain_text("En ny omgång har skapats.")
    assert survey.sent_at is None and survey.team == first_round.team

    # Sent: the team's six members are asked.
    click_through(page, page.get_by_role("button", name="Skicka enkäten"))
    assert path_of(page) == survey.get_absolute_url()
    expect(page.locator("main")).to_contain_text("Enkäten har skickats.")
    expect(page.locator("main .facts")).to_contain_text("0 av 6 har svarat")
    logout(page)

    # Five members answer, each finding the survey among those waiting for them. Four answer 4 and one 5.
    values = [4, 4, 5, 4, 4]
    for person, value in zip(answering, values, strict=True):
        _answer_from_the_follow_up_page(page, person, survey, value, "Mer tid med familjerna.")

    # In the database: no answer sheet names anyone, and "has answered" is all that is kept about the five.
    assert Response.objects.filter(survey=survey).count() == 5
    assert not Response.objects.filter(person__isnull=False).exists()
    assert set(Recipient.objects.filter(survey=survey, answered=True).values_list("person", flat=True)) == {
        person.pk for person in answering
    }
    assert Recipient.objects.filter(survey=survey, answered=False).count() == 1

    _close(page, survey)
    results_url = f"/uppfoljning/enkater/{survey.pk}/resultat/"

    # The facilitator, above the team, sees nothing yet: the results are the team's first.
    login(page, FACILITATOR)
    visit(page, results_url)
    expect(page.locator("main .notice")).to_contain_text(NO_RESULTS_YET)
    expect(page.locator("main section.results-group")).to_have_count(0)
    expect(page.locator("main table")).to_have_count(0)
    logout(page)

    # Anna sees her team's results with the trend from the first round, and shares them with the unit.
    first_item = survey.items.filter(key="citizen_needs").get()
    round_1_mean = _expected_mean(first_round, "citizen_needs")
    login(page, ANNA)
    visit(page, results_url)
    group = page.locator("main section.results-group")
    expect(group).to_have_count(1)
    expect(group.locator("h2")).to_have_text(team_name)
    expect(group).to_contain_text("5 av 6 svarade")
    table = group.locator("table")
    expect(table.locator("thead")).to_contain_text("Medelvärde")
    expect(table.locator("thead")).to_contain_text("Tidigare omgångar")
    row = table.locator("tbody tr").filter(has_text=first_item.text)
    expect(row).to_have_count(1)
    cells = row.locator("td")
    expect(cells.nth(0)).to_contain_text(_swedish(Decimal("4.2")))
    expect(cells.nth(1)).to_have_text(f"omgång 1: {_swedish(round_1_mean)}")
    # Every scale question has a mean and round 1 beside it.
    expect(table.locator("tbody tr")).to_have_count(survey.items.filter(kind="scale5").count())
    for index in range(survey.items.filter(kind="scale5").count()):
        expect(table.locator("tbody tr").nth(index).locator("td").nth(1)).to_contain_text("omgång 1: ")

    click_through(page, group.get_by_role("button", name="Dela resultaten med enheten"))
    assert path_of(page) == results_url
    expect(page.locator("main")).to_contain_text("Resultaten är nu delade med enheten.")
    expect(group.locator(".tag")).to_have_text("Delat med enheten")
    logout(page)

    # Now the facilitator sees the team's results.
    login(page, FACILITATOR)
    visit(page, results_url)
    group = page.locator("main section.results-group")
    expect(group).to_have_count(1)
    expect(group.locator("h2")).to_have_text(team_name)
    row = group.locator("table tbody tr").filter(has_text=first_item.text)
    expect(row.locator("td").nth(0)).to_contain_text(_swedish(Decimal("4.2")))
    # Above the team there is no button to share the team's results.
    expect(group.get_by_role("button", name="Dela resultaten med enheten")).to_have_count(0)


def test_the_unit_sees_nothing_for_a_team_with_four_answers(page: Page, exempelstad: Any) -> None:
    from tillit.followup.models import Survey

    team_name = "Hemtjänst Centrum"
    title = "Puls i Hemtjänst Centrum"
    answering = _members(team_name, 4)

    # The coach creates a survey for the team from a template and sends it to its twelve members.
    login(page, COACH)
    visit(page, FOLLOWUP)
    click_through(page, page.locator("main").get_by_role("link", name="Ny enkät"))
    assert path_of(page) == "/uppfoljning/enkater/ny/"
    form = page.locator("main form")
    form.locator("input[name=template][value=effects]").check()
    form.locator("[name=title]").fill(title)
    form.locator("input[name=audience][value=team]").check()
    form.locator("[name=team]").select_option(label=team_name)
    form.locator("[name=opens_on]").fill(_day())
    form.locator("[name=closes_on]").fill(_day(14))
    expect(form.locator("[name=anonymous]")).to_be_checked()
    expect(form.locator("[name=threshold]")).to_have_value("5")
    click_through(page, form.get_by_role("button", name="Spara"))
    survey = Survey.objects.get(title=title)
    assert path_of(page) == survey.get_absolute_url()
    assert survey.items.count() == 3
    click_through(page, page.get_by_role("button", name="Skicka enkäten"))
    expect(page.locator("main .facts")).to_contain_text("0 av 12 har svarat")
    logout(page)

    # Four of them answer.
    for person in answering:
        _login_as(page, person)
        visit(page, f"/uppfoljning/enkater/{survey.pk}/svara/")
        _answer(page, survey, 5, "")
        logout(page)

    _close(page, survey)
    results_url = f"/uppfoljning/enkater/{survey.pk}/resultat/"

    # A member who answered sees the team's group, but no figures: four is below five.
    _login_as(page, answering[0])
    visit(page, results_url)
    group = page.locator("main section.results-group")
    expect(group).to_have_count(1)
    expect(group).to_contain_text("4 av 12 svarade")
    expect(group.locator(".notice")).to_contain_text(TOO_FEW)
    expect(page.locator("main table")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Medelvärde")
    expect(group.get_by_role("button", name="Dela resultaten med enheten")).to_have_count(0)
    logout(page)

    # The facilitator sees nothing, not even once the time for the team to share its results has passed.
    login(page, FACILITATOR)
    visit(page, results_url)
    expect(page.locator("main .notice")).to_contain_text(NO_RESULTS_YET)
    expect(page.locator("main table")).to_have_count(0)
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Survey.objects.filter(pk=survey.pk).update(opens_on=_day(-40), closes_on=_day(-30), closed_at=long_ago)
    visit(page, results_url)
    expect(page.locator("main section.results-group .notice")).to_contain_text(TOO_FEW)
    expect(page.locator("main table")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Medelvärde")


KOLADA_NAME = "Andel i Stockholm enligt Kolada (N00945)"
EFFECT_INITIATIVE = "Fritidsgården som unga driver själva"
EFFECT_INDICATOR = "Besökande unga per vecka"
# Kolada's recorded figures for N00945 in Stockholm (0180): 2022 has no value yet.
RECORDED_N00945 = {
    2015: "21,4",
    2016: "21,9",
    2017: "22,3",
    2018: "22",
    2019: "22,8",
    2020: "23,5",
    2021: "23,1",
}


def test_a_kolada_import_fills_an_indicator_linked_to_an_effect_goal(
    page: Page, exempelstad: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.followup.kolada import N00945_2015_2022, RecordedKolada
    from tillit.followup.models import Indicator
    from tillit.labs.models import Indicator as EffectIndicator
    from tillit.labs.models import Initiative

    kolada = RecordedKolada()
    monkeypatch.setattr("tillit.followup.kolada.http_get", kolada)
    effect = EffectIndicator.objects.get(name=EFFECT_INDICATOR, goal__initiative__title=EFFECT_INITIATIVE)
    initiative = Initiative.objects.get(title=EFFECT_INITIATIVE)
    assert initiative.is_published

    # The development lead creates a Kolada indicator.
    login(page, LEAD)
    click_through(page, page.locator("header nav").get_by_role("link", name="Uppföljning"))
    click_through(page, page.locator("main nav.tabs").get_by_role("link", name="Indikatorer"))
    assert path_of(page) == "/uppfoljning/indikatorer/"
    click_through(page, page.locator("main").get_by_role("link", name="Ny indikator"))
    assert path_of(page) == "/uppfoljning/indikatorer/ny/"
    form = page.locator("main form")
    form.locator("[name=name]").fill(KOLADA_NAME)
    form.locator("[name=unit]").fill("%")
    form.locator("input[name=direction][value=increase]").check()
    form.locator("input[name=source][value=kolada]").check()
    form.locator("[name=kolada_kpi]").fill("N00945")
    form.locator("[name=kolada_municipality]").fill("0180")
    click_through(page, form.get_by_role("button", name="Spara"))
    indicator = Indicator.objects.get(name=KOLADA_NAME)
    assert path_of(page) == indicator.get_absolute_url()
    assert indicator.source == Indicator.Source.KOLADA and not indicator.values.exists()

    # It fills the effect goal's indicator of a published initiative.
    link_form = _main_form(page, f"/uppfoljning/indikatorer/{indicator.pk}/koppla/")
    expect(page.locator("main h3").filter(has_text="Ge värden till ett effektmåls indikator")).to_have_count(
        1
    )
    link_form.locator("[name=link-effect_indicator]").select_option(
        label=f"{EFFECT_INITIATIVE} – {effect.goal.title} – {EFFECT_INDICATOR}"
    )
    click_through(page, link_form.get_by_role("button", name="Hämta värdena från den här indikatorn"))
    assert path_of(page) == indicator.get_absolute_url()
    expect(page.locator("main section[aria-labelledby=fed-title]")).to_contain_text(EFFECT_INDICATOR)
    effect.refresh_from_db()
    assert effect.feed == indicator

    # The years are imported from Kolada (the recorded response, two pages).
    import_form = _main_form(page, f"/uppfoljning/indikatorer/{indicator.pk}/kolada/")
    expect(page.locator("main h2").filter(has_text="Importera från Kolada")).to_have_count(1)
    import_form.get_by_label("Från år").fill("2015")
    import_form.get_by_label("Till år").fill("2022")
    click_through(page, import_form.get_by_role("button", name="Importera"))
    assert path_of(page) == indicator.get_absolute_url()
    expect(page.locator("main")).to_contain_text("Importerat från Kolada: 7 nya värden")
    expect(page.locator("main")).to_contain_text("Kolada har inga siffror än för 2022.")
    assert any(url.endswith(N00945_2015_2022) for url in kolada.asked)
    rows = page.locator("main figure.indicator table tbody tr")
    expect(rows).to_have_count(len(RECORDED_N00945))
    for index, (year, value) in enumerate(RECORDED_N00945.items()):
        expect(rows.nth(index).locator("th")).to_have_text(str(year))
        expect(rows.nth(index).locator("td").nth(0)).to_have_text(value)
        expect(rows.nth(index).locator("td").nth(1)).to_have_text("Källa: Kolada")
    logout(page)

    # The initiative's public page has the imported figures in its effect goal's chart and table.
    visit(page, initiative.get_absolute_url())
    figure = page.locator(f"main figure#indicator-{effect.pk}")
    expect(figure.locator("svg[role=img]")).to_have_count(1)
    table_rows = figure.locator("table tbody tr")
    # The baseline, the demo's measurement, the seven imported years and the target.
    expect(table_rows).to_have_count(len(RECORDED_N00945) + 3)
    for year, value in RECORDED_N00945.items():
        row = table_rows.filter(has_text=f"{year}-12-31")
        expect(row).to_have_count(1)
        expect(row.locator("td").nth(1)).to_have_text(value)
        expect(row.locator("th")).to_contain_text("Källa: Kolada")


def test_a_failed_kolada_import_shows_why_and_changes_nothing(
    page: Page, exempelstad: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.followup.kolada import N03937_2019_2024, RecordedKolada
    from tillit.followup.models import Indicator

    kolada = RecordedKolada({N03937_2019_2024: requests.Timeout()})
    monkeypatch.setattr("tillit.followup.kolada.http_get", kolada)
    indicator = Indicator.objects.get(source=Indicator.Source.KOLADA, kolada_kpi="N03937")
    before = list(indicator.values.values_list("measured_on", "value", "source_note"))
    assert before

    login(page, LEAD)
    visit(page, "/uppfoljning/indikatorer/")
    click_through(page, page.locator("main table").get_by_role("link", name=indicator.name))
    assert path_of(page) == indicator.get_absolute_url()
    import_form = _main_form(page, f"/uppfoljning/indikatorer/{indicator.pk}/kolada/")
    import_form.get_by_label("Från år").fill("2019")
    import_form.get_by_label("Till år").fill("2024")
    click_through(page, import_form.get_by_role("button", name="Importera"), status=400)
    assert path_of(page) == f"/uppfoljning/indikatorer/{indicator.pk}/kolada/"
    summary = page.locator("main .error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Kolada svarade inte inom 10 sekunder. Ingenting importerades")
    # What the person wrote is still there, to try again.
    expect(import_form.get_by_label("Från år")).to_have_value("2019")
    assert len(kolada.asked) == 1
    assert list(indicator.values.values_list("measured_on", "value", "source_note")) == before
    # The page still shows the values as they were.
    expect(page.locator("main figure.indicator table tbody tr")).to_have_count(len(before))
