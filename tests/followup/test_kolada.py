"""The Kolada client against recorded responses in Kolada's own format: values, pages, gaps and every way the
request can fail. Nothing here goes on the network."""

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
import requests

from tillit.followup import kolada
from tillit.followup.kolada import KoladaError, fetch, parse_years

from .kolada import (
    N00945_2015_2022,
    N03937_2019_2024,
    FakeResponse,
    RecordedKolada,
    recording,
    serve_recorded,
)

YEARS_2019_2024 = list(range(2019, 2025))
YEARS_2015_2022 = list(range(2015, 2023))


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> RecordedKolada:
    fake = RecordedKolada()
    monkeypatch.setattr(kolada, "http_get", fake)
    return fake


def answer(monkeypatch: pytest.MonkeyPatch, response: FakeResponse | BaseException) -> RecordedKolada:
    fake = RecordedKolada({N03937_2019_2024: response})
    monkeypatch.setattr(kolada, "http_get", fake)
    return fake


def test_each_year_gets_the_value_for_everyone_and_a_year_without_a_value_is_left_out(
    recorded: RecordedKolada,
) -> None:
    values = fetch("N03937", "1283", YEARS_2019_2024)
    assert values == {
        2019: Decimal("7.90"),
        2020: Decimal("9.60"),
        2021: Decimal("9.10"),
        2022: Decimal("8.00"),
        2023: Decimal("8.22"),  # 8.216, rounded to the two decimals a value keeps
    }
    assert recorded.asked == ["https://api.kolada.se/v3" + N03937_2019_2024]


@pytest.mark.parametrize(("gender", "expected"), [("K", Decimal("7.40")), ("M", Decimal("8.30"))])
def test_women_and_men_are_read_apart(recorded: RecordedKolada, gender: str, expected: Decimal) -> None:
    assert fetch("N03937", "1283", YEARS_2019_2024, gender)[2019] == expected


def test_the_next_pages_are_followed(recorded: RecordedKolada) -> None:
    values = fetch("N00945", "0180", YEARS_2015_2022)
    assert sorted(values) == [2015, 2016, 2017, 2018, 2019, 2020, 2021]  # 2022 is null on page 2
    assert values[2020] == Decimal("23.50")
    assert len(recorded.asked) == 2
    assert recorded.asked[1].endswith("?page=2&per_page=5")


def test_the_address_comes_from_the_setting(recorded: RecordedKolada, settings: Any) -> None:
    settings.KOLADA_URL = "https://kolada-spegel.kommun.example/v3/"
    fetch("N03937", "1283", YEARS_2019_2024)
    assert recorded.asked == ["https://kolada-spegel.kommun.example/v3" + N03937_2019_2024]


def test_more_than_25_years_are_asked_for_in_several_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[list[int]] = []

    def kolada_with_one_value_per_request(url: str) -> FakeResponse:
        years = [int(year) for year in url.rsplit("/", 1)[1].split(",")]
        asked.append(years)
        entry = {"kpi": "N00945", "municipality": "0180", "period": years[0]}
        entry["values"] = [{"gender": "T", "count": 1, "status": "", "value": float(years[0] - 1900)}]
        return FakeResponse(200, json.dumps({"count": 1, "values": [entry]}))

    monkeypatch.setattr(kolada, "http_get", kolada_with_one_value_per_request)
    values = fetch("N00945", "0180", range(1970, 2026))
    assert [len(years) for years in asked] == [25, 25, 6]
    assert [years[0] for years in asked] == [1970, 1995, 2020]
    assert values == {1970: Decimal("70.00"), 1995: Decimal("95.00"), 2020: Decimal("120.00")}


def test_a_kpi_with_no_data_at_all_is_an_error_that_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    answer(monkeypatch, FakeResponse(200, recording("no-data.json")))
    with pytest.raises(KoladaError) as raised:
        fetch("N03937", "1283", YEARS_2019_2024)
    assert "N03937" in raised.value.message
    assert "1283" in raised.value.message
    assert "2019–2024" in raised.value.message


def test_a_kpi_that_is_not_divided_by_gender_says_to_choose_total(monkeypatch: pytest.MonkeyPatch) -> None:
    answer(monkeypatch, FakeResponse(200, recording("only-total.json")))
    with pytest.raises(KoladaError, match="Välj ”Totalt”"):
        fetch("N03937", "1283", YEARS_2019_2024, "K")


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        (requests.Timeout("read timed out"), "inom 10 sekunder"),
        (requests.ConnectTimeout("connect timed out"), "inom 10 sekunder"),
        (requests.ConnectionError("Name or service not known"), "kunde inte nå Kolada"),
        (requests.TooManyRedirects("too many"), "Anropet till Kolada misslyckades"),
        (FakeResponse(500, "<html>Internal Server Error</html>"), "HTTP 500"),
        (FakeResponse(503, ""), "HTTP 503"),
        (FakeResponse(404, '{"error": "Not found"}'), "HTTP 404"),
        (FakeResponse(200, "<html>Kolada är tillfälligt nere</html>"), "gick inte att läsa"),
        (FakeResponse(200, "[1, 2, 3]"), "gick inte att läsa"),
        (FakeResponse(200, '{"values": {"period": 2020}}'), "gick inte att läsa"),
        (FakeResponse(200, '{"values": [{"period": "tjugo", "values": []}]}'), "gick inte att läsa"),
        (
            FakeResponse(
                200, '{"values": [{"period": 2020, "values": [{"gender": "T", "value": "mycket"}]}]}'
            ),
            "gick inte att läsa",
        ),
        (FakeResponse(200, '{"values": [], "next_url": 7}'), "gick inte att läsa"),
    ],
)
def test_every_failure_is_a_kolada_error_a_person_understands(
    monkeypatch: pytest.MonkeyPatch, failure: FakeResponse | BaseException, words: str
) -> None:
    answer(monkeypatch, failure)
    with pytest.raises(KoladaError) as raised:
        fetch("N03937", "1283", YEARS_2019_2024)
    assert words in raised.value.message
    assert "Traceback" not in raised.value.message


def test_a_failure_on_the_second_page_fails_the_whole_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = RecordedKolada({N00945_2015_2022: "n00945-0180-2015-2022-page-1.json"})
    monkeypatch.setattr(kolada, "http_get", fake)
    with pytest.raises(KoladaError, match="HTTP 404"):
        fetch("N00945", "0180", YEARS_2015_2022)
    assert len(fake.asked) == 2


def test_pages_that_point_back_are_not_followed_for_ever(monkeypatch: pytest.MonkeyPatch) -> None:
    looping = FakeResponse(
        200, '{"values": [], "next_url": "https://api.kolada.se/v3' + N03937_2019_2024 + '"}'
    )
    answer(monkeypatch, looping)
    with pytest.raises(KoladaError, match="sidorna tar aldrig slut"):
        fetch("N03937", "1283", YEARS_2019_2024)


def test_the_request_has_a_timeout_of_ten_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, dict[str, Any]]] = []

    def get(url: str, **kwargs: Any) -> FakeResponse:
        calls.append((url, kwargs))
        raise requests.Timeout("read timed out")

    monkeypatch.setattr(requests, "get", get)
    with pytest.raises(KoladaError, match="inom 10 sekunder"):
        fetch("N03937", "1283", YEARS_2019_2024)
    assert calls == [
        (
            "https://api.kolada.se/v3" + N03937_2019_2024,
            {"timeout": 10, "headers": {"Accept": "application/json"}},
        )
    ]


def test_a_local_kolada_at_the_configured_address_answers_over_http(settings: Any) -> None:
    """The way a browser test can import from recorded responses: KOLADA_URL pointing at a local server."""
    with serve_recorded() as url:
        settings.KOLADA_URL = url
        values = fetch("N00945", "0180", YEARS_2015_2022)
    assert len(values) == 7


def test_a_kolada_that_is_not_there_is_a_connection_error(settings: Any) -> None:
    with serve_recorded() as url:
        pass
    settings.KOLADA_URL = url  # the server has stopped: nothing listens at the address any more
    with pytest.raises(KoladaError, match="kunde inte nå Kolada"):
        fetch("N00945", "0180", YEARS_2015_2022)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2020", [2020]),
        ("2015-2018", [2015, 2016, 2017, 2018]),
        ("2015–2017", [2015, 2016, 2017]),
        (" 2015 - 2016 ", [2015, 2016]),
        ("2019,2021-2022", [2019, 2021, 2022]),
    ],
)
def test_years_are_read_as_a_person_writes_them(text: str, years: list[int]) -> None:
    assert parse_years(text) == years


@pytest.mark.parametrize(
    "text", ["", "tjugo", "2020-2015", "20", "1900-1910", f"{datetime.date.today().year + 1}"]
)
def test_years_that_cannot_be_asked_for_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        parse_years(text)
