"""A cost centre's year in figures (budget spread, deviation, forecast), the chart's accumulated series, the list of
attestants with the purchase mandates, and the attestation queue."""

from decimal import Decimal

import pytest

from tests.decisions.factories import mandate
from tests.organisation.factories import PersonFactory, TeamFactory
from tillit.decisions import services as decision_services
from tillit.economy import services
from tillit.economy.charts import accumulated, year_chart
from tillit.economy.selectors import attest_queue_for, attest_refusal, attestant_lines, year_figures

from .factories import (
    DECISION,
    REVIEW,
    Economy,
    absence,
    account_group,
    approve,
    attestant,
    cost_centre,
    economy,
    fresh,
    manager_of,
    member_of,
    reject,
    this_year,
    transaction,
)

pytestmark = pytest.mark.django_db

YEAR = 2026
D = Decimal


@pytest.fixture
def eco() -> Economy:
    for code in ("30", "50", "64"):
        account_group(code, f"Grupp {code}")
    return economy()


def budget(eco: Economy, **amounts: int | str) -> None:
    services.budget_set(
        actor=eco.admin,
        cost_centre=eco.centre,
        year=YEAR,
        amounts={
            account_group(code.lstrip("g"), f"Grupp {code}"): D(amount) for code, amount in amounts.items()
        },
    )


def outcome(eco: Economy, *rows: tuple[str, int, str]) -> None:
    lines = ["kostnadsstalle;kontogrupp;ar;manad;belopp"]
    lines += [f"{eco.centre.code};{group};{YEAR};{month};{amount}" for group, month, amount in rows]
    services.outcomes_import(actor=eco.admin, file_name="utfall.csv", content="\n".join(lines).encode())


def forecast(eco: Economy, month: int, amount: str) -> None:
    services.forecast_set(
        actor=eco.reviewer, cost_centre=eco.centre, year=YEAR, month=month, amount=D(amount)
    )


# The budget spread over the months.


def test_the_budget_is_spread_evenly_and_december_takes_the_rounding(eco: Economy) -> None:
    budget(eco, g50="100000", g30="-10000")
    figures = year_figures(eco.centre, YEAR)
    assert [m.budget for m in figures.months[:11]] == [D("7500.00")] * 11
    assert figures.months[11].budget == D("7500.00")
    budget(eco, g50="100000.01", g30="0")
    figures = year_figures(eco.centre, YEAR)
    assert figures.months[0].budget == D("8333.33")
    assert figures.months[11].budget == D("8333.38")
    assert figures.budget == D("100000.01")


def test_another_year_has_no_budget(eco: Economy) -> None:
    budget(eco, g50="120000")
    figures = year_figures(eco.centre, YEAR + 1)
    assert figures.budget == 0 and figures.outcome == 0 and figures.last_outcome_month == 0
    assert all(m.outcome is None and not m.needs_explanation for m in figures.months)


# Deviation and explanations.


def test_deviation_and_its_percent(eco: Economy) -> None:
    budget(eco, g50="120000")
    outcome(eco, ("50", 1, "9000"), ("50", 2, "10000"), ("50", 3, "12500"), ("64", 3, "0"))
    figures = year_figures(eco.centre, YEAR)
    january, february, march, april = figures.months[:4]
    assert (january.deviation, january.deviation_percent) == (D("-1000.00"), D("-10"))
    assert (february.deviation, february.deviation_percent) == (D("0.00"), D("0"))
    assert (march.deviation, march.deviation_percent) == (D("2500.00"), D("25"))
    assert april.outcome is None and april.deviation is None and april.deviation_percent is None
    assert figures.outcome == D("31500.00") and figures.last_outcome_month == 3


@pytest.mark.parametrize(
    ("amount", "threshold", "needs"),
    [
        ("10000", 10, False),
        ("11000", 10, False),  # exactly 10 % over: not more than the threshold
        ("9000", 10, False),  # exactly 10 % under
        ("11200", 10, True),
        ("8800", 10, True),  # under budget counts too
        ("11200", 15, False),
        ("11600", 15, True),
    ],
)
def test_a_month_needs_an_explanation_above_the_threshold(
    eco: Economy, amount: str, threshold: int, needs: bool
) -> None:
    eco.centre.deviation_threshold = threshold
    eco.centre.save()
    budget(eco, g50="120000")
    outcome(eco, ("50", 5, amount))
    figures = year_figures(eco.centre, YEAR)
    may = figures.months[4]
    assert may.needs_explanation is needs
    assert (may in figures.unexplained) is needs


def test_a_deviation_just_above_the_threshold_needs_an_explanation(eco: Economy) -> None:
    budget(eco, g50="120000")
    outcome(eco, ("50", 5, "11040"))  # 10.4 % over the month's 10 000
    assert year_figures(eco.centre, YEAR).months[4].needs_explanation


def test_an_outcome_without_a_budget_needs_an_explanation(eco: Economy) -> None:
    outcome(eco, ("50", 2, "500"), ("50", 3, "0"))
    figures = year_figures(eco.centre, YEAR)
    assert figures.months[1].needs_explanation and figures.months[1].deviation_percent is None
    assert not figures.months[2].needs_explanation


def test_an_explained_month_is_no_longer_unexplained(eco: Economy) -> None:
    budget(eco, g50="120000")
    outcome(eco, ("50", 7, "15000"), ("50", 8, "15000"))
    assert [m.month for m in year_figures(eco.centre, YEAR).unexplained] == [7, 8]
    services.deviation_explain(
        actor=eco.reviewer, cost_centre=eco.centre, year=YEAR, month=7, text="Vikarier."
    )
    figures = year_figures(eco.centre, YEAR)
    assert [m.month for m in figures.unexplained] == [8]
    assert figures.months[6].needs_explanation and figures.months[6].explanation is not None


# The forecast for the year.


def test_year_forecast_is_outcome_then_forecast_or_budget(eco: Economy) -> None:
    budget(eco, g50="120000")  # 10 000 a month
    outcome(eco, ("50", 1, "9000"), ("50", 2, "12000"), ("50", 3, "11000"))
    forecast(eco, 2, "99999")  # a forecast for a booked month does not count
    forecast(eco, 4, "15000")
    forecast(eco, 12, "20000")
    figures = year_figures(eco.centre, YEAR)
    assert figures.year_forecast == D("9000") + D("12000") + D("11000") + D("15000") + 7 * D("10000") + D(
        "20000"
    )
    assert figures.forecast_deviation == figures.year_forecast - D("120000")


def test_year_forecast_counts_a_month_without_outcome_before_the_last_booked_as_zero(eco: Economy) -> None:
    budget(eco, g50="120000")
    outcome(eco, ("50", 1, "9000"), ("50", 3, "11000"))
    figures = year_figures(eco.centre, YEAR)
    assert figures.last_outcome_month == 3
    assert figures.year_forecast == D("20000") + 9 * D("10000")


def test_without_outcome_the_year_forecast_is_forecasts_and_budget(eco: Economy) -> None:
    budget(eco, g50="120000")
    forecast(eco, 1, "11000")
    assert year_figures(eco.centre, YEAR).year_forecast == D("121000")


def test_groups_show_budget_outcome_and_remaining(eco: Economy) -> None:
    budget(eco, g50="120000", g30="-12000")
    outcome(eco, ("50", 1, "9000"), ("50", 2, "11000"), ("30", 1, "-1000"), ("64", 2, "300"))
    groups = {
        g.account_group.code: (g.budget, g.outcome, g.remaining)
        for g in year_figures(eco.centre, YEAR).groups
    }
    assert groups == {
        "30": (D("-12000.00"), D("-1000.00"), D("-11000.00")),
        "50": (D("120000.00"), D("20000.00"), D("100000.00")),
        "64": (D("0"), D("300.00"), D("-300.00")),
    }
    assert [g.account_group.code for g in year_figures(eco.centre, YEAR).groups] == ["30", "50", "64"]


def test_another_cost_centre_is_not_counted(eco: Economy) -> None:
    other = cost_centre("1420", team=TeamFactory.create())
    services.outcomes_import(
        actor=eco.admin,
        file_name="utfall.csv",
        content=f"kostnadsstalle;kontogrupp;ar;manad;belopp\n1420;50;{YEAR};1;5\n".encode(),
    )
    assert year_figures(eco.centre, YEAR).outcome == 0
    assert year_figures(other, YEAR).outcome == D("5")


# The chart's accumulated series.


def test_accumulated_budget_outcome_and_forecast(eco: Economy) -> None:
    budget(eco, g50="120000")
    outcome(eco, ("50", 1, "9000"), ("50", 2, "12000"))
    forecast(eco, 3, "15000")
    rows = accumulated(year_figures(eco.centre, YEAR))
    assert len(rows) == 12
    assert rows[0] == (1, D("10000"), D("9000"), None)
    assert rows[1] == (2, D("20000"), D("21000"), D("21000"))
    assert rows[2] == (3, D("30000"), None, D("36000"))
    assert rows[3] == (4, D("40000"), None, D("46000"))
    assert rows[11] == (12, D("120000"), None, D("126000"))
    assert rows[11][3] == year_figures(eco.centre, YEAR).year_forecast


def test_accumulated_without_outcome_forecasts_from_january(eco: Economy) -> None:
    budget(eco, g50="120000")
    rows = accumulated(year_figures(eco.centre, YEAR))
    assert [r[2] for r in rows] == [None] * 12
    assert [r[3] for r in rows] == [D("10000") * n for n in range(1, 13)]


def test_the_chart_has_a_point_per_month_and_series(eco: Economy) -> None:
    budget(eco, g50="120000")
    outcome(eco, ("50", 1, "9000"), ("50", 2, "12000"), ("50", 3, "11000"))
    chart = year_chart(year_figures(eco.centre, YEAR))
    assert len(chart.budget) == 12 and len(chart.outcome) == 3 and len(chart.forecast) == 10
    assert len(chart.x_ticks) == 12 and len(chart.y_ticks) >= 2
    for point in chart.budget + chart.outcome + chart.forecast:
        assert chart.left <= point.x <= chart.right and chart.top <= point.y <= chart.bottom
    # Accumulated costs rise: the line goes up the picture (smaller y).
    assert chart.budget[0].y > chart.budget[-1].y


def test_the_chart_of_an_empty_year(eco: Economy) -> None:
    chart = year_chart(year_figures(eco.centre, YEAR))
    assert len(chart.budget) == 12 and chart.outcome == [] and len(chart.forecast) == 12
    assert chart.budget_path.count(",") == 12


# The list of attestants.


def test_attestant_lines_with_the_purchase_mandate(eco: Economy) -> None:
    delegate, stand_in = (
        member_of(eco.team, full_name="Alva Delegat"),
        member_of(eco.team, full_name="Ulf Ersättare"),
    )
    given = mandate(eco.team, delegate, deputy=stand_in, amount_limit=30_000)
    lines = attestant_lines([eco.centre], this_year())
    shown = [(line.person, line.step, line.amount_limit, line.deputy_for, line.mandate) for line in lines]
    assert shown == [
        (delegate, DECISION, D("30000.00"), None, given),
        (eco.decider, DECISION, D("50000.00"), None, None),
        (stand_in, DECISION, D("30000.00"), delegate, given),
        (eco.reviewer, REVIEW, D("50000.00"), None, None),
    ]
    assert all(line.cost_centre == eco.centre for line in lines)
    assert lines[1].attestant is not None and lines[0].attestant is None


def test_attestant_lines_leave_out_removed_lines_other_years_and_ended_mandates(eco: Economy) -> None:
    delegate = member_of(eco.team)
    given = mandate(eco.team, delegate)
    attestant(PersonFactory.create(), eco.centre, REVIEW, year=this_year() - 1)
    services.attestant_remove(actor=eco.admin, attestant=eco.centre.attestants.get(person=eco.reviewer))
    decision_services.mandate_end(actor=eco.admin, mandate=given)
    assert [line.person for line in attestant_lines([eco.centre], this_year())] == [eco.decider]


def test_a_mandate_applies_to_every_cost_centre_of_its_team_only(eco: Economy) -> None:
    second = cost_centre("1411", team=eco.team)
    elsewhere = cost_centre("1420", team=TeamFactory.create())
    unit_only = cost_centre("1400", unit=eco.unit)
    delegate = member_of(eco.team)
    mandate(eco.team, delegate)
    lines = attestant_lines([eco.centre, second, elsewhere, unit_only], this_year())
    assert {line.cost_centre.code for line in lines if line.person == delegate} == {"1410", "1411"}


# The attestation queue.


def test_the_queue_shows_open_transactions_with_who_may_attest(eco: Economy) -> None:
    waiting = transaction(eco.centre, amount=1000)
    too_big = transaction(eco.centre, amount=90_000)
    reviewed = transaction(eco.centre)
    approve(eco.decider, reviewed)
    done = transaction(eco.centre)
    reject(eco.decider, done)
    transaction(cost_centre("1420", team=TeamFactory.create()))
    queue = {item.transaction.pk: item for item in attest_queue_for(user=eco.decider)}
    assert set(queue) == {waiting.pk, too_big.pk, reviewed.pk}
    assert queue[waiting.pk].can_attest and queue[waiting.pk].refusal is None
    assert not queue[too_big.pk].can_attest and queue[too_big.pk].refusal
    assert not queue[reviewed.pk].can_attest
    everything = {item.transaction.pk for item in attest_queue_for(user=eco.decider, include_closed=True)}
    assert everything == {waiting.pk, too_big.pk, reviewed.pk, done.pk}
    reviewer_queue = {i.transaction.pk: i.can_attest for i in attest_queue_for(user=eco.reviewer)}
    assert reviewer_queue == {waiting.pk: False, too_big.pk: False, reviewed.pk: True}


def test_the_queue_is_empty_for_someone_without_cost_centres(eco: Economy) -> None:
    transaction(eco.centre)
    assert attest_queue_for(user=PersonFactory.create()) == []


def test_the_queue_judges_each_transaction_as_its_own_page_does(eco: Economy) -> None:
    """The queue weighs many transactions at once; each answer is the same as for the transaction alone."""
    second = cost_centre("1411", team=eco.team)
    stand_in = member_of(eco.team)
    attestant(stand_in, eco.centre, DECISION, limit=50_000, deputy_for=eco.decider)
    attestant(stand_in, second, REVIEW, limit=5_000)
    attestant(eco.decider, second, DECISION)
    relative, boss = member_of(eco.team), manager_of(eco.unit)
    services.close_relation_declare(actor=relative, relative=stand_in)
    made = [
        transaction(eco.centre),
        transaction(eco.centre, amount=60_000),
        transaction(eco.centre, payee=relative),
        transaction(eco.centre, payee=boss),
        transaction(eco.centre, payee=stand_in),
        transaction(second, amount=4_000),
        transaction(second, amount=6_000),
    ]
    approve(eco.decider, made[5])
    approve(eco.decider, made[6])
    conflicted = transaction(eco.centre)
    services.attest_conflict_declare(actor=stand_in, transaction=conflicted, reason="Jäv.")
    made.append(conflicted)
    for absent in (False, True):
        if absent:
            absence(eco.decider, 0, 1)
        for person in (stand_in, eco.decider, eco.reviewer):
            queue = {item.transaction.pk: item.refusal for item in attest_queue_for(user=person)}
            alone = {t.pk: attest_refusal(person, fresh(t)) for t in made}
            assert queue == alone, (person, absent)
    # While the decision attestant is away, the deputy may take the plain invoice's decision step only.
    may = {t.pk for t in made if attest_refusal(stand_in, fresh(t)) is None}
    assert may == {made[0].pk, made[5].pk}
