"""Tests for detection of Swedish personal identity and coordination numbers in free text."""

from __future__ import annotations

import calendar
import datetime as dt
import string

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st

from tillit.core.sensitive import (
    IdentityNumberMatch,
    find_identity_numbers,
    luhn_check_digit,
    validate_no_identity_numbers,
)

# --- Independent reference implementation -------------------------------------------------------------


def luhn_valid(ten_digits: str) -> bool:
    """Classic Luhn check (double every second digit from the right), written independently."""
    total = 0
    for position, char in enumerate(reversed(ten_digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def reference_check_digit(nine_digits: str) -> int:
    (digit,) = [c for c in range(10) if luhn_valid(f"{nine_digits}{c}")]
    return digit


def date_valid_either_century(yymmdd: str) -> bool:
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    if not 1 <= mm <= 12:
        return False
    return any(
        1 <= dd - offset <= calendar.monthrange(year, mm)[1]
        for year in (1900 + yy, 2000 + yy)
        for offset in (0, 60)
    )


def is_valid_ten(ten_digits: str) -> bool:
    """Would a bare ten-digit run be a valid personnummer/samordningsnummer?"""
    return date_valid_either_century(ten_digits[:6]) and luhn_valid(ten_digits)


# --- Strategies -----------------------------------------------------------------------------------------

FORMATS = ["10-", "10+", "10", "12-", "12", "12+"]

# Surrounding text: letters (including Swedish ones), whitespace and punctuation, never digits.
FILLER_ALPHABET = string.ascii_letters + "åäöÅÄÖé" + " \n\t.,;:!?()[]\"'/-+*&%"
BOUNDARY_CHARS = " \n\t.,;:!?()[]\"'/-"

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
serials = st.integers(min_value=0, max_value=999)


@st.composite
def surrounding(draw: st.DrawFn) -> tuple[str, str]:
    """A prefix and a suffix that are not attached to the number (boundary char or text edge)."""
    prefix = draw(st.text(FILLER_ALPHABET, max_size=20))
    suffix = draw(st.text(FILLER_ALPHABET, max_size=20))
    if prefix:
        prefix += draw(st.sampled_from(BOUNDARY_CHARS))
    if suffix:
        suffix = draw(st.sampled_from(BOUNDARY_CHARS)) + suffix
    return prefix, suffix


def build(date: dt.date, serial: int, fmt: str, *, coordination: bool = False, check_delta: int = 0) -> str:
    day = date.day + 60 if coordination else date.day
    yymmdd = f"{date.year % 100:02d}{date.month:02d}{day:02d}"
    nnn = f"{serial:03d}"
    check = (reference_check_digit(yymmdd + nnn) + check_delta) % 10
    separator = fmt[2:]
    century = f"{date.year // 100:02d}" if fmt.startswith("12") else ""
    return f"{century}{yymmdd}{separator}{nnn}{check}"


# --- Property-based tests -------------------------------------------------------------------------------


@given(date=dates, serial=serials, fmt=st.sampled_from(FORMATS), around=surrounding())
def test_valid_personnummer_is_found_in_any_format_and_context(
    date: dt.date, serial: int, fmt: str, around: tuple[str, str]
) -> None:
    number = build(date, serial, fmt)
    prefix, suffix = around
    text = prefix + number + suffix
    assert find_identity_numbers(text) == [
        IdentityNumberMatch(
            text=number, start=len(prefix), end=len(prefix) + len(number), kind="personnummer"
        )
    ]


@given(date=dates, serial=serials, fmt=st.sampled_from(FORMATS), around=surrounding())
def test_valid_samordningsnummer_is_found_in_any_format_and_context(
    date: dt.date, serial: int, fmt: str, around: tuple[str, str]
) -> None:
    number = build(date, serial, fmt, coordination=True)
    prefix, suffix = around
    text = prefix + number + suffix
    assert find_identity_numbers(text) == [
        IdentityNumberMatch(
            text=number, start=len(prefix), end=len(prefix) + len(number), kind="samordningsnummer"
        )
    ]


@given(
    date=dates,
    serial=serials,
    fmt=st.sampled_from(FORMATS),
    coordination=st.booleans(),
    check_delta=st.integers(min_value=1, max_value=9),
    around=surrounding(),
)
def test_wrong_check_digit_is_never_found(
    date: dt.date, serial: int, fmt: str, coordination: bool, check_delta: int, around: tuple[str, str]
) -> None:
    number = build(date, serial, fmt, coordination=coordination, check_delta=check_delta)
    prefix, suffix = around
    assert find_identity_numbers(prefix + number + suffix) == []


@given(
    date=dates,
    serial=serials,
    fmt=st.sampled_from(FORMATS),
    attached_before=st.sampled_from(["", "A", "x", "ö", "_", "0", "7"]),
    attached_after=st.sampled_from(["", "A", "x", "ö", "_", "0", "7"]),
)
def test_number_attached_to_letters_or_digits_is_not_found(
    date: dt.date, serial: int, fmt: str, attached_before: str, attached_after: str
) -> None:
    assume(attached_before or attached_after)
    number = build(date, serial, fmt)
    text = f"ref {attached_before}{number}{attached_after} end"
    # A digit glued in front of a 10-digit number makes an 11-digit run; in front of a 12-digit number it
    # makes a 13-digit run. Neither is a candidate, and nor is anything glued to a letter.
    assert find_identity_numbers(text) == []


def test_luhn_check_digit_agrees_with_reference() -> None:
    for value in [*range(0, 1_000_000_000, 7_654_321), 999_999_999]:
        nine = f"{value:09d}"
        assert luhn_check_digit(nine) == reference_check_digit(nine)


@pytest.mark.parametrize("bad", ["", "12345678", "1234567890", "12345678a", "١٢٣٤٥٦٧٨٩"])
def test_luhn_check_digit_rejects_malformed_input(bad: str) -> None:
    with pytest.raises(ValueError, match="nine ASCII digits"):
        luhn_check_digit(bad)


digit = st.integers(min_value=0, max_value=9).map(str)


def digits(n: int) -> st.SearchStrategy[str]:
    return st.lists(digit, min_size=n, max_size=n).map("".join)


@st.composite
def swedish_phone_numbers(draw: st.DrawFn) -> str:
    """Swedish phone numbers as people write them: grouped in anything but 6+4."""
    mobile = "7" + draw(st.sampled_from("02369"))  # 70, 72, 73, 76, 79
    a, b, c, d = draw(digits(3)), draw(digits(2)), draw(digits(2)), draw(digits(3))
    area4 = draw(st.sampled_from(["0300", "0413", "0470", "0920"]))
    return draw(
        st.sampled_from(
            [
                f"0{mobile}-{a} {b} {c}",
                f"0{mobile} {a} {b} {c}",
                f"0{mobile}-{a}{b}{c}",
                f"0{mobile}-{a}-{b}-{c}",
                f"+46 {mobile} {a} {b} {c}",
                f"+46{mobile}{a}{b}{c}",
                f"+46 (0){mobile}-{a} {b} {c}",
                f"0046{mobile}{a}{b}{c}",
                f"08-{a} {d[:2]} {b}",
                f"08-{a}{b}{c}",
                f"08-{b} {c} {b}",
                f"+46 8 {a} {b} {c}",
                f"{area4}-{b} {c} {b}",
                f"{area4}-{d}{b}",
                f"020-{a} {d}",
            ]
        )
    )


@given(phone=swedish_phone_numbers(), around=surrounding())
def test_grouped_phone_numbers_are_never_found(phone: str, around: tuple[str, str]) -> None:
    prefix, suffix = around
    assert find_identity_numbers(prefix + phone + suffix) == []


@given(rest=digits(8), around=surrounding())
def test_ungrouped_ten_digit_mobile_number_only_found_when_it_really_is_valid(
    rest: str, around: tuple[str, str]
) -> None:
    # "07XXXXXXXX" written without separators is indistinguishable from a 10-digit personnummer born
    # in 1907/2007: roughly one in ten of those with a real date passes the check digit. The detector
    # may only flag it when it really is a valid number, so we compare with the reference check.
    phone = "07" + rest
    prefix, suffix = around
    found = find_identity_numbers(prefix + phone + suffix)
    assert bool(found) == is_valid_ten(phone)


@given(rest=digits(8))
def test_ungrouped_invalid_mobile_number_is_not_found(rest: str) -> None:
    phone = "07" + rest
    # Filter out the ~3 % of these that happen to be valid numbers (see the test above).
    assume(not is_valid_ten(phone))
    assert find_identity_numbers(f"Ring mig på {phone}!") == []


@given(
    date=st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31)),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    style=st.integers(0, 6),
    around=surrounding(),
)
def test_dates_are_never_found(
    date: dt.date, hour: int, minute: int, style: int, around: tuple[str, str]
) -> None:
    written = [
        date.isoformat(),
        f"{date.isoformat()} {hour:02d}:{minute:02d}",
        f"{date.isoformat()}T{hour:02d}:{minute:02d}:00",
        f"{date.day}/{date.month} {date.year}",
        f"{date.day:02d}.{date.month:02d}.{date.year}",
        date.strftime("%Y%m%d"),
        f"{date.isoformat()}–{(date + dt.timedelta(days=1)).isoformat()}",
    ][style]
    prefix, suffix = around
    assert find_identity_numbers(prefix + written + suffix) == []


@given(
    amount=st.integers(min_value=0, max_value=10**13),
    ore=st.integers(min_value=0, max_value=99),
    grouped=st.booleans(),
    around=surrounding(),
)
def test_amounts_are_never_found(amount: int, ore: int, grouped: bool, around: tuple[str, str]) -> None:
    if grouped:
        integer_part = f"{amount:,}".replace(",", " ")  # Swedish thousands separator: groups of three
    else:
        integer_part = str(amount)
        # An ungrouped 10- or 12-digit integer part is a bare digit run that may well be a valid
        # number (e.g. 8112189876,00 kr); nobody writes amounts like that, so leave those out.
        assume(len(integer_part) not in (10, 12))
    prefix, suffix = around
    text = f"{prefix}{integer_part},{ore:02d} kr{suffix}"
    assert find_identity_numbers(text) == []


@given(code=st.integers(min_value=10000, max_value=99999), city=st.sampled_from(["Helsingborg", "Umeå"]))
def test_postal_codes_are_never_found(code: int, city: str) -> None:
    text = f"Storgatan 1, {str(code)[:3]} {str(code)[3:]} {city}"
    assert find_identity_numbers(text) == []


# --- Examples -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("811218-9876", "personnummer"),
        ("19811218-9876", "personnummer"),
        ("198112189876", "personnummer"),
        ("8112189876", "personnummer"),
        ("811218+9876", "personnummer"),
        ("121212-1212", "personnummer"),
        ("121212+1212", "personnummer"),
        ("19121212+1212", "personnummer"),
        ("20121212-1212", "personnummer"),
        ("000229-1235", "personnummer"),  # 29 Feb 2000 (leap year)
        ("040229-1231", "personnummer"),  # 29 Feb 1904/2004
        ("701063-2391", "samordningsnummer"),  # day 63 = the 3rd + 60
        ("19701063-2391", "samordningsnummer"),
        ("7010632391", "samordningsnummer"),
    ],
)
def test_known_valid_numbers_are_found(number: str, kind: str) -> None:
    # Guard against typos in the table: verify each example with the reference implementation.
    ten = number.replace("-", "").replace("+", "")[-10:]
    assert is_valid_ten(ten)
    text = f"Brukaren ({number}) har ringt."
    assert find_identity_numbers(text) == [
        IdentityNumberMatch(text=number, start=10, end=10 + len(number), kind=kind)  # type: ignore[arg-type]
    ]


@pytest.mark.parametrize(
    "text",
    [
        "811218-9875",  # wrong check digit
        "811232-9876",  # no 32nd of December
        "811232-9878",  # ... even with a check digit that is right for the digits
        "810229-0007",  # 29 Feb in neither 1981 nor 2081, right check digit
        "811318-9875",  # month 13, right check digit
        "701092-2396",  # coordination day 92 (= 32nd), right check digit
        "701060-2394",  # coordination day 60 (= 0th), right check digit
        "17811218-9876",  # century 17
        "21811218-9876",  # century 21
        "811218 9876",  # space is not an accepted separator
        "811218--9876",
        "A811218-9876",
        "811218-9876B",
        "x8112189876",
        "18112189876",  # 11-digit run
        "98112189876 1",
        "1198112189876",  # 13-digit run
        "070-123 45 67",
        "+46 70 123 45 67",
        "08-123 456 78",
        "2024-05-17",
        "17/5 2024",
        "252 25 Helsingborg",
        "1 234 567,00 kr",
        "12345678,90",
        "Order 4711-2024-0815",
        "Faktura 1234567890",
        "OCR 12345678901234",
    ],
)
def test_non_numbers_are_not_found(text: str) -> None:
    assert find_identity_numbers(text) == []


@pytest.mark.parametrize(
    "number", ["811232-9878", "810229-0007", "811318-9875", "701092-2396", "701060-2394"]
)
def test_invalid_date_examples_have_a_correct_check_digit(number: str) -> None:
    # These examples must be rejected because of the date alone, not by accident of the check digit.
    assert luhn_valid(number.replace("-", ""))
    assert not date_valid_either_century(number[:6])


def test_ten_digit_phone_example_is_decided_by_check_digit() -> None:
    # 070123 is a valid date (23 Jan 1907/2007), so only the check digit decides.
    assert reference_check_digit("070123456") == 9
    assert find_identity_numbers("0701234567") == []
    assert [m.text for m in find_identity_numbers("0701234569")] == ["0701234569"]


def test_order_number_after_hyphen_is_found_when_valid() -> None:
    assert [m.text for m in find_identity_numbers("ORD-8112189876")] == ["8112189876"]


def test_several_numbers_are_found_in_order() -> None:
    text = "Anna 811218-9876, Bo 701063-2391; Anna igen: 19811218-9876."
    assert find_identity_numbers(text) == [
        IdentityNumberMatch("811218-9876", 5, 16, "personnummer"),
        IdentityNumberMatch("701063-2391", 21, 32, "samordningsnummer"),
        IdentityNumberMatch("19811218-9876", 45, 58, "personnummer"),
    ]


def test_match_is_frozen() -> None:
    match = find_identity_numbers("811218-9876")[0]
    with pytest.raises(AttributeError):
        match.text = "x"  # type: ignore[misc]


# --- Validator ------------------------------------------------------------------------------------------


def test_validator_accepts_clean_text() -> None:
    validate_no_identity_numbers("Mötet 2024-05-17 kl 10:00, ring 070-123 45 67. Kostnad 1 234,00 kr.")


def test_validator_rejects_personnummer() -> None:
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        validate_no_identity_numbers("Brukaren 19811218-9876 ringde.")
    error = excinfo.value
    assert error.code == "identity_number"
    assert error.params == {"numbers": "19811218-9876", "count": 1}
    (message,) = error.messages
    assert message == (
        "The text contains what looks like a Swedish personal identity number (19811218-9876). "
        "Personal identity and coordination numbers must not be stored here, because this platform "
        "is not meant for client or patient data. Remove the number and try again."
    )


def test_validator_names_coordination_number() -> None:
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        validate_no_identity_numbers("Samordningsnummer 701063-2391")
    (message,) = excinfo.value.messages
    assert "a Swedish coordination number (701063-2391)" in message
    assert "personal identity number (" not in message


def test_validator_lists_all_numbers_once() -> None:
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        validate_no_identity_numbers("811218-9876 och 121212-1212, samt 811218-9876 igen")
    (message,) = excinfo.value.messages
    assert "Swedish personal identity numbers (811218-9876, 121212-1212)" in message
    assert "Remove the numbers and try again." in message


def test_validator_mixed_kinds() -> None:
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        validate_no_identity_numbers("811218-9876 och 701063-2391")
    (message,) = excinfo.value.messages
    assert "personal identity and coordination numbers (811218-9876, 701063-2391)" in message
