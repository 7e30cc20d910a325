"""Indicators: their services (with history), Kolada imports from recorded responses, values from surveys, the
effect goals they fill, who may do what, and the pages."""

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
import requests
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.labs.factories import (
    administrator,
    development_lead,
    facilitator,
    goal,
    indicator,
    initiative,
    measurement,
    researcher,
    team_member,
)
from tests.organisation.factories import MembershipFactory, TeamFactory
from tillit.core.models import HistoryEntry
from tillit.followup import indicators as services
from tillit.followup import kolada, results
from tillit.followup.kolada import KoladaError
from tillit.followup.models import Indicator, IndicatorValue, Item, Release, Survey
from tillit.labs import models as labs
from tillit.labs.charts import indicator_chart
from tillit.labs.selectors import IndicatorView

from .kolada import N03937_2019_2024, FakeResponse, RecordedKolada

pytestmark = pytest.mark.django_db

KOLADA_FIELDS: dict[str, Any] = {
    "name": "Arbetslöshet i kommunen",
    "unit": "%",
    "direction": Indicator.Direction.DECREASE,
    "source": Indicator.Source.KOLADA,
    "kolada_kpi": "N03937",
    "kolada_municipality": "1283",
}
YEARS = range(2019, 2025)


def page(response: Any) -> str:
    return str(response.content.decode())


def history(obj: Any) -> list[str]:
    return [entry.action for entry in HistoryEntry.objects.for_object(obj)]


@pytest.fixture
def lead() -> Any:
    return development_lead(full_name="Kristina Holmér")


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> RecordedKolada:
    fake = RecordedKolada()
    monkeypatch.setattr(kolada, "http_get", fake)
    return fake


@pytest.fixture
def kolada_indicator(lead: Any) -> Indicator:
    return services.indicator_create(actor=lead, **KOLADA_FIELDS)


def manual_indicator(actor: Any, **fields: Any) -> Indicator:
    return services.indicator_create(
        actor=actor, **{"name": "Väntetid till första besök", "unit": "dagar", **fields}
    )


def effect_indicator(lead: Any, **fields: Any) -> labs.Indicator:
    """An effect goal's indicator with two measurements entered by hand."""
    made = indicator(
        goal(initiative(actor=lead, title="Självorganiserat arbetssätt")),
        **{
            "name": "Arbetslöshet",
            "unit": "%",
            "direction": labs.Indicator.Direction.DECREASE,
            "baseline": Decimal("8.5"),
            "baseline_on": datetime.date(2018, 12, 31),
            "target": Decimal("6.0"),
            "target_on": datetime.date(2026, 12, 31),
            **fields,
        },
    )
    measurement(made, datetime.date(2025, 3, 1), "7.0")
    measurement(made, datetime.date(2021, 12, 31), "9.9")
    return made


def measurements(effect: labs.Indicator) -> dict[datetime.date, tuple[Decimal, str]]:
    return {m.measured_on: (m.value, m.source) for m in effect.measurements.order_by("measured_on")}


def values(made: Indicator) -> dict[datetime.date, Decimal]:
    return {value.measured_on: value.value for value in made.values.order_by("measured_on")}


def dec31(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


# Creating and changing indicators.


def test_an_indicator_is_created_with_history_and_only_its_source_fields(lead: Any) -> None:
    made = services.indicator_create(
        actor=lead,
        name="Väntetid",
        source=Indicator.Source.MANUAL,
        kolada_kpi="N03937",
        survey_item_key="influence",
        team=TeamFactory.create(),
    )
    assert (made.kolada_kpi, made.survey_item_key, made.team) == ("", "", None)
    assert history(made) == ["indicator.created"]
    kolada_made = services.indicator_create(actor=lead, **{**KOLADA_FIELDS, "kolada_kpi": " n03937 "})
    assert kolada_made.kolada_kpi == "N03937"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({**KOLADA_FIELDS, "kolada_kpi": ""}, "kolada_kpi"),
        ({**KOLADA_FIELDS, "kolada_kpi": "arbetslöshet"}, "kolada_kpi"),
        ({**KOLADA_FIELDS, "kolada_municipality": "Helsingborg"}, "kolada_municipality"),
        ({**KOLADA_FIELDS, "kolada_municipality": "128"}, "kolada_municipality"),
        (
            {"name": "Inflytande", "source": Indicator.Source.SURVEY, "team": None, "survey_item_key": "x"},
            "team",
        ),
        ({"name": "Inflytande", "source": Indicator.Source.SURVEY, "survey_item_key": ""}, "survey_item_key"),
    ],
)
def test_an_indicator_needs_what_its_source_needs(lead: Any, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        services.indicator_create(actor=lead, **fields)
    assert field in raised.value.message_dict
    assert not Indicator.objects.exists()


def test_the_source_cannot_change_under_values_that_came_from_it(lead: Any) -> None:
    made = manual_indicator(lead)
    services.indicator_update(actor=lead, indicator=made, name="Väntetid i dagar", unit="d")
    assert history(made) == ["indicator.changed", "indicator.created"]
    services.indicator_value_add(actor=lead, indicator=made, measured_on=dec31(2024), value=Decimal("12"))
    with pytest.raises(ValidationError) as raised:
        services.indicator_update(actor=lead, indicator=made, **{**KOLADA_FIELDS, "name": "Väntetid"})
    assert "source" in raised.value.message_dict
    made.refresh_from_db()
    assert made.source == Indicator.Source.MANUAL


# Values entered by hand.


def test_a_value_is_added_by_hand_with_history(lead: Any) -> None:
    made = manual_indicator(lead)
    services.indicator_value_add(
        actor=lead,
        indicator=made,
        measured_on=datetime.date(2026, 3, 1),
        value=Decimal("14.5"),
        source_note="Egen räkning",
    )
    assert values(made) == {datetime.date(2026, 3, 1): Decimal("14.5")}
    entry = HistoryEntry.objects.for_object(made).first()
    assert entry is not None and entry.action == "indicator.value_added"
    assert entry.changes == {"measured_on": "2026-03-01", "value": "14.5"}


@pytest.mark.parametrize(
    ("day", "field"),
    [
        (timezone.localdate() + datetime.timedelta(days=1), "measured_on"),
        (datetime.date(2026, 3, 1), "measured_on"),
    ],
)
def test_a_value_in_the_future_or_on_a_taken_day_is_refused(
    lead: Any, day: datetime.date, field: str
) -> None:
    made = manual_indicator(lead)
    services.indicator_value_add(
        actor=lead, indicator=made, measured_on=datetime.date(2026, 3, 1), value=Decimal(1)
    )
    with pytest.raises(ValidationError) as raised:
        services.indicator_value_add(actor=lead, indicator=made, measured_on=day, value=Decimal(2))
    assert field in raised.value.message_dict
    assert made.values.count() == 1


def test_values_from_kolada_are_not_entered_by_hand(lead: Any, kolada_indicator: Indicator) -> None:
    with pytest.raises(ValidationError):
        services.indicator_value_add(
            actor=lead, indicator=kolada_indicator, measured_on=dec31(2020), value=Decimal(1)
        )


# Kolada imports from recorded responses.


def test_a_kolada_import_stores_each_year_on_31_december_with_its_source(
    lead: Any, kolada_indicator: Indicator, recorded: RecordedKolada
) -> None:
    changes = services.kolada_import(actor=lead, indicator=kolada_indicator, years=YEARS)
    assert values(kolada_indicator) == {
        dec31(2019): Decimal("7.90"),
        dec31(2020): Decimal("9.60"),
        dec31(2021): Decimal("9.10"),
        dec31(2022): Decimal("8.00"),
        dec31(2023): Decimal("8.22"),
    }
    assert changes.missing == [2024]
    assert {value.source_note for value in kolada_indicator.values.all()} == {services.source_note("kolada")}
    assert services.source_note("kolada") == "Källa: Kolada"
    entry = HistoryEntry.objects.for_object(kolada_indicator).first()
    assert entry is not None and entry.action == "indicator.kolada_imported"
    assert entry.changes["measured_on"] == "2019–2024"


def test_importing_again_brings_values_up_to_date_and_records_only_a_change(
    lead: Any, kolada_indicator: Indicator, recorded: RecordedKolada
) -> None:
    services.kolada_import(actor=lead, indicator=kolada_indicator, years=YEARS)
    IndicatorValue.objects.filter(measured_on=dec31(2020)).update(value=Decimal("1"))
    changes = services.kolada_import(actor=lead, indicator=kolada_indicator, years=YEARS)
    assert (len(changes.added), len(changes.changed), changes.unchanged) == (0, 1, 4)
    assert values(kolada_indicator)[dec31(2020)] == Decimal("9.60")
    services.kolada_import(actor=lead, indicator=kolada_indicator, years=YEARS)
    assert history(kolada_indicator).count("indicator.kolada_imported") == 2


@pytest.mark.parametrize(
    "failure",
    [
        requests.Timeout("read timed out"),
        requests.ConnectionError("refused"),
        FakeResponse(500, "Internal Server Error"),
        FakeResponse(200, "inte json"),
        FakeResponse(200, '{"count": 0, "values": []}'),
    ],
)
def test_a_failed_import_changes_nothing(
    lead: Any, kolada_indicator: Indicator, monkeypatch: pytest.MonkeyPatch, failure: Any
) -> None:
    effect = effect_indicator(lead)
    services.indicator_link(actor=lead, indicator=kolada_indicator, effect_indicator=effect)
    monkeypatch.setattr(kolada, "http_get", RecordedKolada())
    services.kolada_import(actor=lead, indicator=kolada_indicator, years=YEARS)
    before = (values(kolada_indicator), measurements(effect), HistoryEntry.objects.count())
    IndicatorValue.objects.filter(measured_on=dec31(2020)).update(value=Decimal("1"))
    stored = values(kolada_indicator)
    monkeypatch.setattr(kolada, "http_get", RecordedKolada({N03937_2019_2024: failure}))
    with pytest.raises(KoladaError):
        services.kolada_import(actor=lead, indicator=kolada_indicator, years=YEARS)
    assert values(kolada_indicator) == stored
    assert (measurements(effect), HistoryEntry.objects.count()) == before[1:]


def test_a_failure_while_writing_leaves_nothing_half_written(
    lead: Any, kolada_indicator: Indicator, recorded: RecordedKolada, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_feed(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    effect = effect_indicator(lead)
    services.indicator_link(actor=lead, indicator=kolada_indicator, effect_indicator=effect)
    monkeypatch.setattr(services, "_feed_all", broken_feed)
    with pytest.raises(RuntimeError):
        services.kolada_import(actor=lead, indicator=kolada_indicator, years=YEARS)
    assert not kolada_indicator.values.exists()
    assert "indicator.kolada_imported" not in history(kolada_indicator)


def test_a_manual_indicator_is_not_imported_from_kolada(lead: Any, recorded: RecordedKolada) -> None:
    with pytest.raises(ValidationError):
        services.kolada_import(actor=lead, indicator=manual_indicator(lead), years=YEARS)
    assert recorded.asked == []


# Filling the effect goals of initiatives.


def test_a_kolada_import_fills_the_linked_effect_goal_and_its_chart(
    lead: Any, kolada_indicator: Indicator, recorded: RecordedKolada, client: Any
) -> None:
    effect = effect_indicator(lead)
    services.indicator_link(actor=lead, indicator=kolada_indicator, effect_indicator=effect)
    initiative_before = labs.Initiative.objects.get(pk=effect.goal.initiative_id).updated_at
    services.kolada_import(actor=lead, indicator=kolada_indicator, years=YEARS)
    assert measurements(effect) == {
        dec31(2019): (Decimal("7.90"), "kolada"),
        dec31(2020): (Decimal("9.60"), "kolada"),
        dec31(2021): (Decimal("9.10"), "kolada"),  # the figure entered by hand on this day gives way
        dec31(2022): (Decimal("8.00"), "kolada"),
        dec31(2023): (Decimal("8.22"), "kolada"),
        datetime.date(2025, 3, 1): (Decimal("7.00"), "manual"),  # another day: left alone
    }
    made = labs.Initiative.objects.get(pk=effect.goal.initiative_id)
    assert made.updated_at > initiative_before
    assert "initiative.measurements_fed" in history(made)
    chart = indicator_chart(IndicatorView(effect, list(effect.measurements.all())))
    assert len(chart.measurements) == 6
    client.force_login(lead)
    shown = page(client.get(made.get_absolute_url()))
    assert "8,22" in shown and "2023-12-31" in shown
    assert services.source_note("kolada") in shown


def test_linking_fills_at_once_and_removing_a_value_removes_what_it_filled(
    lead: Any, kolada_indicator: Indicator, recorded: RecordedKolada
) -> None:
    services.kolada_import(actor=lead, indicator=kolada_indicator, years=YEARS)
    effect = effect_indicator(lead)
    services.indicator_link(actor=lead, indicator=kolada_indicator, effect_indicator=effect)
    assert len(measurements(effect)) == 6
    assert "indicator.linked" in history(kolada_indicator)
    services.indicator_value_remove(actor=lead, value=kolada_indicator.values.get(measured_on=dec31(2019)))
    assert dec31(2019) not in measurements(effect)
    assert datetime.date(2025, 3, 1) in measurements(effect)
    assert history(kolada_indicator)[0] == "indicator.value_removed"


def test_a_manual_indicator_fills_with_its_own_source_and_takes_back_a_removed_value(lead: Any) -> None:
    made = manual_indicator(lead)
    effect = effect_indicator(lead)
    services.indicator_link(actor=lead, indicator=made, effect_indicator=effect)
    added = services.indicator_value_add(
        actor=lead, indicator=made, measured_on=datetime.date(2024, 6, 1), value=Decimal("8.1")
    )
    assert measurements(effect)[datetime.date(2024, 6, 1)] == (Decimal("8.10"), "manual")
    services.indicator_value_remove(actor=lead, value=added)
    assert set(measurements(effect)) == {datetime.date(2021, 12, 31), datetime.date(2025, 3, 1)}


def test_another_source_replaces_what_the_first_filled_and_unlinking_keeps_the_figures(
    lead: Any, kolada_indicator: Indicator, recorded: RecordedKolada
) -> None:
    services.kolada_import(actor=lead, indicator=kolada_indicator, years=YEARS)
    effect = effect_indicator(lead)
    services.indicator_link(actor=lead, indicator=kolada_indicator, effect_indicator=effect)
    other = manual_indicator(lead)
    services.indicator_value_add(actor=lead, indicator=other, measured_on=dec31(2022), value=Decimal("5"))
    services.indicator_link(actor=lead, indicator=other, effect_indicator=effect)
    assert measurements(effect) == {
        dec31(2022): (Decimal("5.00"), "manual"),
        datetime.date(2025, 3, 1): (Decimal("7.00"), "manual"),
    }
    assert history(kolada_indicator)[0] == "indicator.unlinked"
    services.indicator_unlink(actor=lead, effect_indicator=effect)
    effect.refresh_from_db()
    assert effect.feed is None
    assert len(measurements(effect)) == 2
    assert history(effect.goal.initiative)[0] == "initiative.indicator_unlinked"


# Values from surveys.


def survey(team: Any, closes_on: datetime.date, *, key: str = "influence", closed: bool = True) -> Survey:
    made = Survey.objects.create(
        title="Självskattning självorganisering",
        team=team,
        opens_on=closes_on - datetime.timedelta(days=14),
        closes_on=closes_on,
        sent_at=timezone.now() - datetime.timedelta(days=30),
        closed_at=timezone.make_aware(datetime.datetime.combine(closes_on, datetime.time(17)))
        if closed
        else None,
    )
    Item.objects.create(survey=made, kind=Item.Kind.SCALE5, text="Jag kan påverka hur vi arbetar", key=key)
    return made


def test_each_closed_round_gives_the_teams_mean_on_its_closing_day(
    lead: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    norr, other = TeamFactory.create(name="Team Norr"), TeamFactory.create()
    first = survey(norr, datetime.date(2025, 10, 15))
    too_few = survey(norr, datetime.date(2026, 1, 15))
    second = survey(norr, datetime.date(2026, 4, 15))
    survey(norr, timezone.localdate() + datetime.timedelta(days=7), closed=False)  # still open
    survey(norr, datetime.date(2026, 2, 1), key="trust")  # another question
    survey(other, datetime.date(2026, 3, 1))  # another team
    asked: list[tuple[int, str, Any]] = []

    def item_mean(made: Survey, key: str, team: Any = None) -> tuple[int, Decimal | None]:
        asked.append((made.pk, key, team))
        means = {first.pk: (6, Decimal("3.4")), too_few.pk: (2, None), second.pk: (7, Decimal("3.714"))}
        return means[made.pk]

    monkeypatch.setattr(results, "item_mean", item_mean)
    made = services.indicator_create(
        actor=lead, name="Inflytande", source=Indicator.Source.SURVEY, survey_item_key="influence", team=norr
    )
    effect = effect_indicator(
        lead, name="Medarbetarinflytande", direction="increase", baseline=Decimal("3.1"), target=Decimal("4")
    )
    services.indicator_link(actor=lead, indicator=made, effect_indicator=effect)
    changes = services.refresh_from_surveys(made, actor=lead)
    assert sorted(pk for pk, _key, _team in asked) == sorted([first.pk, too_few.pk, second.pk])
    assert all(key == "influence" and team == norr for _pk, key, team in asked)
    assert values(made) == {
        datetime.date(2025, 10, 15): Decimal("3.40"),
        datetime.date(2026, 4, 15): Decimal("3.71"),
    }
    assert len(changes.added) == 2
    assert "(7 " in made.values.get(measured_on=datetime.date(2026, 4, 15)).source_note
    assert measurements(effect)[datetime.date(2026, 4, 15)] == (Decimal("3.71"), "survey")
    assert history(made)[0] == "indicator.survey_refreshed"
    assert not services.refresh_from_surveys(made, actor=lead).any  # nothing new: nothing recorded
    assert history(made).count("indicator.survey_refreshed") == 1


def test_a_round_gives_a_value_only_once_the_team_has_shared_its_results(
    lead: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(results, "item_mean", lambda made, key, team=None: (5, Decimal("4.2")))
    norr = TeamFactory.create()
    recent = survey(norr, timezone.localdate() - datetime.timedelta(days=3))
    made = services.indicator_create(
        actor=lead, name="Inflytande", source=Indicator.Source.SURVEY, survey_item_key="influence", team=norr
    )
    services.refresh_from_surveys(made)
    assert not made.values.exists()  # the results are still the team's own
    Release.objects.create(survey=recent, team=norr)
    services.refresh_survey_indicators(recent)
    assert values(made) == {recent.closes_on: Decimal("4.20")}


def test_a_closing_survey_updates_the_indicators_of_its_team_and_questions(
    lead: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(results, "item_mean", lambda made, key, team=None: (5, Decimal("4.2")))
    norr = TeamFactory.create()
    made = services.indicator_create(
        actor=lead, name="Inflytande", source=Indicator.Source.SURVEY, survey_item_key="influence", team=norr
    )
    services.refresh_survey_indicators(survey(norr, datetime.date(2026, 5, 1)))
    assert values(made) == {datetime.date(2026, 5, 1): Decimal("4.20")}


# Who may do what.


@pytest.mark.parametrize(
    ("who", "may"),
    [
        (lambda: team_member(), False),
        (lambda: researcher(), False),
        (lambda: facilitator(), True),
        (lambda: development_lead(), True),
        (lambda: administrator(), True),
    ],
)
def test_who_may_create_indicators(client: Any, who: Any, may: bool) -> None:
    client.force_login(who())
    url = reverse("followup:indicator_create")
    response = client.post(
        url, {"name": "Väntetid", "direction": "increase", "source": "manual", "kolada_gender": "T"}
    )
    assert response.status_code == (302 if may else 403)
    assert client.get(url).status_code == (200 if may else 403)
    assert Indicator.objects.exists() == may


def test_a_team_member_sees_indicators_but_changes_nothing(
    client: Any, lead: Any, kolada_indicator: Indicator
) -> None:
    client.force_login(team_member())
    assert client.get(reverse("followup:indicators")).status_code == 200
    response = client.get(kolada_indicator.get_absolute_url())
    assert response.status_code == 200
    assert reverse("followup:indicator_kolada", args=[kolada_indicator.pk]) not in page(response)
    for name in ("indicator_kolada", "indicator_value_add", "indicator_link", "indicator_refresh"):
        assert client.post(reverse(f"followup:{name}", args=[kolada_indicator.pk])).status_code == 403
    assert client.get(reverse("followup:indicator_edit", args=[kolada_indicator.pk])).status_code == 403


def test_logged_out_people_are_sent_to_log_in(client: Any, kolada_indicator: Indicator) -> None:
    for url in (reverse("followup:indicators"), kolada_indicator.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_facilitator_links_only_to_initiatives_of_their_own_teams(
    client: Any, lead: Any, kolada_indicator: Indicator
) -> None:
    person = facilitator()
    team = MembershipFactory.create(person=person).team
    own = indicator(goal(initiative(actor=lead, title="Vårt initiativ", teams=[team])), name="Eget mått")
    foreign = indicator(goal(initiative(actor=lead, title="Någon annans")), name="Främmande mått")
    client.force_login(person)
    url = kolada_indicator.get_absolute_url()
    shown = page(client.get(url))
    assert "Eget mått" in shown and "Främmande mått" not in shown
    response = client.post(
        reverse("followup:indicator_link", args=[kolada_indicator.pk]), {"link-effect_indicator": foreign.pk}
    )
    assert response.status_code == 400
    foreign.refresh_from_db()
    assert foreign.feed is None
    response = client.post(
        reverse("followup:indicator_link", args=[kolada_indicator.pk]), {"link-effect_indicator": own.pk}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.feed == kolada_indicator


# Pages.


def test_the_list_shows_each_indicator_with_its_latest_value_and_source(
    client: Any, lead: Any, kolada_indicator: Indicator, recorded: RecordedKolada
) -> None:
    services.kolada_import(actor=lead, indicator=kolada_indicator, years=YEARS)
    manual_indicator(lead)
    client.force_login(lead)
    response = client.get(reverse("followup:indicators"))
    assert reverse("followup:indicators") == "/uppfoljning/indikatorer/"
    shown = page(response)
    assert response.status_code == 200
    assert "Arbetslöshet i kommunen" in shown and "8,22" in shown and "(2023)" in shown
    assert "Väntetid till första besök" in shown
    assert 'aria-current="page">' in shown


def test_the_list_takes_the_same_number_of_queries_however_many_indicators(
    client: Any, lead: Any, recorded: RecordedKolada
) -> None:
    def make(count: int) -> None:
        for n in range(count):
            made = services.indicator_create(actor=lead, **{**KOLADA_FIELDS, "name": f"Indikator {n}"})
            services.kolada_import(actor=lead, indicator=made, years=YEARS)
            services.indicator_link(
                actor=lead, indicator=made, effect_indicator=indicator(goal(initiative(actor=lead)))
            )

    client.force_login(lead)
    url = reverse("followup:indicators")
    make(1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make(6)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert page(response).count("Indikator ") == 7
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_indicator_page_has_a_chart_a_table_and_the_goals_it_fills(
    client: Any, lead: Any, kolada_indicator: Indicator, recorded: RecordedKolada
) -> None:
    services.kolada_import(actor=lead, indicator=kolada_indicator, years=YEARS)
    effect = effect_indicator(lead)
    services.indicator_link(actor=lead, indicator=kolada_indicator, effect_indicator=effect)
    client.force_login(team_member())
    shown = page(client.get(kolada_indicator.get_absolute_url()))
    assert shown.count('class="chart__point"') == 5
    assert re.search(r'<svg class="chart"[^>]*role="img"', shown)
    assert "<caption" in shown and 'scope="row"' in shown
    assert "Källa: Kolada" in shown
    assert effect.goal.initiative.get_absolute_url() in shown
    ids = re.findall(r'\sid="([^"]+)"', shown)
    assert len(ids) == len(set(ids))


def test_forms_come_back_with_errors_and_what_was_written(
    client: Any, lead: Any, kolada_indicator: Indicator
) -> None:
    client.force_login(lead)
    response = client.post(
        reverse("followup:indicator_create"), {"name": "", "source": "kolada", "kolada_kpi": "fel"}
    )
    assert response.status_code == 400
    assert 'value="fel"' in page(response)
    made = manual_indicator(lead)
    response = client.post(reverse("followup:indicator_value_add", args=[made.pk]), {"value-value": "tolv"})
    assert response.status_code == 400
    assert "error-summary" in page(response) and 'value="tolv"' in page(response)
    response = client.post(
        reverse("followup:indicator_edit", args=[kolada_indicator.pk]),
        {
            "name": "Arbetslöshet",
            "direction": "decrease",
            "source": "kolada",
            "kolada_kpi": "N03937",
            "kolada_municipality": "x",
            "kolada_gender": "T",
        },
    )
    assert response.status_code == 400


def test_a_value_is_added_and_removed_on_the_page(client: Any, lead: Any) -> None:
    made = manual_indicator(lead)
    client.force_login(lead)
    response = client.post(
        reverse("followup:indicator_value_add", args=[made.pk]),
        {"value-measured_on": "2026-03-01", "value-value": "14,5", "value-source_note": "Egen räkning"},
    )
    assert response.status_code == 302
    value = made.values.get()
    assert value.value == Decimal("14.5")
    response = client.post(reverse("followup:indicator_value_remove", args=[made.pk, value.pk]))
    assert response.status_code == 302
    assert not made.values.exists()


def test_the_kolada_form_shows_a_failure_and_keeps_the_years(
    client: Any, lead: Any, kolada_indicator: Indicator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kolada, "http_get", RecordedKolada({N03937_2019_2024: requests.Timeout("slow")}))
    client.force_login(lead)
    url = reverse("followup:indicator_kolada", args=[kolada_indicator.pk])
    response = client.post(url, {"kolada-first_year": "2019", "kolada-last_year": "2024"})
    assert response.status_code == 400
    shown = page(response)
    assert "error-summary" in shown and "10 sekunder" in shown
    assert 'value="2019"' in shown and 'value="2024"' in shown
    assert not kolada_indicator.values.exists()
    response = client.post(url, {"kolada-first_year": "2024", "kolada-last_year": "2019"})
    assert response.status_code == 400


def test_the_kolada_form_imports_and_says_what_it_did(
    client: Any, lead: Any, kolada_indicator: Indicator, recorded: RecordedKolada
) -> None:
    client.force_login(lead)
    url = reverse("followup:indicator_kolada", args=[kolada_indicator.pk])
    response = client.post(url, {"kolada-first_year": "2019", "kolada-last_year": "2024"}, follow=True)
    assert response.status_code == 200
    shown = page(response)
    assert "5 nya värden" in shown
    assert "2024" in shown
    assert kolada_indicator.values.count() == 5


def test_an_effect_goal_is_linked_and_unlinked_on_the_indicator_page(
    client: Any, lead: Any, kolada_indicator: Indicator, recorded: RecordedKolada
) -> None:
    services.kolada_import(actor=lead, indicator=kolada_indicator, years=YEARS)
    effect = effect_indicator(lead)
    client.force_login(lead)
    assert "Arbetslöshet" in page(client.get(kolada_indicator.get_absolute_url()))
    response = client.post(
        reverse("followup:indicator_link", args=[kolada_indicator.pk]), {"link-effect_indicator": effect.pk}
    )
    assert response.status_code == 302
    assert len(measurements(effect)) == 6
    assert client.post(reverse("followup:indicator_link", args=[kolada_indicator.pk]), {}).status_code == 400
    response = client.post(reverse("followup:indicator_unlink", args=[kolada_indicator.pk, effect.pk]))
    assert response.status_code == 302
    effect.refresh_from_db()
    assert effect.feed is None


def test_the_survey_button_updates_the_values(
    client: Any, lead: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(results, "item_mean", lambda made, key, team=None: (5, Decimal("4.2")))
    norr = TeamFactory.create()
    survey(norr, datetime.date(2026, 5, 1))
    made = services.indicator_create(
        actor=lead, name="Inflytande", source=Indicator.Source.SURVEY, survey_item_key="influence", team=norr
    )
    client.force_login(lead)
    form = page(client.get(reverse("followup:indicator_edit", args=[made.pk])))
    assert "Jag kan påverka hur vi arbetar (influence)" in form
    assert client.post(reverse("followup:indicator_refresh", args=[made.pk])).status_code == 302
    assert values(made) == {datetime.date(2026, 5, 1): Decimal("4.20")}


# The command and the demo.


def test_the_command_imports_years_and_a_failure_changes_nothing(
    lead: Any, kolada_indicator: Indicator, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.setattr(kolada, "http_get", RecordedKolada())
    call_command("import-kolada", str(kolada_indicator.pk), "--years", "2019-2024")
    assert "5 new values" in capsys.readouterr().out
    IndicatorValue.objects.update(value=Decimal("1"))
    monkeypatch.setattr(kolada, "http_get", RecordedKolada({N03937_2019_2024: FakeResponse(500)}))
    with pytest.raises(CommandError, match="HTTP 500"):
        call_command("import-kolada", str(kolada_indicator.pk), "--years", "2019-2024")
    assert set(values(kolada_indicator).values()) == {Decimal("1")}
    with pytest.raises(CommandError):
        call_command("import-kolada", str(kolada_indicator.pk), "--years", "nittiotal")
    with pytest.raises(CommandError):
        call_command("import-kolada", "999999", "--years", "2020")


def test_the_demo_has_a_kolada_indicator_and_a_survey_indicator_that_fills_an_effect_goal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tillit.followup.demo.indicators import load_demo_indicators
    from tillit.labs.demo import load_demo_labs
    from tillit.organisation.demo.exempelstad import load_exempelstad

    def no_network(url: str) -> FakeResponse:
        raise AssertionError(f"the demo went on the network: {url}")

    monkeypatch.setattr(kolada, "http_get", no_network)
    monkeypatch.setattr(results, "item_mean", lambda made, key, team=None: (6, Decimal("3.6")))
    load_exempelstad()
    load_demo_labs()
    load_demo_indicators()
    unemployment = Indicator.objects.get(source=Indicator.Source.KOLADA)
    assert unemployment.values.count() == 6
    assert {value.source_note for value in unemployment.values.all()} == {services.source_note("kolada")}
    influence = Indicator.objects.get(source=Indicator.Source.SURVEY)
    assert influence.team is not None and influence.team.name == "Barn, unga, familj – team Norr"
    assert influence.survey_item_key == "influence"
    effect = labs.Indicator.objects.get(name="Medarbetarinflytande")
    assert effect.feed == influence
