"""Indicators: the list, an indicator's page with its chart and figures, and the forms that change them."""

import math
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from tillit.core.charts import Point, Tick, nice_step, tick_label
from tillit.core.forms import EMPTY_CHOICE, TillitForm, TillitModelForm, is_done, render_form, run_service
from tillit.core.history import history_of
from tillit.core.permissions import require
from tillit.followup import indicators as services
from tillit.followup import kolada
from tillit.followup.models import Indicator, IndicatorValue, Item
from tillit.labs import models as labs
from tillit.labs.charts import Chart
from tillit.organisation.models import Team

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_YEAR_TICKS = 8


# Forms.


def survey_questions(current: str = "") -> list[tuple[str, str]]:
    """The survey questions an indicator can follow: every question with a template key, named by its text."""
    texts: dict[str, str] = {}
    for key, text in Item.objects.exclude(key="").order_by("key", "-pk").values_list("key", "text"):
        texts.setdefault(key, f"{text} ({key})")
    if current and current not in texts:
        texts[current] = current
    return sorted(texts.items(), key=lambda pair: pair[1].casefold())


class IndicatorForm(TillitModelForm):
    survey_item_key = forms.ChoiceField(label=gettext_lazy("Survey question"), required=False)

    KOLADA = ("kolada_kpi", "kolada_municipality", "kolada_gender")
    SURVEY = ("survey_item_key", "team")

    class Meta:
        model = Indicator
        fields = list(services.INDICATOR_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "direction": forms.RadioSelect,
            "source": forms.RadioSelect,
            "kolada_gender": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.survey_item_key if self.instance.pk else ""
        # Read when the form is shown or checked, not when it is made.
        self.fields["survey_item_key"].choices = lambda: [("", EMPTY_CHOICE), *survey_questions(current)]  # type: ignore[attr-defined]
        self.fields["survey_item_key"].help_text = _(
            "Questions with the same key are the same question in every survey and round."
        )
        self.fields["team"].queryset = Team.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["unit"].help_text = _("E.g. %, days, index 1–5.")

    def common_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in (*self.KOLADA, *self.SURVEY)]

    def kolada_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.KOLADA]

    def survey_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.SURVEY]


class ValueForm(TillitModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["measured_on", "value", "source_note"]
        widgets = {"measured_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Written as the reader writes it, 14,5 in Swedish, and read back the same way.
        value = self.fields["value"]
        value.localize = True
        value.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        value.widget.is_localized = True
        self.fields["source_note"].label = _("Source or comment")
        self.fields["source_note"].help_text = _("Optional: where the figure comes from.")


class KoladaImportForm(TillitForm):
    first_year = forms.IntegerField(label=gettext_lazy("From year"), min_value=kolada.FIRST_YEAR)
    last_year = forms.IntegerField(label=gettext_lazy("To year"), min_value=kolada.FIRST_YEAR)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        this_year = timezone.localdate().year
        kwargs.setdefault("initial", {"first_year": this_year - 10, "last_year": this_year - 1})
        super().__init__(*args, **kwargs)
        for name in ("first_year", "last_year"):
            self.fields[name].validators.append(MaxValueValidator(this_year))
            self.fields[name].widget.attrs["max"] = this_year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_year"), data.get("last_year")
        if first is not None and last is not None:
            if last < first:
                self.add_error("last_year", _("The last year cannot come before the first."))
            elif last - first + 1 > kolada.MAX_YEARS:
                self.add_error(
                    "first_year", _("At most %(count)d years at a time.") % {"count": kolada.MAX_YEARS}
                )
        return data

    def years(self) -> list[int]:
        return list(range(self.cleaned_data["first_year"], self.cleaned_data["last_year"] + 1))


class LinkForm(TillitForm):
    effect_indicator = forms.ModelChoiceField(
        queryset=labs.Indicator.objects.none(),
        label=gettext_lazy("Effect-goal indicator"),
        help_text=gettext_lazy(
            "Its chart is filled with this indicator's values from now on. Measurements entered by hand on other"
            " dates stay."
        ),
    )

    def __init__(self, *args: Any, user: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["effect_indicator"]
        field.queryset = services.linkable_indicators(user).exclude(feed=indicator)  # type: ignore[attr-defined]
        field.label_from_instance = self.label  # type: ignore[attr-defined]

    @staticmethod
    def label(effect_indicator: labs.Indicator) -> str:
        goal = effect_indicator.goal
        text = f"{goal.initiative.title} – {goal.title} – {effect_indicator.name}"
        if effect_indicator.feed is not None:
            text += " " + _("(now filled from %(name)s)") % {"name": effect_indicator.feed.name}
        return text


# The chart: the values over time as server-side SVG, drawn by followup/indicators/_chart.html.


def value_chart(values: Sequence[IndicatorValue]) -> Chart | None:
    if not values:
        return None
    numbers = [float(value.value) for value in values]
    low, high = min(numbers), max(numbers)
    step = nice_step(high - low or abs(high) or 1)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    if high == low:
        low, high = low - step, high + step
    first, last = values[0].measured_on, values[-1].measured_on
    days = (last - first).days
    chart = Chart()

    def x(day: Any) -> float:
        share = (day - first).days / days if days else 0.5
        return float(chart.left) + (chart.right - chart.left) * share

    def y(value: float) -> float:
        return float(chart.bottom - (chart.bottom - chart.top) * (value - low) / (high - low))

    chart.measurements = [Point(x(value.measured_on), y(float(value.value))) for value in values]
    chart.y_ticks = [
        Tick(y(low + n * step), tick_label(low + n * step, step))
        for n in range(round((high - low) / step) + 1)
    ]
    yearly = all((value.measured_on.month, value.measured_on.day) == (12, 31) for value in values)
    if yearly:
        every = math.ceil(len(values) / MAX_YEAR_TICKS)
        chart.x_ticks = [Tick(x(value.measured_on), str(value.measured_on.year)) for value in values[::every]]
    elif days == 0:
        chart.x_ticks = [Tick(x(first), f"{first:%Y-%m-%d}")]
    else:
        years = list(range(first.year + (first.month > 1 or first.day > 1), last.year + 1))
        if len(years) >= 2:
            every = math.ceil(len(years) / MAX_YEAR_TICKS)
            chart.x_ticks = [
                Tick(x(first.replace(year=year, month=1, day=1)), str(year)) for year in years[::every]
            ]
        else:
            chart.x_ticks = [Tick(x(first), f"{first:%Y-%m}", "start"), Tick(x(last), f"{last:%Y-%m}", "end")]
    return chart


# Pages.


@login_required
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "indicators": services.indicator_list_for(request.user),
        "can_manage": request.user.has_perm("followup.manage_indicators"),
        "nav": "followup",
        "tab": "indicators",
    }
    return render(request, "followup/indicators/list.html", context)


def _detail_page(request: HttpRequest, indicator: Indicator, status: int = 200, **bound: Any) -> HttpResponse:
    """Each form on the page has its own prefix, so that ids stay unique; a form that came back with errors is
    shown in its place with what the person wrote, the others empty."""
    user = request.user
    can_manage = user.has_perm("followup.manage_indicators")
    values = list(indicator.values.all())
    fed = services.fed_indicators(indicator)
    context: dict[str, Any] = {
        "indicator": indicator,
        "values": values,
        "latest": values[-1] if values else None,
        "chart": value_chart(values),
        "question": Item.objects.filter(key=indicator.survey_item_key).values_list("text", flat=True).first()
        if indicator.source == Indicator.Source.SURVEY
        else None,
        "fed": [
            (effect, can_manage and user.has_perm("labs.change_initiative", effect.goal.initiative))
            for effect in fed
        ],
        "can_manage": can_manage,
        "nav": "followup",
        "tab": "indicators",
    }
    if can_manage:
        context |= {
            "value_form": bound.get("value") or ValueForm(prefix="value"),
            "kolada_form": bound.get("kolada") or KoladaImportForm(prefix="kolada"),
            "link_form": bound.get("link") or LinkForm(prefix="link", user=user, indicator=indicator),
            "history": history_of(indicator),
        }
    return render(request, "followup/indicators/detail.html", context, status=status)


@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, services.indicator_get_for(request.user, pk))


def _manageable(request: HttpRequest, pk: int) -> Indicator:
    indicator = services.indicator_get_for(request.user, pk)
    require(request.user, "followup.manage_indicators")
    return indicator


@login_required
def indicator_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "followup.manage_indicators")
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        indicator = run_service(form, services.indicator_create, actor=request.user, **form.cleaned_data)
        if indicator is not None:
            messages.success(request, _("The indicator has been created."))
            return redirect(indicator)
    return render_form(request, "followup/indicators/form.html", {"form": form, "nav": "followup"}, form)


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _manageable(request, pk)
    form = IndicatorForm(request.POST or None, instance=Indicator.objects.get(pk=indicator.pk))
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, services.indicator_update, actor=request.user, indicator=indicator, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, _("The indicator has been saved."))
            return redirect(saved)
    context = {"form": form, "indicator": indicator, "nav": "followup"}
    return render_form(request, "followup/indicators/form.html", context, form)


@login_required
@require_POST
def value_add(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _manageable(request, pk)
    form = ValueForm(request.POST, prefix="value")
    if form.is_valid() and is_done(
        run_service(
            form, services.indicator_value_add, actor=request.user, indicator=indicator, **form.cleaned_data
        )
    ):
        messages.success(request, _("The value has been added."))
        return redirect(indicator)
    return _detail_page(request, indicator, status=400, value=form)


@login_required
@require_POST
def value_remove(request: HttpRequest, pk: int, value: int) -> HttpResponse:
    indicator = _manageable(request, pk)
    services.indicator_value_remove(
        actor=request.user, value=get_object_or_404(IndicatorValue, pk=value, indicator=indicator)
    )
    messages.success(request, _("The value has been removed."))
    return redirect(indicator)


@login_required
@require_POST
def kolada_import(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _manageable(request, pk)
    form = KoladaImportForm(request.POST, prefix="kolada")
    if form.is_valid():
        try:
            changes = run_service(
                form, services.kolada_import, actor=request.user, indicator=indicator, years=form.years()
            )
        except kolada.KoladaError as error:
            form.add_error(None, error.message)
        else:
            if changes is not None:
                messages.success(request, _import_message(changes))
                return redirect(indicator)
    return _detail_page(request, indicator, status=400, kolada=form)


def _import_message(changes: services.ValueChanges) -> str:
    text = _("Imported from Kolada: %(added)s, %(changed)s, %(unchanged)s.") % {
        "added": ngettext("%(count)d new value", "%(count)d new values", len(changes.added))
        % {"count": len(changes.added)},
        "changed": ngettext("%(count)d changed", "%(count)d changed", len(changes.changed))
        % {"count": len(changes.changed)},
        "unchanged": ngettext(
            "%(count)d already up to date", "%(count)d already up to date", changes.unchanged
        )
        % {"count": changes.unchanged},
    }
    if changes.missing:
        text += " " + _("Kolada has no figures yet for %(years)s.") % {
            "years": kolada.describe_years(changes.missing)
        }
    return text


@login_required
@require_POST
def survey_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _manageable(request, pk)
    try:
        changes = services.refresh_from_surveys(indicator, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Updated from the surveys: %(added)d new and %(changed)d changed values.")
            % {"added": len(changes.added), "changed": len(changes.changed)},
        )
    return redirect(indicator)


@login_required
@require_POST
def link(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _manageable(request, pk)
    form = LinkForm(request.POST, prefix="link", user=request.user, indicator=indicator)
    if form.is_valid():
        effect_indicator = form.cleaned_data["effect_indicator"]
        require(request.user, "labs.change_initiative", effect_indicator.goal.initiative)
        services.indicator_link(actor=request.user, indicator=indicator, effect_indicator=effect_indicator)
        messages.success(
            request,
            _("“%(name)s” is now filled with this indicator's values.") % {"name": effect_indicator.name},
        )
        return redirect(indicator)
    return _detail_page(request, indicator, status=400, link=form)


@login_required
@require_POST
def unlink(request: HttpRequest, pk: int, effect: int) -> HttpResponse:
    indicator = _manageable(request, pk)
    effect_indicator = get_object_or_404(
        labs.Indicator.objects.select_related("goal__initiative"), pk=effect, feed=indicator
    )
    require(request.user, "labs.change_initiative", effect_indicator.goal.initiative)
    services.indicator_unlink(actor=request.user, effect_indicator=effect_indicator)
    messages.success(
        request, _("“%(name)s” is no longer filled from this indicator.") % {"name": effect_indicator.name}
    )
    return redirect(indicator)


urlpatterns: list[URLPattern] = [
    path("uppfoljning/indikatorer/", index, name="indicators"),
    path("uppfoljning/indikatorer/ny/", indicator_create, name="indicator_create"),
    path("uppfoljning/indikatorer/<int:pk>/", indicator_detail, name="indicator"),
    path("uppfoljning/indikatorer/<int:pk>/andra/", indicator_edit, name="indicator_edit"),
    path("uppfoljning/indikatorer/<int:pk>/varden/", value_add, name="indicator_value_add"),
    path(
        "uppfoljning/indikatorer/<int:pk>/varden/<int:value>/ta-bort/",
        value_remove,
        name="indicator_value_remove",
    ),
    path("uppfoljning/indikatorer/<int:pk>/kolada/", kolada_import, name="indicator_kolada"),
    path("uppfoljning/indikatorer/<int:pk>/enkater/", survey_refresh, name="indicator_refresh"),
    path("uppfoljning/indikatorer/<int:pk>/koppla/", link, name="indicator_link"),
    path("uppfoljning/indikatorer/<int:pk>/koppla-bort/<int:effect>/", unlink, name="indicator_unlink"),
]
