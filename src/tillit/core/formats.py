"""Numbers as a Swedish reader writes them, for pages, exports and messages alike."""

from decimal import Decimal
from typing import Any

from django.utils.formats import number_format


def figure(value: Any) -> str:
    """A measured figure as the reader writes it: 3,1 rather than 3,10, and 4 rather than 4,00."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    places = max(0, -number.normalize().as_tuple().exponent)  # type: ignore[operator]
    return number_format(number, decimal_pos=min(places, 2), use_l10n=True, force_grouping=True)
