"""Detection of Swedish personal identity numbers in free text.

Tillit is a platform for governance and team work, not a case-management system: client and patient
data must never be stored in it. This module finds Swedish personal identity numbers (personnummer)
and coordination numbers (samordningsnummer) in free text, so that forms can refuse such text with a
clear explanation.

Recognised formats (``YY``/``YYYY`` year, ``MM`` month, ``DD`` day, ``NNN`` serial, ``C`` check digit):

* ``YYMMDD-NNNC``, ``YYMMDD+NNNC`` (``+`` marks a person aged 100 or more) and ``YYMMDDNNNC``;
* ``YYYYMMDD-NNNC``, ``YYYYMMDD+NNNC`` and ``YYYYMMDDNNNC`` (century 18, 19 or 20).

No other separator (such as a space) is accepted. A candidate must not be directly attached to a
letter, digit or underscore on either side; punctuation, whitespace and the start or end of the text
are fine. It is only reported when the date is a real calendar date (for a coordination number: the
day plus 60) and the Luhn check digit over the ten-digit form is correct. With a ten-digit number the
century is unknown, so the date is accepted if it is valid in either 19YY or 20YY.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Final, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext

__all__ = [
    "IdentityNumberKind",
    "IdentityNumberMatch",
    "find_identity_numbers",
    "luhn_check_digit",
    "validate_no_identity_numbers",
]

type IdentityNumberKind = Literal["personnummer", "samordningsnummer"]

PERSONNUMMER: Final = "personnummer"
SAMORDNINGSNUMMER: Final = "samordningsnummer"

# Coordination numbers have 60 added to the day of birth.
_COORDINATION_DAY_OFFSET: Final = 60

_CANDIDATE_RE: Final = re.compile(
    r"""
    (?<!\w)                       # not attached to a preceding letter, digit or underscore
    (?P<century>[0-9]{2})?        # optional century (12-digit form)
    (?P<date>[0-9]{6})            # YYMMDD
    (?P<separator>[-+]?)          # optional separator before the last four digits
    (?P<serial>[0-9]{3})          # NNN
    (?P<check>[0-9])              # C
    (?!\w)                        # not attached to a following letter, digit or underscore
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class IdentityNumberMatch:
    """A personal identity or coordination number found in a text."""

    text: str
    """The exact substring found, including century and separator as written."""
    start: int
    end: int
    kind: IdentityNumberKind


def luhn_check_digit(nine_digits: str) -> int:
    """Return the Luhn check digit for the nine digits ``YYMMDDNNN``.

    The digits are weighted 2, 1, 2, 1, ... from the left, the digit sums of the products are added,
    and the check digit is what brings the total up to the next multiple of ten.
    """
    if len(nine_digits) != 9 or not all(c in "0123456789" for c in nine_digits):
        raise ValueError(f"expected exactly nine ASCII digits, got {nine_digits!r}")
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def _is_valid_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _classify_date(years: tuple[int, ...], month: int, day: int) -> IdentityNumberKind | None:
    """Return the kind of number the date part denotes in any of ``years``, or ``None`` if invalid."""
    if any(_is_valid_date(year, month, day) for year in years):
        return PERSONNUMMER
    real_day = day - _COORDINATION_DAY_OFFSET
    if real_day >= 1 and any(_is_valid_date(year, month, real_day) for year in years):
        return SAMORDNINGSNUMMER
    return None


def _classify(match: re.Match[str]) -> IdentityNumberKind | None:
    century = match.group("century")
    date = match.group("date")
    yy, month, day = int(date[0:2]), int(date[2:4]), int(date[4:6])
    if century is not None:
        if century not in ("18", "19", "20"):
            return None
        years: tuple[int, ...] = (int(century + date[0:2]),)
    else:
        # The century of a ten-digit number is unknown; 18YY adds no dates that 19YY/20YY lack.
        years = (1900 + yy, 2000 + yy)
    kind = _classify_date(years, month, day)
    if kind is None:
        return None
    if luhn_check_digit(date + match.group("serial")) != int(match.group("check")):
        return None
    return kind


def find_identity_numbers(text: str) -> list[IdentityNumberMatch]:
    """Return the personal identity and coordination numbers in ``text``, in order of appearance."""
    found: list[IdentityNumberMatch] = []
    for match in _CANDIDATE_RE.finditer(text):
        kind = _classify(match)
        if kind is not None:
            found.append(
                IdentityNumberMatch(text=match.group(), start=match.start(), end=match.end(), kind=kind)
            )
    return found


def validate_no_identity_numbers(value: str) -> None:
    """Django validator: refuse text that contains Swedish personal identity or coordination numbers."""
    matches = find_identity_numbers(value)
    if not matches:
        return
    numbers = list(dict.fromkeys(match.text for match in matches))
    kinds = {match.kind for match in matches}
    count = len(numbers)
    if kinds == {PERSONNUMMER}:
        message = ngettext(
            "The text contains what looks like a Swedish personal identity number (%(numbers)s). "
            "Personal identity and coordination numbers must not be stored here, because this platform "
            "is not meant for client or patient data. Remove the number and try again.",
            "The text contains what look like Swedish personal identity numbers (%(numbers)s). "
            "Personal identity and coordination numbers must not be stored here, because this platform "
            "is not meant for client or patient data. Remove the numbers and try again.",
            count,
        )
    elif kinds == {SAMORDNINGSNUMMER}:
        message = ngettext(
            "The text contains what looks like a Swedish coordination number (%(numbers)s). "
            "Personal identity and coordination numbers must not be stored here, because this platform "
            "is not meant for client or patient data. Remove the number and try again.",
            "The text contains what look like Swedish coordination numbers (%(numbers)s). "
            "Personal identity and coordination numbers must not be stored here, because this platform "
            "is not meant for client or patient data. Remove the numbers and try again.",
            count,
        )
    else:
        message = gettext(
            "The text contains what look like Swedish personal identity and coordination numbers "
            "(%(numbers)s). Personal identity and coordination numbers must not be stored here, because "
            "this platform is not meant for client or patient data. Remove the numbers and try again."
        )
    raise ValidationError(
        message,
        code="identity_number",
        params={"numbers": ", ".join(numbers), "count": count},
    )
