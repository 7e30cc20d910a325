"""Reading CSV files from a financial system: the encodings and separators Swedish systems write, amounts with
a decimal comma, and one message per wrong row. The formats are described in docs/economy.md."""

import csv
import datetime
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

MAX_MESSAGES = 50


@dataclass
class Row:
    line: int
    values: dict[str, str]


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252")


def _key(header: str) -> str:
    return slugify(header.replace("å", "a").replace("ä", "a").replace("ö", "o")).replace("-", "_")


def read_rows(content: bytes, columns: Mapping[str, tuple[str, ...]], required: set[str]) -> list[Row]:
    """The file's rows as {column: text}, by the first line's headings. `columns` names each column with the
    headings it may have (case, å ä ö and spaces do not matter). Raises with the missing headings."""
    text = _decode(content)
    if not text.strip():
        raise ValidationError(_("The file is empty."))
    first = text.splitlines()[0]
    delimiter = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    headings = [_key(cell) for cell in next(reader)]
    index: dict[str, int] = {}
    for name, aliases in columns.items():
        for position, heading in enumerate(headings):
            if heading in aliases:
                index[name] = position
    missing = [columns[name][0] for name in columns if name in required and name not in index]
    if missing:
        raise ValidationError(
            _("The first line must name the columns. Missing: %(missing)s.") % {"missing": ", ".join(missing)}
        )
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        rows.append(
            Row(line, {name: cells[pos].strip() if pos < len(cells) else "" for name, pos in index.items()})
        )
    if not rows:
        raise ValidationError(_("The file has headings but no rows."))
    return rows


def parse_amount(text: str) -> Decimal:
    """1 234,50 · 1234.50 · 1.234,50 · −500 → a Decimal with at most two decimals."""
    cleaned = re.sub(r"[\s\u00a0\u202f]|kr$", "", text).replace("\u2212", "-")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(_("“%(text)s” is not an amount") % {"text": text}) from exc
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")) or abs(amount) >= 10**12:
        raise ValueError(_("“%(text)s” is not an amount in kronor and öre") % {"text": text})
    return amount.quantize(Decimal("0.01"))


def parse_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(_("“%(text)s” is not a date (YYYY-MM-DD)") % {"text": text}) from exc


def parse_period(year_text: str, month_text: str, period_text: str) -> tuple[int, int]:
    """A year and a month, from the columns ar and manad or from one period column (2026-03 or 202603)."""
    if period_text:
        match = re.fullmatch(r"(\d{4})-?(\d{2})", period_text)
        if not match:
            raise ValueError(_("“%(text)s” is not a period (YYYY-MM)") % {"text": period_text})
        year_text, month_text = match.groups()
    if not (year_text.isdigit() and 2000 <= int(year_text) <= 2100):
        raise ValueError(_("“%(text)s” is not a year") % {"text": year_text})
    if not (month_text.isdigit() and 1 <= int(month_text) <= 12):
        raise ValueError(_("“%(text)s” is not a month (1–12)") % {"text": month_text})
    return int(year_text), int(month_text)


def raise_row_errors(errors: list[str]) -> None:
    """All the wrong rows at once, so that the file can be fixed in one go; nothing was saved."""
    if not errors:
        return
    shown = errors[:MAX_MESSAGES]
    if len(errors) > MAX_MESSAGES:
        shown.append(_("… and %(count)s more.") % {"count": len(errors) - MAX_MESSAGES})
    raise ValidationError(shown)


def row_error(row: Row, message: str) -> str:
    return _("Row %(line)s: %(message)s.") % {"line": row.line, "message": message}
