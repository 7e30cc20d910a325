"""An indicator's chart geometry and its progress: plain functions, no database."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import translation

from tillit.labs.charts import Chart, Point, indicator_chart
from tillit.labs.models import Indicator, Measurement, progress
from tillit.labs.selectors import IndicatorView

BASELINE_ON = datetime.date(2025, 3, 15)
TARGET_ON = datetime.date(2026, 10, 31)


def make(
    baseline: str,
    target: str,
    measurements: list[tuple[datetime.date, str]] = [],  # noqa: B006
    direction: str = "",
) -> IndicatorView:
    indicator = Indicator(
        name="Medarbetarinflytande",
        direction=direction
        or (
            Indicator.Direction.INCREASE
            if Decimal(target) > Decimal(baseline)
            else Indicator.Direction.DECREASE
        ),
        baseline=Decimal(baseline),
        baseline_on=BASELINE_ON,
        target=Decimal(target),
        target_on=TARGET_ON,
    )
    taken = [
        Measurement(indicator=indicator, measured_on=day, value=Decimal(value)) for day, value in measurements
    ]
    return IndicatorView(indicator, taken)


def points(chart: Chart) -> list[Point]:
    assert chart.baseline is not None and chart.target is not None
    return [chart.baseline, *chart.measurements, chart.target]


def label_value(label: str) -> float:
    return float(label.replace("\xa0", "").replace(" ", "").replace(",", ".").replace("−", "-"))


SHAPES = [
    ("3.1", "4.0", [(datetime.date(2025, 10, 15), "3.4"), (datetime.date(2026, 4, 15), "3.7")]),
    ("120", "180", [(datetime.date(2026, 6, 1), "141")]),
    ("30", "10", [(datetime.date(2025, 9, 1), "26"), (datetime.date(2026, 3, 1), "19.5")]),  # lower is better
    ("0", "12", [(datetime.date(2025, 6, 1), "2"), (datetime.date(2026, 1, 1), "7")]),
    ("-5", "5", [(datetime.date(2025, 6, 1), "-7")]),  # worse than the baseline, below zero
    ("3.0", "4.0", [(datetime.date(2026, 1, 1), "4.6")]),  # beyond the target
    ("1000", "25000", [(datetime.date(2026, 1, 1), "8000")]),
    ("70", "85", []),
]


@pytest.mark.parametrize(("baseline", "target", "measured"), SHAPES)
def test_every_point_lies_inside_the_plot_area(
    baseline: str, target: str, measured: list[tuple[datetime.date, str]]
) -> None:
    chart = indicator_chart(make(baseline, target, measured))
    for point in points(chart):
        assert chart.left <= point.x <= chart.right
        assert chart.top <= point.y <= chart.bottom
    for tick in chart.y_ticks:
        assert chart.top <= tick.position <= chart.bottom
    # The scale is used: the lowest and the highest value are not squeezed into a corner.
    ys = [point.y for point in points(chart)]
    assert max(ys) - min(ys) > (chart.bottom - chart.top) / 3


@pytest.mark.parametrize(("baseline", "target", "measured"), SHAPES)
def test_a_higher_value_is_drawn_higher_up(
    baseline: str, target: str, measured: list[tuple[datetime.date, str]]
) -> None:
    view = make(baseline, target, measured)
    chart = indicator_chart(view)
    values = [view.indicator.baseline, *(m.value for m in view.measurements), view.indicator.target]
    drawn = sorted(zip(values, (point.y for point in points(chart)), strict=True))
    for (low, low_y), (high, high_y) in itertools.pairwise(drawn):
        if high > low:
            assert high_y < low_y  # SVG: y grows downwards
        else:
            assert high_y == pytest.approx(low_y)


@pytest.mark.parametrize(("baseline", "target", "measured"), SHAPES)
def test_dates_in_order_are_drawn_left_to_right(
    baseline: str, target: str, measured: list[tuple[datetime.date, str]]
) -> None:
    chart = indicator_chart(make(baseline, target, measured))
    xs = [point.x for point in points(chart)]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert chart.baseline is not None and chart.target is not None
    assert chart.baseline.x == chart.left and chart.target.x == chart.right


def test_a_measurement_after_the_target_date_widens_the_time_axis() -> None:
    late = datetime.date(2027, 3, 1)
    chart = indicator_chart(make("3.0", "4.0", [(late, "3.8")]))
    assert chart.baseline is not None and chart.target is not None
    assert chart.baseline.x < chart.target.x < chart.measurements[0].x == chart.right


def test_the_progress_path_starts_at_the_baseline_and_walks_the_measurements() -> None:
    chart = indicator_chart(make("3.0", "4.0", [(datetime.date(2025, 10, 15), "3.4")]))
    assert chart.baseline is not None
    start, end = chart.progress_path.split(" ")
    assert start == f"{chart.baseline.x:.1f},{chart.baseline.y:.1f}"
    assert end == f"{chart.measurements[0].x:.1f},{chart.measurements[0].y:.1f}"
    assert indicator_chart(make("3.0", "4.0")).measurement_path == ""


@pytest.mark.parametrize(
    ("baseline", "target"),
    [
        ("3.1", "4.0"),
        ("120", "180"),
        ("30", "10"),
        ("1000", "25000"),
        ("0", "12"),
        ("3.0", "4.2"),
        ("3.00", "3.02"),
    ],
)
def test_the_y_axis_labels_are_the_values_of_their_grid_lines(baseline: str, target: str) -> None:
    with translation.override("sv"):
        chart = indicator_chart(make(baseline, target))
    ticks = sorted(chart.y_ticks, key=lambda tick: -tick.position)  # bottom to top
    values = [label_value(tick.label) for tick in ticks]
    assert len(values) >= 3
    assert values == sorted(values)
    steps = {round(b - a, 6) for a, b in itertools.pairwise(values)}
    assert len(steps) == 1, values  # evenly spaced grid lines carry evenly spaced labels
    # The baseline and the target lie within the labelled range.
    assert values[0] <= min(float(baseline), float(target)) and values[-1] >= max(
        float(baseline), float(target)
    )


# Progress from the baseline toward the target.


def test_no_progress_without_a_measurement() -> None:
    view = make("3.0", "4.0")
    assert progress(view.indicator, None) is None
    assert view.progress is None and view.progress_percent is None and view.latest is None
    assert view.change is None and not view.reached


@pytest.mark.parametrize(
    ("baseline", "target", "latest", "expected"),
    [
        ("3.0", "4.0", "3.5", 0.5),
        ("3.0", "4.0", "3.0", 0.0),
        ("3.0", "4.0", "4.0", 1.0),
        ("3.0", "4.0", "2.5", -0.5),  # the wrong way
        ("30", "10", "20", 0.5),  # lower is better
        ("30", "10", "35", -0.25),  # lower is better, and it went up
        ("30", "10", "5", 1.25),  # beyond the target
        ("-5", "5", "0", 0.5),
    ],
)
def test_progress_is_the_share_of_the_way_to_the_target(
    baseline: str, target: str, latest: str, expected: float
) -> None:
    view = make(baseline, target)
    assert progress(view.indicator, Decimal(latest)) == pytest.approx(expected)


def test_the_indicator_view_uses_the_latest_measurement() -> None:
    view = make(
        "30",
        "10",
        [(datetime.date(2025, 6, 1), "28"), (datetime.date(2026, 1, 1), "20")],
        direction="decrease",
    )
    assert view.latest is not None and view.latest.value == Decimal("20")
    assert view.progress == pytest.approx(0.5) and view.progress_percent == 50
    assert view.change == Decimal("-10") and not view.reached
    reached = make("30", "10", [(datetime.date(2026, 1, 1), "9")])
    assert reached.reached and reached.progress_percent == 105
    backwards = make("3.0", "4.0", [(datetime.date(2026, 1, 1), "2.8")])
    assert backwards.progress is not None and backwards.progress < 0 and not backwards.reached
