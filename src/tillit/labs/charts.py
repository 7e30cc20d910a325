"""An indicator's chart as server-side SVG geometry: the baseline, the path to the target, and the measurements.
The template draws it (labs/_indicator_chart.html); a data table beside it carries the same figures."""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from tillit.core.charts import Point, Tick, nice_step, tick_label
from tillit.labs.selectors import IndicatorView

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 20, 48


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    baseline: Point | None = None
    target: Point | None = None
    measurements: list[Point] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)

    @property
    def measurement_path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.measurements)

    @property
    def progress_path(self) -> str:
        """From the baseline through the measurements: the line the team has actually walked."""
        points = [self.baseline, *self.measurements] if self.baseline else self.measurements
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in points)


def indicator_chart(view: IndicatorView) -> Chart:
    indicator = view.indicator
    values = [
        float(indicator.baseline),
        float(indicator.target),
        *(float(m.value) for m in view.measurements),
    ]
    low, high = min(values), max(values)
    step = nice_step(high - low or abs(high) or 1)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    if high == low:
        high = low + step
    dates = [indicator.baseline_on, indicator.target_on, *(m.measured_on for m in view.measurements)]
    first, last = min(dates), max(dates)
    days = max((last - first).days, 1)
    chart = Chart()

    def x(day: datetime.date) -> float:
        return float(chart.left) + (chart.right - chart.left) * (day - first).days / days

    def y(value: float | Decimal) -> float:
        return float(chart.bottom - (chart.bottom - chart.top) * (float(value) - low) / (high - low))

    chart.baseline = Point(x(indicator.baseline_on), y(indicator.baseline))
    chart.target = Point(x(indicator.target_on), y(indicator.target))
    chart.measurements = [Point(x(m.measured_on), y(m.value)) for m in view.measurements]
    ticks = round((high - low) / step)
    chart.y_ticks = [Tick(y(low + n * step), tick_label(low + n * step, step)) for n in range(ticks + 1)]
    years = range(first.year + (first.month > 1 or first.day > 1), last.year + 1)
    if len(years) >= 2:
        chart.x_ticks = [Tick(x(datetime.date(year, 1, 1)), str(year)) for year in years]
    else:
        chart.x_ticks = [Tick(x(first), f"{first:%Y-%m}", "start"), Tick(x(last), f"{last:%Y-%m}", "end")]
    return chart
