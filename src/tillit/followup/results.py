"""Survey results that keep anonymity.

* A group's figures are shown only when at least the survey's threshold have answered in it.
* Free text is shown only above the threshold, and never to someone who could tell who wrote it by the count:
  a viewer who answered in the group needs the threshold of *other* answers.
* No figure may be worked out by subtraction: a unit's total includes the teams that are hidden (too few
  answers) only when those teams together reach the threshold, and a comparison (the unit, the organisation)
  is shown only when the answers it holds beyond the viewer's own group reach the threshold.
* Results belong to the team first (see tillit.followup.rules): people above a team see its results once the
  team has shared them, or RELEASE_AFTER_DAYS after the survey closed.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.followup.models import Answer, Item, Recipient, Release, Response, Survey
from tillit.followup.rules import RELEASE_AFTER_DAYS
from tillit.followup.surveys import is_closed, survey_seal
from tillit.organisation.models import Membership, Team
from tillit.organisation.selectors import unit_descendant_ids


def _mean(values: list[int]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Bar:
    label: str
    count: int
    percent: int


@dataclass
class ItemResult:
    item: Item
    answered: int = 0
    mean: Decimal | None = None
    bars: list[Bar] = field(default_factory=list)
    texts: list[str] | None = None
    rounds: list[tuple[int, Decimal | None]] = field(default_factory=list)
    unit_mean: Decimal | None = None
    organisation_mean: Decimal | None = None

    @property
    def previous_mean(self) -> Decimal | None:
        earlier = [mean for _round, mean in self.rounds[:-1] if mean is not None]
        return earlier[-1] if earlier else None

    @property
    def change(self) -> Decimal | None:
        previous = self.previous_mean
        return None if previous is None or self.mean is None else self.mean - previous

    @property
    def bar_percent(self) -> int:
        """The mean's place on the scale, 0–100, for the chart."""
        top = self.item.scale_max
        if self.mean is None or not top:
            return 0
        return round(float((self.mean - 1) / (top - 1)) * 100)

    @property
    def previous_percent(self) -> int | None:
        top = self.item.scale_max
        previous = self.previous_mean
        if previous is None or not top:
            return None
        return round(float((previous - 1) / (top - 1)) * 100)


@dataclass
class GroupResult:
    label: str
    team: Team | None
    answered: int
    asked: int | None
    shown: bool
    texts_shown: bool = False
    items: list[ItemResult] = field(default_factory=list)
    note: str = ""

    @property
    def scale_items(self) -> list[ItemResult]:
        return [result for result in self.items if result.item.is_scale and result.mean is not None]


def released(survey: Survey, team: Team | None, today: datetime.date | None = None) -> bool:
    """Whether people above the team may see the team's results."""
    if not is_closed(survey, today):
        return False
    today = today or timezone.localdate()
    closed_on = survey.closes_on
    if survey.closed_at is not None:
        closed_on = min(closed_on, timezone.localdate(survey.closed_at))
    if closed_on + datetime.timedelta(days=RELEASE_AFTER_DAYS) <= today:
        return True
    return team is not None and Release.objects.filter(survey=survey, team=team).exists()


def _viewer_teams(viewer: Any) -> set[int]:
    if not getattr(viewer, "is_authenticated", False):
        return set()
    return set(
        Membership.objects.filter(
            person=viewer, role__in=(Membership.Role.MEMBER, Membership.Role.COACH)
        ).values_list("team_id", flat=True)
    )


def may_see_team(viewer: Any, survey: Survey, team: Team | None, teams: set[int] | None = None) -> bool:
    if not is_closed(survey):
        return False
    teams = _viewer_teams(viewer) if teams is None else teams
    if team is not None and team.pk in teams:
        return True
    return bool(viewer.has_perm("followup.see_above_team")) and released(survey, team)


def _rows(surveys: list[int]) -> list[tuple[Any, int | None, int, int | None, list[str], str]]:
    return list(
        Answer.objects.filter(response__survey__in=surveys).values_list(
            "response_id", "response__team_id", "item_id", "value", "chosen", "text"
        )
    )


def _group(
    survey: Survey,
    label: str,
    team: Team | None,
    rows: list[Any],
    items: list[Item],
    responses: set[Any],
    asked: int | None,
    viewer_answered: bool,
    note: str = "",
) -> GroupResult:
    answered = len(responses)
    shown = answered >= survey.threshold
    group = GroupResult(label=label, team=team, answered=answered, asked=asked, shown=shown, note=note)
    if not shown:
        return group
    group.texts_shown = answered - (1 if viewer_answered else 0) >= survey.threshold
    by_item: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        if row[0] in responses:
            by_item[row[2]].append(row)
    for item in items:
        found = by_item.get(item.pk, [])
        result = ItemResult(item=item, answered=len(found))
        if item.is_scale:
            values = [row[3] for row in found if row[3] is not None]
            result.mean = _mean(values)
            top = item.scale_max or 5
            result.bars = [
                Bar(
                    str(value),
                    values.count(value),
                    round(100 * values.count(value) / len(values)) if values else 0,
                )
                for value in range(1, top + 1)
            ]
        elif item.kind in (Item.Kind.SINGLE, Item.Kind.MULTIPLE):
            counts = {choice: 0 for choice in item.choices}
            for row in found:
                for choice in row[4]:
                    if choice in counts:
                        counts[choice] += 1
            result.bars = [
                Bar(choice, count, round(100 * count / len(found)) if found else 0)
                for choice, count in counts.items()
            ]
        elif group.texts_shown:
            # Sorted, so that the order says nothing about who wrote first.
            result.texts = sorted((row[5] for row in found if row[5]), key=str.casefold)
        group.items.append(result)
    return group


def survey_results(survey: Survey, viewer: Any) -> list[GroupResult]:
    """The groups of a closed survey that the viewer may see, each with figures only above the threshold."""
    if not is_closed(survey):
        return []
    if survey.closed_at is None:
        # Closed by its date: sealed now, before anyone reads a result.
        survey_seal(survey)
        survey.refresh_from_db()
    items = list(survey.items.all())
    rows = _rows([survey.pk])
    responses_by_team: dict[int | None, set[Any]] = defaultdict(set)
    for row in rows:
        responses_by_team[row[1]].add(row[0])
    asked = _asked(survey)
    answered_in = _viewer_answered_team(survey, viewer)
    viewer_teams = _viewer_teams(viewer)
    groups: list[GroupResult] = []
    if survey.audience == Survey.Audience.LINK:
        if viewer.has_perm("followup.see_above_team") or survey.created_by_id == getattr(viewer, "pk", None):
            everyone = set().union(*responses_by_team.values()) if responses_by_team else set()
            groups.append(
                _group(survey, _("Everyone who answered"), None, rows, items, everyone, None, False)
            )
        return groups
    teams = {team.pk: team for team in Team.objects.filter(pk__in=[pk for pk in asked if pk is not None])}
    hidden: set[Any] = set()
    visible_answers: set[Any] = set()
    for team_pk, team in sorted(teams.items(), key=lambda pair: pair[1].name):
        responses = responses_by_team.get(team_pk, set())
        if len(responses) < survey.threshold:
            hidden |= responses
        else:
            visible_answers |= responses
        if may_see_team(viewer, survey, team, viewer_teams):
            groups.append(
                _group(
                    survey,
                    team.name,
                    team,
                    rows,
                    items,
                    responses,
                    asked.get(team_pk),
                    answered_in == team_pk,
                )
            )
    if (
        survey.audience == Survey.Audience.UNIT
        and survey.unit is not None
        and _may_see_total(viewer, survey, set(teams), viewer_teams)
    ):
        total = set(visible_answers)
        note = ""
        if hidden and len(hidden) >= survey.threshold:
            total |= hidden
        elif hidden:
            note = _(
                "Teams with too few answers to be shown are left out of the total too, so that their answers "
                "cannot be worked out by subtraction."
            )
        groups.append(
            _group(
                survey,
                survey.unit.name,
                None,
                rows,
                items,
                total,
                sum(asked.values()),
                answered_in is not None,
                note,
            )
        )
    _add_trend(survey, groups)
    _add_comparisons(survey, groups)
    return groups


def _may_see_total(viewer: Any, survey: Survey, teams: set[int], viewer_teams: set[int]) -> bool:
    """A unit survey's total: for those in its teams at once (as a comparison); above the teams only once every
    team has shared its results, or the time for sharing has passed."""
    if teams & viewer_teams:
        return True
    if not viewer.has_perm("followup.see_above_team"):
        return False
    if released(survey, None):
        return True
    shared = set(Release.objects.filter(survey=survey).values_list("team_id", flat=True))
    return teams <= shared


def _asked(survey: Survey) -> dict[int | None, int]:
    counts: dict[int | None, int] = defaultdict(int)
    for team_id in Recipient.objects.filter(survey=survey).values_list("team_id", flat=True):
        counts[team_id] += 1
    return counts


def _viewer_answered_team(survey: Survey, viewer: Any) -> int | None:
    """The team in which the viewer answered (their own answer must not be the one that lets text show)."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    recipient = Recipient.objects.filter(survey=survey, person=viewer, answered=True).first()
    return recipient.team_id if recipient else None


def _add_trend(survey: Survey, groups: list[GroupResult]) -> None:
    """Each shown group's means in every closed round of the series, by question key."""
    rounds = [
        s for s in Survey.objects.filter(series=survey.series, round__lte=survey.round).order_by("round")
    ]
    rounds = [s for s in rounds if is_closed(s)]
    if len(rounds) < 2:
        for group in groups:
            for result in group.items:
                result.rounds = [(survey.round, result.mean)]
        return
    rows = _rows([s.pk for s in rounds])
    keys = {item.pk: (item.survey_id, item.key) for item in Item.objects.filter(survey__in=rounds)}
    threshold = survey.threshold
    # (survey, team) → responses, and (survey, team, key) → values
    responses: dict[tuple[int, int | None], set[Any]] = defaultdict(set)
    values: dict[tuple[int, int | None, str], list[int]] = defaultdict(list)
    for response_id, team_id, item_id, value, _chosen, _text in rows:
        survey_id, key = keys[item_id]
        responses[(survey_id, team_id)].add(response_id)
        if value is not None and key:
            values[(survey_id, team_id, key)].append(value)
    for group in groups:
        if not group.shown or group.team is None:
            for result in group.items:
                result.rounds = [(survey.round, result.mean)]
            continue
        for result in group.items:
            series: list[tuple[int, Decimal | None]] = []
            for round_survey in rounds:
                if round_survey.pk == survey.pk:
                    series.append((round_survey.round, result.mean))
                    continue
                enough = len(responses[(round_survey.pk, group.team.pk)]) >= threshold
                mean = _mean(values[(round_survey.pk, group.team.pk, result.item.key)]) if enough else None
                series.append((round_survey.round, mean))
            result.rounds = series


def _add_comparisons(survey: Survey, groups: list[GroupResult]) -> None:
    """The unit's and the organisation's means for the same questions (same template, same year), each only when
    it holds at least the threshold of answers beyond the group's own."""
    if not survey.template:
        return
    year = survey.opens_on.year
    others = [
        s
        for s in Survey.objects.filter(
            template=survey.template, opens_on__year=year, sent_at__isnull=False
        ).select_related("team")
        if is_closed(s)
    ]
    rows = _without_small_groups(_rows([s.pk for s in others]), survey.threshold)
    keys = {item.pk: item.key for item in Item.objects.filter(survey__in=others).exclude(key="")}
    team_unit = {t.pk: t.unit_id for t in Team.objects.filter(pk__in={row[1] for row in rows if row[1]})}
    for group in groups:
        if not group.shown or group.team is None:
            continue
        unit_ids = {group.team.unit_id, *unit_descendant_ids(group.team.unit)}
        own = {row[0] for row in rows if row[1] == group.team.pk}
        in_unit = {row[0] for row in rows if row[1] is not None and team_unit.get(row[1]) in unit_ids}
        everyone = {row[0] for row in rows}
        unit_values: dict[str, list[int]] = defaultdict(list)
        all_values: dict[str, list[int]] = defaultdict(list)
        for response_id, _team_id, item_id, value, _chosen, _text in rows:
            key = keys.get(item_id)
            if key is None or value is None:
                continue
            all_values[key].append(value)
            if response_id in in_unit:
                unit_values[key].append(value)
        show_unit = len(in_unit - own) >= survey.threshold
        show_all = len(everyone - own) >= survey.threshold and len(everyone - in_unit) >= survey.threshold
        for result in group.items:
            if not result.item.is_scale or not result.item.key:
                continue
            if show_unit:
                result.unit_mean = _mean(unit_values[result.item.key])
            if show_all:
                result.organisation_mean = _mean(all_values[result.item.key])


def _without_small_groups(rows: list[Any], threshold: int) -> list[Any]:
    """Leaves out the answers of groups too small to be shown (fewer than the threshold in their survey), unless
    those groups together reach the threshold: a mean over many groups could otherwise give a small one away
    once the others are known."""
    sheets = dict(Response.objects.filter(pk__in={row[0] for row in rows}).values_list("pk", "survey_id"))
    sizes: dict[tuple[int, int | None], set[Any]] = defaultdict(set)
    for row in rows:
        sizes[(sheets[row[0]], row[1])].add(row[0])
    small = set().union(*(group for group in sizes.values() if len(group) < threshold)) if sizes else set()
    if len(small) >= threshold:
        return rows
    return [row for row in rows if row[0] not in small]


def item_mean(survey: Survey, key: str, team: Any = None) -> tuple[int, Decimal | None]:
    """(how many answered the question with this key, their mean), for the team or (no team) everyone who
    answered; the mean is None below the survey's threshold of answer sheets."""
    responses = Response.objects.filter(survey=survey)
    if team is not None:
        responses = responses.filter(team=team)
    sheets = responses.count()
    values = [
        value
        for value in Answer.objects.filter(response__in=responses, item__key=key).values_list(
            "value", flat=True
        )
        if value is not None
    ]
    if sheets < survey.threshold:
        return len(values), None
    return len(values), _mean(values)


def surveys_for(viewer: Any) -> dict[str, Any]:
    """The surveys on the follow-up page: those waiting for the viewer's answer, and the rest the viewer sees."""
    from tillit.followup.selectors import survey_list_for

    today = timezone.localdate()
    to_answer = [
        recipient.survey
        for recipient in Recipient.objects.filter(person=viewer, answered=False).select_related("survey")
        if recipient.survey.closed_at is None
        and recipient.survey.opens_on <= today <= recipient.survey.closes_on
    ]
    return {
        "to_answer": to_answer,
        "surveys": list(survey_list_for(user=viewer).order_by("-opens_on", "-pk")[:100]),
    }
