"""What every server-side SVG chart needs: points, axis ticks with values that can be written exactly."""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format


@dataclass
class Point:
    x: float
    y: float


@dataclass
class Tick:
    position: float
    label: str
    anchor: str = "middle"


def nice_step(span: float, count: int = 5) -> float:
    """A step of 1, 2 or 5 times a power of ten, never below 0.01 (figures have two decimals), so that each
    grid line's value can be written exactly."""
    raw = max(span / count if span > 0 else 1, 0.01)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def tick_label(value: float | Decimal, step: float) -> str:
    decimals = 0 if step >= 1 else min(2, max(0, -math.floor(math.log10(step))))
    return number_format(
        round(float(value), decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True
    )
