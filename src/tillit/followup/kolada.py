"""A small client for Kolada's open API (v3): the values of one KPI for one municipality, year by year.

``fetch`` reads every page of every request before it returns, and raises ``KoladaError`` (with a message a
person can act on) when anything is wrong, so that an import either has all its figures or writes nothing.
The client goes out on the network in one place, ``http_get``: tests replace it with recorded responses."""

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 10
# Kolada refuses a request for more years than this.
YEARS_PER_REQUEST = 25
# A guard against a chain of next pages that never ends.
MAX_PAGES = 200
FIRST_YEAR = 1950
MAX_YEARS = 100
CENT = Decimal("0.01")
# What an indicator value can hold (14 digits, 2 of them decimals).
LARGEST = Decimal("1e12")

KPI_PATTERN = re.compile(r"^[A-Z]\d{5}$")
MUNICIPALITY_PATTERN = re.compile(r"^\d{4}$")
YEARS_PATTERN = re.compile(r"^\s*(\d{4})\s*(?:[-–]\s*(\d{4})\s*)?$")


class KoladaError(Exception):
    """Kolada could not give the figures. The message says why, in words the person who asked understands."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def http_get(url: str) -> requests.Response:
    """The one place the client goes out on the network."""
    return requests.get(url, timeout=TIMEOUT_SECONDS, headers={"Accept": "application/json"})


def parse_years(text: str) -> list[int]:
    """Years as a person writes them: "2020", "2015-2024" or "2015–2024", or several separated by commas."""
    years: set[int] = set()
    for part in text.split(","):
        match = YEARS_PATTERN.match(part)
        if match is None:
            raise ValueError(_("Write years as 2024 or 2015-2024."))
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first:
            raise ValueError(_("The first year must come before the last."))
        years.update(range(first, last + 1))
    check_years(sorted(years))
    return sorted(years)


def check_years(years: list[int]) -> None:
    this_year = timezone.localdate().year
    if not years:
        raise ValueError(_("Give at least one year."))
    if years[0] < FIRST_YEAR or years[-1] > this_year:
        raise ValueError(
            _("Kolada has figures for years between %(first)d and %(last)d.")
            % {"first": FIRST_YEAR, "last": this_year}
        )
    if len(years) > MAX_YEARS:
        raise ValueError(_("At most %(count)d years at a time.") % {"count": MAX_YEARS})


def data_url(kpi: str, municipality: str, years: Iterable[int]) -> str:
    base = settings.KOLADA_URL.rstrip("/")
    year_list = ",".join(str(year) for year in years)
    return (
        f"{base}/data/kpi/{quote(kpi, safe='')}/municipality/{quote(municipality, safe='')}/year/{year_list}"
    )


def fetch(kpi: str, municipality: str, years: Iterable[int], gender: str = "T") -> dict[int, Decimal]:
    """Each year's value of the KPI for the municipality (T: everyone, K: women, M: men), rounded to two
    decimals. Years Kolada has no value for are left out; a KPI with no value at all is an error."""
    wanted = sorted(set(years))
    if not wanted:
        raise KoladaError(_("Give at least one year."))
    entries: list[dict[str, Any]] = []
    for start in range(0, len(wanted), YEARS_PER_REQUEST):
        entries.extend(_all_pages(data_url(kpi, municipality, wanted[start : start + YEARS_PER_REQUEST])))
    values: dict[int, Decimal] = {}
    for entry in entries:
        if str(entry.get("municipality", municipality)) != municipality:
            continue
        year = _year(entry.get("period"))
        if year not in wanted:
            continue
        for figure in _list(entry.get("values")):
            if not isinstance(figure, dict) or figure.get("gender") != gender or figure.get("value") is None:
                continue
            values[year] = _decimal(figure["value"])
    if not values:
        if entries:
            raise KoladaError(
                _(
                    "Kolada has figures for KPI %(kpi)s in municipality %(municipality)s, but none for the"
                    " chosen gender in these years. Choose “Total” if the KPI is not divided by gender."
                )
                % {"kpi": kpi, "municipality": municipality}
            )
        raise KoladaError(
            _(
                "Kolada has no figures for KPI %(kpi)s in municipality %(municipality)s for %(years)s. Check the"
                " KPI and the municipality code (on kolada.se), or choose other years."
            )
            % {"kpi": kpi, "municipality": municipality, "years": describe_years(wanted)}
        )
    return values


def describe_years(years: list[int]) -> str:
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(year) for year in years)


def _all_pages(url: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    next_url: str | None = url
    while next_url:
        if next_url in seen or len(seen) >= MAX_PAGES:
            raise KoladaError(_("Kolada's answer could not be read: its pages never end. Try again later."))
        seen.add(next_url)
        page = _get_json(next_url)
        entries.extend(entry for entry in _list(page.get("values")) if isinstance(entry, dict))
        following = page.get("next_url")
        if following is not None and not isinstance(following, str):
            raise _unreadable()
        next_url = following or None
    return entries


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = http_get(url)
    except requests.Timeout:
        raise KoladaError(
            _("Kolada did not answer within %(seconds)d seconds. Nothing was imported; try again later.")
            % {"seconds": TIMEOUT_SECONDS}
        ) from None
    except requests.ConnectionError:
        raise KoladaError(
            _(
                "Tillit could not reach Kolada. Nothing was imported; check the server's connection to the"
                " internet (or the KOLADA_URL setting), or try again later."
            )
        ) from None
    except requests.RequestException:
        raise KoladaError(_("The request to Kolada failed. Nothing was imported; try again later.")) from None
    if response.status_code != 200:
        if 400 <= response.status_code < 500:
            raise KoladaError(
                _(
                    "Kolada refused the request (HTTP %(status)d). Nothing was imported; check the KPI, the"
                    " municipality code and the years."
                )
                % {"status": response.status_code}
            )
        raise KoladaError(
            _("Kolada has a problem right now (HTTP %(status)d). Nothing was imported; try again later.")
            % {"status": response.status_code}
        )
    try:
        document = response.json()
    except ValueError:
        raise _unreadable() from None
    if not isinstance(document, dict) or not isinstance(document.get("values", []), list):
        raise _unreadable()
    return document


def _unreadable() -> KoladaError:
    return KoladaError(
        _("Kolada's answer could not be read (it was not the data Tillit expects). Nothing was imported.")
    )


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _unreadable()
    return value


def _year(period: Any) -> int:
    try:
        return int(str(period)[:4])
    except ValueError:
        raise _unreadable() from None


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _unreadable()
    try:
        number = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise _unreadable() from None
    if not number.is_finite() or abs(number) >= LARGEST:
        raise _unreadable()
    return number
