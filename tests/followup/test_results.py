"""Results that keep anonymity: the threshold, free text, no subtraction, the team first, trend and comparisons."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.organisation.factories import PersonFactory, UnitFactory
from tillit.followup import results, surveys
from tillit.followup.models import Response, Survey
from tillit.followup.results import GroupResult, ItemResult, survey_results
from tillit.followup.rules import RELEASE_AFTER_DAYS
from tillit.organisation.models import Team

from .survey_factories import (
    CHOICES,
    SCALE_QUESTION,
    TEXT_QUESTION,
    administrator,
    answer,
    answer_all,
    close,
    close_long_ago,
    coach_of,
    development_lead,
    facilitator,
    in_days,
    member_of,
    sent,
    sent_survey,
    survey,
    team_with_members,
)

pytestmark = pytest.mark.django_db


def item(group: GroupResult, text: str) -> ItemResult:
    (found,) = [result for result in group.items if result.item.text == text]
    return found


def by_key(group: GroupResult, key: str) -> ItemResult:
    (found,) = [result for result in group.items if result.item.key == key]
    return found


def only(groups: list[GroupResult]) -> GroupResult:
    (group,) = groups
    return group


def team_results(made: Survey, viewer: Any, team: Team) -> GroupResult:
    return only([group for group in survey_results(made, viewer) if group.team == team])


def shows_nothing(group: GroupResult) -> bool:
    return not group.shown and group.items == [] and group.scale_items == [] and not group.texts_shown


# --- The threshold --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("answering", "shown"), [(0, False), (1, False), (4, False), (5, True), (6, True)])
def test_a_team_is_shown_only_from_the_threshold(answering: int, shown: bool) -> None:
    team, members = team_with_members(7)
    made = sent_survey(team)
    answer_all(made, members[:answering], value=4, text="Mer tid")
    close(made)
    for viewer in (members[-1], coach_of(team)):
        group = only(survey_results(made, viewer))
        assert (group.label, group.team, group.answered, group.asked) == (team.name, team, answering, 7)
        assert group.shown is shown
        if shown:
            assert item(group, SCALE_QUESTION).mean == Decimal("4.0")
            assert item(group, TEXT_QUESTION).texts is not None
        else:
            assert shows_nothing(group)


@pytest.mark.parametrize(("answering", "shown"), [(2, False), (3, True)])
def test_the_smallest_threshold_is_three(answering: int, shown: bool) -> None:
    team, members = team_with_members(3)
    made = sent_survey(team, threshold=3)
    answer_all(made, members[:answering])
    close(made)
    assert only(survey_results(made, coach_of(team))).shown is shown


def test_a_threshold_below_three_is_refused() -> None:
    team, _members = team_with_members(5)
    with pytest.raises(ValidationError):
        survey(team=team, threshold=2)


def test_the_figures_of_a_shown_group() -> None:
    team, members = team_with_members(5)
    made = sent_survey(team)
    for person, value, choice in zip(members, [1, 2, 2, 5, 5], [0, 0, 1, 1, 1], strict=True):
        surveys.response_submit(
            survey=made,
            person=person,
            answers={
                made.items.get(kind="scale5").pk: value,
                made.items.get(kind="single").pk: CHOICES[choice],
            },
        )
    close(made)
    group = only(survey_results(made, coach_of(team)))
    scale = item(group, SCALE_QUESTION)
    assert (scale.answered, scale.mean) == (5, Decimal("3.0"))
    assert [(bar.label, bar.count, bar.percent) for bar in scale.bars] == [
        ("1", 1, 20),
        ("2", 2, 40),
        ("3", 0, 0),
        ("4", 0, 0),
        ("5", 2, 40),
    ]
    assert scale.bar_percent == 50
    choice = only([r for r in group.items if r.item.kind == "single"])
    assert [(bar.label, bar.count, bar.percent) for bar in choice.bars] == [
        (CHOICES[0], 2, 40),
        (CHOICES[1], 3, 60),
        (CHOICES[2], 0, 0),
    ]
    # No one wrote a text: an empty list, not hidden.
    assert item(group, TEXT_QUESTION).texts == []


def test_nothing_before_the_survey_has_closed() -> None:
    team, members = team_with_members(5)
    made = sent_survey(team)
    answer_all(made, members)
    for viewer in (members[0], coach_of(team), facilitator(), administrator()):
        assert survey_results(made, viewer) == []
    assert survey_results(survey(team=team), coach_of(team)) == []


# --- Free text ----------------------------------------------------------------------------------------


def test_free_text_needs_the_threshold_of_answers_besides_the_viewers_own() -> None:
    team, members = team_with_members(5)
    made = sent_survey(team)
    for person, text in zip(members, ["c-svar", "a-svar", "E-svar", "b-svar", "D-svar"], strict=True):
        answer(made, person, 4, text)
    close(made)
    # Someone who answered could tell the others' texts apart from their own by the count: no texts.
    for viewer in members:
        group = only(survey_results(made, viewer))
        assert group.shown is True
        assert group.texts_shown is False
        assert item(group, TEXT_QUESTION).texts is None
        assert item(group, SCALE_QUESTION).mean == Decimal("4.0")
    # A coach who did not answer sees them, sorted so that the order says nothing about who wrote first.
    group = only(survey_results(made, coach_of(team)))
    assert group.texts_shown is True
    assert item(group, TEXT_QUESTION).texts == ["a-svar", "b-svar", "c-svar", "D-svar", "E-svar"]


def test_free_text_shows_to_someone_who_answered_when_enough_others_did() -> None:
    team, members = team_with_members(7)
    made = sent_survey(team)
    answer_all(made, members[:6], text="Svar")
    close(made)
    assert item(only(survey_results(made, members[0])), TEXT_QUESTION).texts is not None
    assert item(only(survey_results(made, members[6])), TEXT_QUESTION).texts is not None


def test_free_text_of_a_hidden_group_shows_to_no_one() -> None:
    team, members = team_with_members(5)
    made = sent_survey(team)
    answer_all(made, members[:4], text="Hemligt")
    close(made)
    for viewer in (coach_of(team), members[4]):
        assert shows_nothing(only(survey_results(made, viewer)))


# --- A unit survey: no subtraction ------------------------------------------------------------------------


@pytest.fixture
def unit_survey() -> dict[str, Any]:
    """A unit survey where teams A and B (5 each) answered and C only 4: C is hidden."""
    unit = UnitFactory.create(name="Barn och unga")
    teams: dict[str, Any] = {}
    for name in ("A", "B", "C", "D"):
        teams[name] = team_with_members(5, unit=unit, name=f"Team {name}")
    made = sent(survey(unit=unit))
    answer_all(made, teams["A"][1], value=5, text="A")
    answer_all(made, teams["B"][1], value=3, text="B")
    answer_all(made, teams["C"][1][:4], value=1, text="C")
    return {"unit": unit, "survey": made, "teams": teams}


def total_of(groups: list[GroupResult], unit: Any) -> GroupResult:
    return only([group for group in groups if group.team is None and group.label == unit.name])


def test_a_team_below_the_threshold_is_hidden_for_everyone(unit_survey: dict[str, Any]) -> None:
    made, teams = close_long_ago(unit_survey["survey"]), unit_survey["teams"]
    team_c, members_c = teams["C"]
    viewers = [*members_c, coach_of(team_c), facilitator(), development_lead(), administrator()]
    for viewer in viewers:
        assert shows_nothing(team_results(made, viewer, team_c))


def test_the_unit_total_leaves_out_hidden_teams_below_the_threshold(unit_survey: dict[str, Any]) -> None:
    made = close_long_ago(unit_survey["survey"])
    groups = survey_results(made, facilitator())
    total = total_of(groups, unit_survey["unit"])
    # A and B (5 + 5) are in; C's 4 would be found by subtracting A and B from the total.
    assert total.shown is True
    assert total.answered == 10
    assert item(total, SCALE_QUESTION).mean == Decimal("4.0")
    assert total.note
    assert total.asked == 20
    shown = {group.label: group.shown for group in groups if group.team is not None}
    assert shown == {"Team A": True, "Team B": True, "Team C": False, "Team D": False}


def test_hidden_teams_count_in_the_total_when_together_they_reach_the_threshold(
    unit_survey: dict[str, Any],
) -> None:
    made, teams = unit_survey["survey"], unit_survey["teams"]
    answer_all(made, teams["D"][1][:3], value=1)
    made = close_long_ago(made)
    total = total_of(survey_results(made, facilitator()), unit_survey["unit"])
    # C (4) and D (3) are both hidden, but together 7: no one can be singled out by subtraction.
    assert total.answered == 17
    assert item(total, SCALE_QUESTION).mean == (Decimal(25 + 15 + 7) / 17).quantize(Decimal("0.1"))
    assert total.note == ""


def test_a_member_of_the_hidden_team_sees_no_figures_of_it(unit_survey: dict[str, Any]) -> None:
    made, teams = close(unit_survey["survey"]), unit_survey["teams"]
    team_c, members_c = teams["C"]
    groups = survey_results(made, members_c[0])
    assert {group.team for group in groups if group.team is not None} == {team_c}
    assert shows_nothing(team_results(made, members_c[0], team_c))


def test_groups_are_in_name_order_never_ranked() -> None:
    unit = UnitFactory.create(name="Omsorg")
    made_teams = {}
    for name in ("Gamma", "Alfa", "Beta"):
        made_teams[name] = team_with_members(5, unit=unit, name=name)
    made = sent(survey(unit=unit))
    for name, value in (("Gamma", 3), ("Alfa", 1), ("Beta", 5)):
        answer_all(made, made_teams[name][1], value=value)
    made = close_long_ago(made)
    labels = [group.label for group in survey_results(made, facilitator())]
    assert labels == ["Alfa", "Beta", "Gamma", "Omsorg"]


# --- Results belong to the team first -------------------------------------------------------------------


@pytest.fixture
def answered_team() -> tuple[Survey, Team, list[Any]]:
    team, members = team_with_members(5)
    made = sent_survey(team)
    answer_all(made, members, value=4, text="Svar")
    return made, team, members


ABOVE = (facilitator, development_lead, administrator)


@pytest.mark.parametrize("above", ABOVE, ids=["facilitator", "development_lead", "administrator"])
def test_those_above_see_nothing_until_the_team_shares(
    answered_team: tuple[Survey, Team, list[Any]], above: Any
) -> None:
    made, team, members = answered_team
    made = close(made)
    viewer = above()
    assert survey_results(made, viewer) == []
    assert not results.may_see_team(viewer, made, team)
    # The team sees its results as soon as the survey has closed.
    assert only(survey_results(made, members[0])).shown is True
    assert only(survey_results(made, coach_of(team))).shown is True
    surveys.results_release(actor=members[0], survey=made, team=team)
    group = only(survey_results(made, viewer))
    assert (group.team, group.shown) == (team, True)
    assert item(group, SCALE_QUESTION).mean == Decimal("4.0")


@pytest.mark.parametrize("above", ABOVE, ids=["facilitator", "development_lead", "administrator"])
def test_those_above_see_the_results_some_time_after_closing(
    answered_team: tuple[Survey, Team, list[Any]], above: Any
) -> None:
    made, team, _members = answered_team
    viewer = above()
    close_long_ago(made, days=RELEASE_AFTER_DAYS - 1)
    assert survey_results(made, viewer) == []
    close_long_ago(made, days=RELEASE_AFTER_DAYS)
    assert only(survey_results(made, viewer)).team == team


def test_a_survey_past_its_closing_date_counts_from_that_date(
    answered_team: tuple[Survey, Team, list[Any]],
) -> None:
    made, _team, members = answered_team
    viewer = facilitator()
    Survey.objects.filter(pk=made.pk).update(opens_on=in_days(-30), closes_on=in_days(-2))
    made.refresh_from_db()
    assert surveys.is_closed(made)
    assert only(survey_results(made, members[0])).shown is True
    assert survey_results(made, viewer) == []
    Survey.objects.filter(pk=made.pk).update(closes_on=in_days(-RELEASE_AFTER_DAYS - 1))
    made.refresh_from_db()
    assert only(survey_results(made, viewer)).shown is True


def test_a_survey_past_its_closing_date_is_sealed_before_its_results_are_read(
    answered_team: tuple[Survey, Team, list[Any]],
) -> None:
    made, _team, members = answered_team
    keys = set(Response.objects.filter(survey=made).values_list("pk", flat=True))
    Survey.objects.filter(pk=made.pk).update(opens_on=in_days(-30), closes_on=in_days(-2))
    made.refresh_from_db()
    assert made.closed_at is None
    group = only(survey_results(made, members[0]))
    assert (group.shown, group.answered) == (True, 5)
    assert item(group, SCALE_QUESTION).mean == Decimal("4.0")
    made.refresh_from_db()
    assert made.closed_at is not None
    after = set(Response.objects.filter(survey=made).values_list("pk", flat=True))
    assert len(after) == 5 and not after & keys
    # Sealing does not start the time for sharing again: it counts from the closing date.
    assert results.released(made, None, today=in_days(RELEASE_AFTER_DAYS - 2)) is True
    assert results.released(made, None, today=in_days(RELEASE_AFTER_DAYS - 3)) is False


def test_released(answered_team: tuple[Survey, Team, list[Any]]) -> None:
    made, team, members = answered_team
    assert results.released(made, team) is False
    made = close(made)
    assert results.released(made, team) is False
    assert results.released(made, None) is False
    later = timezone.localdate() + datetime.timedelta(days=RELEASE_AFTER_DAYS)
    assert results.released(made, team, today=later) is True
    surveys.results_release(actor=members[0], survey=made, team=team)
    assert results.released(made, team) is True


def test_a_release_of_one_team_shows_only_that_team(unit_survey: dict[str, Any]) -> None:
    made, teams = close(unit_survey["survey"]), unit_survey["teams"]
    team_a, members_a = teams["A"]
    surveys.results_release(actor=members_a[0], survey=made, team=team_a)
    teams_seen = {group.team for group in survey_results(made, facilitator()) if group.team is not None}
    assert teams_seen == {team_a}


def test_those_above_see_no_figures_of_a_unit_survey_before_the_teams_share(
    unit_survey: dict[str, Any],
) -> None:
    made = close(unit_survey["survey"])
    unit = unit_survey["unit"]
    for viewer in (facilitator(), development_lead(), administrator()):
        assert survey_results(made, viewer) == []
    # Three of the four teams share: the total, made of all four, still shows to no one above.
    for name in ("A", "B", "C"):
        team, members = unit_survey["teams"][name]
        surveys.results_release(actor=members[0], survey=made, team=team)
    for viewer in (facilitator(), development_lead(), administrator()):
        groups = survey_results(made, viewer)
        assert [group.label for group in groups] == ["Team A", "Team B", "Team C"]
        assert all(group.team is not None for group in groups)
    # The last team shares: now the total shows.
    team_d, members_d = unit_survey["teams"]["D"]
    surveys.results_release(actor=members_d[0], survey=made, team=team_d)
    for viewer in (facilitator(), development_lead(), administrator()):
        total = total_of(survey_results(made, viewer), unit)
        assert (total.shown, total.answered) == (True, 10)
        assert item(total, SCALE_QUESTION).mean == Decimal("4.0")


def test_those_above_see_the_unit_total_when_the_time_for_sharing_has_passed(
    unit_survey: dict[str, Any],
) -> None:
    made = unit_survey["survey"]
    viewer = facilitator()
    close_long_ago(made, days=RELEASE_AFTER_DAYS - 1)
    assert survey_results(made, viewer) == []
    close_long_ago(made, days=RELEASE_AFTER_DAYS)
    assert total_of(survey_results(made, viewer), unit_survey["unit"]).shown is True


def test_the_teams_of_a_unit_survey_see_the_unit_total_at_once(unit_survey: dict[str, Any]) -> None:
    made, teams, unit = close(unit_survey["survey"]), unit_survey["teams"], unit_survey["unit"]
    team_a, members_a = teams["A"]
    team_d, members_d = teams["D"]
    for viewer, own in ((members_a[0], team_a), (coach_of(team_a), team_a), (members_d[0], team_d)):
        groups = survey_results(made, viewer)
        # Their own team, and the unit's total as a comparison: no other team.
        assert {group.team for group in groups} == {own, None}
        total = total_of(groups, unit)
        assert (total.shown, total.answered) == (True, 10)
    # Someone in no team of the unit sees nothing.
    other, _others = team_with_members(5)
    assert survey_results(made, member_of(other)) == []


def test_other_teams_and_outsiders_see_nothing(answered_team: tuple[Survey, Team, list[Any]]) -> None:
    made, team, _members = answered_team
    made = close_long_ago(made)
    other_team, _others = team_with_members(5)
    for viewer in (member_of(other_team), coach_of(other_team), PersonFactory.create()):
        assert survey_results(made, viewer) == []
        assert not results.may_see_team(viewer, made, team)


def test_a_link_survey_is_seen_by_its_maker_and_those_above() -> None:
    maker = facilitator()
    made = sent(survey(actor=maker, audience="link"))
    for number in range(5):
        answer(made, None, value=2, text=f"svar {number}")
    made = close(made)
    group = only(survey_results(made, maker))
    assert (group.team, group.answered, group.asked, group.shown) == (None, 5, None, True)
    assert item(group, SCALE_QUESTION).mean == Decimal("2.0")
    assert only(survey_results(made, administrator())).shown is True
    assert survey_results(made, PersonFactory.create()) == []


def test_a_link_survey_below_the_threshold_shows_nothing() -> None:
    maker = facilitator()
    made = sent(survey(actor=maker, audience="link"))
    for _number in range(4):
        answer(made, None, text="svar")
    assert shows_nothing(only(survey_results(close(made), maker)))


# --- The trend over rounds ------------------------------------------------------------------------------


def two_rounds(first_answering: int) -> tuple[Survey, Team, list[Any]]:
    team, members = team_with_members(5)
    first = sent(survey(team=team, template="effects"))
    answer_all(first, members[:first_answering], value=3)
    first = close(first)
    second = surveys.survey_new_round(
        actor=first.created_by, survey=first, opens_on=in_days(0), closes_on=in_days(7)
    )
    second = sent(second)
    for person in members:
        answer(second, person, 4, influence=5)
    return close(second), team, members


def test_the_trend_over_rounds() -> None:
    second, _team, members = two_rounds(5)
    group = only(survey_results(second, members[0]))
    influence, pace = by_key(group, "influence"), by_key(group, "pace")
    assert influence.rounds == [(1, Decimal("3.0")), (2, Decimal("5.0"))]
    assert pace.rounds == [(1, Decimal("3.0")), (2, Decimal("4.0"))]
    assert (influence.previous_mean, influence.change) == (Decimal("3.0"), Decimal("2.0"))
    assert influence.previous_percent == 50
    # The first round shows its own figure only.
    first = Survey.objects.get(series=second.series, round=1)
    assert by_key(only(survey_results(first, members[0])), "influence").rounds == [(1, Decimal("3.0"))]


def test_a_round_below_the_threshold_gives_no_figure_in_the_trend() -> None:
    second, _team, members = two_rounds(4)
    influence = by_key(only(survey_results(second, members[0])), "influence")
    assert influence.rounds == [(1, None), (2, Decimal("5.0"))]
    assert influence.previous_mean is None
    assert influence.change is None
    assert influence.previous_percent is None


def test_a_round_not_yet_closed_is_not_in_the_trend() -> None:
    team, members = team_with_members(5)
    first = close(sent(survey(team=team, template="effects")))
    second = sent(
        surveys.survey_new_round(
            actor=first.created_by, survey=first, opens_on=in_days(0), closes_on=in_days(7)
        )
    )
    answer_all(second, members, value=4)
    # The third round exists but is not sent: the second's trend ignores it.
    surveys.survey_new_round(
        actor=first.created_by, survey=first, opens_on=in_days(30), closes_on=in_days(40)
    )
    influence = by_key(only(survey_results(close(second), members[0])), "influence")
    assert influence.rounds == [(1, None), (2, Decimal("4.0"))]


# --- Comparisons with the unit and the organisation ----------------------------------------------------


def team_round(unit: Any, answering: int, value: int) -> tuple[Survey, Team, list[Any]]:
    team, members = team_with_members(5, unit=unit)
    made = sent(survey(team=team, template="effects"))
    answer_all(made, members[:answering], value=value)
    return close(made), team, members


def test_comparisons_with_the_unit_and_the_organisation() -> None:
    unit, other_unit = UnitFactory.create(), UnitFactory.create()
    own, _team, members = team_round(unit, 5, 2)
    team_round(unit, 5, 4)
    team_round(other_unit, 5, 5)
    influence = by_key(only(survey_results(own, members[0])), "influence")
    assert influence.mean == Decimal("2.0")
    assert influence.unit_mean == Decimal("3.0")
    assert influence.organisation_mean == (Decimal(10 + 20 + 25) / 15).quantize(Decimal("0.1"))


def test_no_comparison_without_enough_answers_beyond_the_groups_own() -> None:
    unit = UnitFactory.create()
    own, _team, members = team_round(unit, 5, 2)
    influence = by_key(only(survey_results(own, members[0])), "influence")
    assert (influence.unit_mean, influence.organisation_mean) == (None, None)


def test_a_small_team_in_the_unit_gives_no_unit_comparison() -> None:
    unit, other_unit = UnitFactory.create(), UnitFactory.create()
    own, _team, members = team_round(unit, 5, 2)
    team_round(unit, 4, 4)
    team_round(other_unit, 5, 5)
    influence = by_key(only(survey_results(own, members[0])), "influence")
    # The 4 answers of the small team are left out: the unit holds nothing beyond the team's own.
    assert influence.unit_mean is None
    assert influence.organisation_mean == Decimal("3.5")


def test_no_organisation_figure_that_would_give_the_unit_away() -> None:
    unit = UnitFactory.create()
    own, _team, members = team_round(unit, 5, 2)
    team_round(unit, 5, 4)
    influence = by_key(only(survey_results(own, members[0])), "influence")
    # The organisation is the unit: beyond it there are no answers, so no organisation figure.
    assert influence.unit_mean == Decimal("3.0")
    assert influence.organisation_mean is None


def test_no_comparisons_for_a_survey_without_a_template() -> None:
    unit = UnitFactory.create()
    team, members = team_with_members(5, unit=unit)
    made = sent_survey(team)
    answer_all(made, members)
    for _number in range(2):
        other, others = team_with_members(5, unit=unit)
        other_survey = sent_survey(other)
        answer_all(other_survey, others)
        close(other_survey)
    scale = item(only(survey_results(close(made), members[0])), SCALE_QUESTION)
    assert (scale.unit_mean, scale.organisation_mean) == (None, None)


# --- item_mean (what feeds indicators) ------------------------------------------------------------------


def test_item_mean_is_none_below_the_threshold() -> None:
    team, members = team_with_members(5)
    made = sent(survey(team=team, template="effects"))
    answer_all(made, members[:4], value=3)
    assert results.item_mean(made, "influence") == (4, None)
    assert results.item_mean(made, "influence", team) == (4, None)
    answer(made, members[4], 5)
    assert results.item_mean(made, "influence") == (5, Decimal("3.4"))
    assert results.item_mean(made, "influence", team) == (5, Decimal("3.4"))
    assert results.item_mean(made, "no-such-key") == (0, None)


def test_item_mean_per_team_of_a_unit_survey() -> None:
    unit = UnitFactory.create()
    big, big_members = team_with_members(5, unit=unit)
    small, small_members = team_with_members(5, unit=unit)
    made = sent(survey(unit=unit, template="effects"))
    answer_all(made, big_members, value=4)
    answer_all(made, small_members[:4], value=2)
    assert results.item_mean(made, "influence", big) == (5, Decimal("4.0"))
    assert results.item_mean(made, "influence", small) == (4, None)
