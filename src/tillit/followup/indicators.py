"""Indicators of the follow-up and their values: entered by hand, imported from Kolada, or computed from a
team's answers to a survey question. Every change is made in a transaction with history.

An indicator can feed the effect-goal indicators of initiatives (``labs.Indicator.feed``): whenever its values
change, each fed indicator gets one measurement per value date, so that the initiative's chart fills itself.
Measurements a person entered by hand on other dates are left alone; a fed measurement whose value is removed
here goes too."""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.core.history import label_actions, label_values, record, save_and_record
from tillit.followup import kolada, results
from tillit.followup.models import Indicator, IndicatorValue, Survey
from tillit.followup.rules import RELEASE_AFTER_DAYS
from tillit.labs import models as labs
from tillit.labs.services import initiative_touch

label_values("source", Indicator.Source.choices)
label_values("direction", Indicator.Direction.choices)
label_values("kolada_gender", Indicator._meta.get_field("kolada_gender").choices or [])
label_actions(
    {
        "indicator.created": gettext_lazy("Indicator created"),
        "indicator.changed": gettext_lazy("Indicator changed"),
        "indicator.value_added": gettext_lazy("Value added"),
        "indicator.value_removed": gettext_lazy("Value removed"),
        "indicator.kolada_imported": gettext_lazy("Values imported from Kolada"),
        "indicator.survey_refreshed": gettext_lazy("Values updated from surveys"),
        "indicator.linked": gettext_lazy("Set to fill an effect goal's indicator"),
        "indicator.unlinked": gettext_lazy("No longer fills an effect goal's indicator"),
        "initiative.indicator_linked": gettext_lazy("Indicator filled from the follow-up"),
        "initiative.indicator_unlinked": gettext_lazy("Indicator no longer filled from the follow-up"),
        "initiative.measurements_fed": gettext_lazy("Measurements filled from the follow-up"),
    }
)

INDICATOR_FIELDS = (
    "name",
    "description",
    "unit",
    "direction",
    "source",
    "kolada_kpi",
    "kolada_municipality",
    "kolada_gender",
    "survey_item_key",
    "team",
)
# What says where the values come from: it cannot change under values that came from somewhere else.
SOURCE_FIELDS = ("source", "kolada_kpi", "kolada_municipality", "kolada_gender", "survey_item_key", "team")
KOLADA_FIELDS = ("kolada_kpi", "kolada_municipality", "kolada_gender")
SURVEY_FIELDS = ("survey_item_key", "team")
CENT = Decimal("0.01")


def source_note(source: str) -> str:
    """The note a value from Kolada carries, in the site's language (it is stored, and shown to everyone)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Source: Kolada") if source == Indicator.Source.KOLADA else ""


# Reads.


def indicator_list_for(user: Any) -> QuerySet[Indicator]:
    """Every indicator with its latest value and how many effect-goal indicators it feeds, in one query."""
    if not user.has_perm("followup.view"):
        raise PermissionDenied
    latest = IndicatorValue.objects.filter(indicator=OuterRef("pk")).order_by("-measured_on")
    return (
        Indicator.objects.select_related("team")
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_on=Subquery(latest.values("measured_on")[:1]),
            latest_note=Subquery(latest.values("source_note")[:1]),
            fed_count=Count("effect_indicators", distinct=True),
        )
        .order_by("name", "pk")
    )


def indicator_get_for(user: Any, pk: int) -> Indicator:
    if not user.has_perm("followup.view"):
        raise PermissionDenied
    indicator = Indicator.objects.select_related("team").filter(pk=pk).first()
    if indicator is None:
        raise Http404
    return indicator


def fed_indicators(indicator: Indicator) -> list[labs.Indicator]:
    """The effect-goal indicators this indicator fills, with their goals and initiatives."""
    return list(
        indicator.effect_indicators.select_related("goal__initiative").order_by(
            "goal__initiative__title", "pk"
        )
    )


def linkable_indicators(user: Any) -> QuerySet[labs.Indicator]:
    """Effect-goal indicators of initiatives the person may change, for the select that links one.

    People who run labs may change every initiative (one rule check); anyone else only those of their own
    teams, checked initiative by initiative among the few their teams take part in."""
    effect_indicators = labs.Indicator.objects.select_related("goal__initiative", "feed").order_by(
        "goal__initiative__title", "goal__pk", "pk"
    )
    if user.has_perm("labs.change_initiative"):
        return effect_indicators
    candidates = labs.Initiative.objects.filter(teams__memberships__person=user).distinct()
    allowed = [
        initiative.pk for initiative in candidates if user.has_perm("labs.change_initiative", initiative)
    ]
    return effect_indicators.filter(goal__initiative__in=allowed)


# Indicators.


def _normalised(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Only the fields of the indicator's source are kept: a manual indicator has no KPI, a Kolada one no team."""
    data = dict(fields)
    source = data.get("source", Indicator.Source.MANUAL)
    data["kolada_kpi"] = str(data.get("kolada_kpi") or "").strip().upper()
    data["kolada_municipality"] = str(data.get("kolada_municipality") or "").strip()
    data["kolada_gender"] = data.get("kolada_gender") or "T"
    data["survey_item_key"] = str(data.get("survey_item_key") or "").strip()
    data.setdefault("team", None)
    if source != Indicator.Source.KOLADA:
        data.update(kolada_kpi="", kolada_municipality="", kolada_gender="T")
    if source != Indicator.Source.SURVEY:
        data.update(survey_item_key="", team=None)
    return data


def check_indicator(indicator: Indicator) -> None:
    errors: dict[str, Any] = {}
    if indicator.source == Indicator.Source.KOLADA:
        if not kolada.KPI_PATTERN.match(indicator.kolada_kpi):
            errors["kolada_kpi"] = _(
                "Write the KPI's id as Kolada does: a letter and five digits, e.g. N00945."
            )
        if not kolada.MUNICIPALITY_PATTERN.match(indicator.kolada_municipality):
            errors["kolada_municipality"] = _("Write the municipality's code in four digits, e.g. 0180.")
    if indicator.source == Indicator.Source.SURVEY:
        if not indicator.survey_item_key:
            errors["survey_item_key"] = _("Choose the survey question whose answers make the values.")
        if indicator.team_id is None:
            errors["team"] = _("Choose the team whose answers make the values.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def indicator_create(*, actor: Any, **fields: Any) -> Indicator:
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"Not an indicator field: {', '.join(sorted(unknown))}")
    return save_and_record(
        Indicator(),
        actor=actor,
        action="indicator.created",
        tracked=INDICATOR_FIELDS,
        fields=_normalised(fields),
        check=check_indicator,
    )


@transaction.atomic
def indicator_update(*, actor: Any, indicator: Indicator, **fields: Any) -> Indicator:
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"Not an indicator field: {', '.join(sorted(unknown))}")
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = {name: getattr(indicator, name) for name in SOURCE_FIELDS}
    has_values = indicator.values.exists()

    def check(changed: Indicator) -> None:
        check_indicator(changed)
        moved = [name for name in SOURCE_FIELDS if getattr(changed, name) != before[name]]
        if has_values and moved:
            raise ValidationError(
                {
                    moved[0]: _(
                        "The indicator already has values from its source: a new source would mix two series."
                        " Create a new indicator, or remove the values first."
                    )
                }
            )

    data = _normalised({**{name: getattr(indicator, name) for name in INDICATOR_FIELDS}, **fields})
    saved = save_and_record(
        indicator, actor=actor, action="indicator.changed", tracked=INDICATOR_FIELDS, fields=data, check=check
    )
    _feed_all(saved, actor=actor)
    return saved


# Values.


@dataclass
class ValueChanges:
    """What an import or an update from surveys did, date by date."""

    added: list[IndicatorValue] = field(default_factory=list)
    changed: list[IndicatorValue] = field(default_factory=list)
    unchanged: int = 0
    missing: list[int] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed)

    def history(self, dates: str) -> dict[str, Any]:
        shown = sorted([*self.added, *self.changed], key=lambda value: value.measured_on)
        return {
            "measured_on": dates,
            "value": ", ".join(f"{value.measured_on:%Y-%m-%d}: {value.value}" for value in shown),
        }


def _upsert(indicator: Indicator, figures: Mapping[datetime.date, tuple[Decimal, str]]) -> ValueChanges:
    existing = {value.measured_on: value for value in indicator.values.all()}
    changes = ValueChanges()
    for day, (number, note) in sorted(figures.items()):
        number = number.quantize(CENT, rounding=ROUND_HALF_UP)
        value = existing.get(day)
        if value is None:
            value = IndicatorValue(indicator=indicator, measured_on=day, value=number, source_note=note)
            value.full_clean()
            value.save()
            changes.added.append(value)
        elif value.value != number or value.source_note != note:
            value.value, value.source_note = number, note
            value.full_clean()
            value.save(update_fields=["value", "source_note"])
            changes.changed.append(value)
        else:
            changes.unchanged += 1
    return changes


@transaction.atomic
def indicator_value_add(
    *, actor: Any, indicator: Indicator, measured_on: datetime.date, value: Decimal, source_note: str = ""
) -> IndicatorValue:
    """A value entered by hand: only for an indicator whose values are entered by hand."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if indicator.source != Indicator.Source.MANUAL:
        raise ValidationError(
            _("The values of this indicator come from %(source)s: they are not entered by hand.")
            % {"source": indicator.get_source_display().lower()}
        )
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": _("A value cannot be dated in the future.")})
    if indicator.values.filter(measured_on=measured_on).exists():
        raise ValidationError(
            {"measured_on": _("There is already a value on this date. Remove it first to enter another.")}
        )
    added = IndicatorValue(indicator=indicator, measured_on=measured_on, value=value, source_note=source_note)
    added.full_clean()
    added.save()
    record(
        actor=actor,
        obj=indicator,
        action="indicator.value_added",
        changes={"measured_on": str(measured_on), "value": str(added.value)},
    )
    _feed_all(indicator, actor=actor)
    return added


@transaction.atomic
def indicator_value_remove(*, actor: Any, value: IndicatorValue) -> None:
    """Removes a value, whatever its source (a wrong import, a mistyped figure), and the measurements it fed."""
    indicator = Indicator.objects.select_for_update().get(pk=value.indicator_id)
    record(
        actor=actor,
        obj=indicator,
        action="indicator.value_removed",
        changes={"measured_on": str(value.measured_on), "value": str(value.value)},
    )
    removed_on = value.measured_on
    value.delete()
    _feed_all(indicator, actor=actor, removed_on=[removed_on])


# Kolada.


Fetch = Callable[[str, str, Iterable[int], str], dict[int, Decimal]]


def kolada_import(
    *, actor: Any, indicator: Indicator, years: Iterable[int], fetch: Fetch | None = None
) -> ValueChanges:
    """Imports the KPI's value for each year (dated 31 December). Everything is read from Kolada first and
    written in one transaction: a failed import (KoladaError) changes nothing."""
    if indicator.source != Indicator.Source.KOLADA:
        raise ValidationError(_("This indicator's values do not come from Kolada."))
    wanted = sorted(set(years))
    try:
        kolada.check_years(wanted)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    figures = (fetch or kolada.fetch)(
        indicator.kolada_kpi, indicator.kolada_municipality, wanted, indicator.kolada_gender
    )
    note = source_note(Indicator.Source.KOLADA)
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        changes = _upsert(
            indicator,
            {
                datetime.date(year, 12, 31): (number, note)
                for year, number in figures.items()
                if year in wanted
            },
        )
        changes.missing = [year for year in wanted if year not in figures]
        if changes.any:
            record(
                actor=actor,
                obj=indicator,
                action="indicator.kolada_imported",
                changes=changes.history(kolada.describe_years(wanted)),
            )
        _feed_all(indicator, actor=actor)
    return changes


# Surveys.


def closed_surveys(indicator: Indicator) -> QuerySet[Survey]:
    """The closed rounds sent to the indicator's team that ask its question, once their results are out of the
    team's hands: an indicator is seen by everyone, and a team's results belong to the team first, until it
    shares them or RELEASE_AFTER_DAYS after the round closed (tillit.followup.rules)."""
    today = timezone.localdate()
    released_on = today - datetime.timedelta(days=RELEASE_AFTER_DAYS)
    closed = Q(closed_at__isnull=False) | Q(closes_on__lt=today)
    released = (
        Q(releases__team=indicator.team_id)
        | Q(closed_at__date__lte=released_on)
        | Q(closed_at__isnull=True, closes_on__lt=released_on)
    )
    return (
        Survey.objects.filter(
            team=indicator.team_id, items__key=indicator.survey_item_key, sent_at__isnull=False
        )
        .filter(closed & released)
        .distinct()
        .order_by("closes_on", "pk")
    )


def refresh_from_surveys(indicator: Indicator, *, actor: Any = None) -> ValueChanges:
    """The team's mean answer to the question in each closed round (once the team's results are shared, see
    ``closed_surveys``) becomes the value on the day the round closed. A round where too few answered for the
    survey's anonymity threshold gives no value."""
    if indicator.source != Indicator.Source.SURVEY or indicator.team is None or not indicator.survey_item_key:
        raise ValidationError(_("This indicator's values do not come from a survey question."))
    figures: dict[datetime.date, tuple[Decimal, str]] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for survey in closed_surveys(indicator):
            count, mean = results.item_mean(survey, indicator.survey_item_key, indicator.team)
            if mean is None:
                continue
            note = _("%(survey)s, round %(round)d (%(count)d answers)") % {
                "survey": survey.title,
                "round": survey.round,
                "count": count,
            }
            figures[survey.closes_on] = (Decimal(mean), note[:200])
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        changes = _upsert(indicator, figures)
        if changes.any:
            dates = ", ".join(f"{day:%Y-%m-%d}" for day in sorted(figures))
            record(
                actor=actor,
                obj=indicator,
                action="indicator.survey_refreshed",
                changes=changes.history(dates),
            )
        _feed_all(indicator, actor=actor)
    return changes


def refresh_survey_indicators(survey: Survey, *, actor: Any = None) -> None:
    """Updates every indicator fed by the survey's team and questions: when the survey closes, and when the
    team shares its results."""
    keys = set(survey.items.exclude(key="").values_list("key", flat=True))
    if survey.team_id is None or not keys:
        return
    for indicator in Indicator.objects.filter(
        source=Indicator.Source.SURVEY, team=survey.team_id, survey_item_key__in=keys
    ):
        refresh_from_surveys(indicator, actor=actor)


# Effect goals of initiatives.


@transaction.atomic
def indicator_link(*, actor: Any, indicator: Indicator, effect_indicator: labs.Indicator) -> labs.Indicator:
    """The indicator fills the effect-goal indicator from now on; its values become measurements at once."""
    effect_indicator = (
        labs.Indicator.objects.select_for_update(of=("self",))
        .select_related("goal__initiative", "feed")
        .get(pk=effect_indicator.pk)
    )
    if effect_indicator.feed_id == indicator.pk:
        return effect_indicator
    previous = effect_indicator.feed
    effect_indicator.feed = indicator
    effect_indicator.save(update_fields=["feed"])
    initiative = effect_indicator.goal.initiative
    where = {"goal": effect_indicator.goal.title, "indicator": effect_indicator.name}
    record(actor=actor, obj=indicator, action="indicator.linked", changes=where)
    if previous is not None:
        record(actor=actor, obj=previous, action="indicator.unlinked", changes=where)
    record(
        actor=actor,
        obj=initiative,
        action="initiative.indicator_linked",
        changes={**where, "link": indicator.name},
    )
    initiative_touch(initiative)
    _feed(indicator, effect_indicator, list(indicator.values.all()), actor=actor, removed_on=())
    return effect_indicator


@transaction.atomic
def indicator_unlink(*, actor: Any, effect_indicator: labs.Indicator) -> labs.Indicator:
    """The effect-goal indicator is no longer filled. The measurements it got stay, as figures of their day."""
    effect_indicator = (
        labs.Indicator.objects.select_for_update(of=("self",))
        .select_related("goal__initiative", "feed")
        .get(pk=effect_indicator.pk)
    )
    previous = effect_indicator.feed
    if previous is None:
        return effect_indicator
    effect_indicator.feed = None
    effect_indicator.save(update_fields=["feed"])
    where = {"goal": effect_indicator.goal.title, "indicator": effect_indicator.name}
    record(actor=actor, obj=previous, action="indicator.unlinked", changes=where)
    record(
        actor=actor,
        obj=effect_indicator.goal.initiative,
        action="initiative.indicator_unlinked",
        changes={**where, "link": previous.name},
    )
    initiative_touch(effect_indicator.goal.initiative)
    return effect_indicator


def _feed_all(indicator: Indicator, *, actor: Any, removed_on: Iterable[datetime.date] = ()) -> None:
    """Brings every effect-goal indicator the indicator fills up to date with its values."""
    fed = list(indicator.effect_indicators.select_related("goal__initiative"))
    if not fed:
        return
    values = list(indicator.values.all())
    for effect_indicator in fed:
        _feed(indicator, effect_indicator, values, actor=actor, removed_on=tuple(removed_on))


def _feed(
    indicator: Indicator,
    effect_indicator: labs.Indicator,
    values: list[IndicatorValue],
    *,
    actor: Any,
    removed_on: tuple[datetime.date, ...],
) -> None:
    """One measurement per value date, with the indicator's source; a fed measurement (not entered by hand)
    whose date no longer has a value is removed, and so is the measurement on a date whose value was just
    removed. Hand-entered measurements on other dates are never touched."""
    source = indicator.source
    existing = {measurement.measured_on: measurement for measurement in effect_indicator.measurements.all()}
    wanted = {value.measured_on: value for value in values}
    person = actor if getattr(actor, "is_authenticated", False) else None
    touched: list[str] = []
    for day, value in wanted.items():
        measurement = existing.get(day)
        if measurement is None:
            labs.Measurement.objects.create(
                indicator=effect_indicator,
                measured_on=day,
                value=value.value,
                comment=value.source_note,
                source=source,
                created_by=person,
            )
            touched.append(f"{day:%Y-%m-%d}: {value.value}")
        elif (measurement.value, measurement.comment, measurement.source) != (
            value.value,
            value.source_note,
            source,
        ):
            measurement.value, measurement.comment, measurement.source = (
                value.value,
                value.source_note,
                source,
            )
            measurement.save(update_fields=["value", "comment", "source"])
            touched.append(f"{day:%Y-%m-%d}: {value.value}")
    for day, measurement in existing.items():
        if day in wanted:
            continue
        fed = measurement.source != labs.Measurement.Source.MANUAL
        if fed or (day in removed_on and measurement.source == source):
            measurement.delete()
            touched.append(f"{day:%Y-%m-%d}: –")
    if touched:
        initiative = effect_indicator.goal.initiative
        record(
            actor=actor,
            obj=initiative,
            action="initiative.measurements_fed",
            changes={
                "indicator": effect_indicator.name,
                "link": indicator.name,
                "measured_on": ", ".join(touched),
            },
        )
        initiative_touch(initiative)
