"""A cost centre's year as server-side SVG geometry: budget, outcome and forecast, accumulated month by month.
The template draws it (economy/_year_chart.html); a table beside it carries the same figures."""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.dates import MONTHS_3

from tillit.core.charts import Point, Tick, nice_step, tick_label
from tillit.economy.selectors import ZERO, YearFigures

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 88, 24, 20, 48


def _path(points: list[Point]) -> str:
    return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in points)


@dataclass
class YearChart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    budget: list[Point] = field(default_factory=list)
    outcome: list[Point] = field(default_factory=list)
    forecast: list[Point] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)

    @property
    def budget_path(self) -> str:
        return _path(self.budget)

    @property
    def outcome_path(self) -> str:
        return _path(self.outcome)

    @property
    def forecast_path(self) -> str:
        return _path(self.forecast)


def accumulated(figures: YearFigures) -> list[tuple[int, Decimal, Decimal | None, Decimal | None]]:
    """Per month: the budget so far, the outcome so far (while booked) and the forecast so far (from the last
    booked month on: outcome, then the team's forecast or the budget)."""
    last = figures.last_outcome_month
    rows = []
    budget = outcome = forecast = ZERO
    for month in figures.months:
        budget += month.budget
        if month.month <= last:
            outcome += month.outcome or ZERO
            forecast = outcome
        else:
            forecast += month.forecast.amount if month.forecast else month.budget
        booked = outcome if month.month <= last else None
        rows.append((month.month, budget, booked, forecast if month.month >= last else None))
    return rows


def year_chart(figures: YearFigures) -> YearChart:
    rows = accumulated(figures)
    values = [float(v) for row in rows for v in row[1:] if v is not None] + [0.0]
    low, high = min(values), max(values)
    step = nice_step(high - low or abs(high) or 1)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    if high == low:
        high = low + step
    chart = YearChart()

    def x(month: int) -> float:
        return chart.left + (chart.right - chart.left) * (month - 1) / 11

    def y(value: Decimal | float) -> float:
        return chart.bottom - (chart.bottom - chart.top) * (float(value) - low) / (high - low)

    chart.budget = [Point(x(m), y(b)) for m, b, _o, _f in rows]
    chart.outcome = [Point(x(m), y(o)) for m, _b, o, _f in rows if o is not None]
    chart.forecast = [Point(x(m), y(f)) for m, _b, _o, f in rows if f is not None]
    ticks = round((high - low) / step)
    chart.y_ticks = [Tick(y(low + n * step), tick_label(low + n * step, step)) for n in range(ticks + 1)]
    chart.x_ticks = [Tick(x(m), str(MONTHS_3[m])) for m in range(1, 13)]
    return chart
