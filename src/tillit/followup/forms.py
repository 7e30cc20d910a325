from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.core.forms import TillitForm, TillitModelForm
from tillit.followup.models import Item, Section, Survey
from tillit.followup.templates_data import TEMPLATES
from tillit.organisation.models import Team, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SurveyForm(TillitModelForm):
    template = forms.ChoiceField(
        label=_("Start from"),
        required=False,
        widget=forms.RadioSelect,
        choices=[("", _("An empty survey")), *((key, t.name) for key, t in TEMPLATES.items())],
    )

    class Meta:
        model = Survey
        fields = [
            "title",
            "intro",
            "audience",
            "team",
            "unit",
            "opens_on",
            "closes_on",
            "anonymous",
            "threshold",
        ]
        widgets = {
            "opens_on": DATE,
            "closes_on": DATE,
            "audience": forms.RadioSelect,
            "intro": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, teams: Any, units: Any, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["team"].label = _("Team")
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["unit"].label = _("Unit")
        if not units.exists():
            self.fields["audience"].choices = [  # type: ignore[attr-defined]
                choice for choice in Survey.Audience.choices if choice[0] != Survey.Audience.UNIT
            ]
            del self.fields["unit"]
        if not creating:
            del self.fields["template"]
            if self.instance.sent_at is not None:
                for name in ("audience", "team", "unit", "opens_on", "anonymous", "threshold"):
                    self.fields.pop(name, None)

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name != "template"}


class SectionForm(TillitModelForm):
    class Meta:
        model = Section
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ItemForm(TillitForm):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=Item.Kind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Question"), max_length=300)
    section = forms.ModelChoiceField(queryset=Section.objects.none(), required=False, label=_("Section"))
    low_label = forms.CharField(
        label=_("Label of the lowest value"), required=False, max_length=60, help_text=_("For a scale.")
    )
    high_label = forms.CharField(
        label=_("Label of the highest value"), required=False, max_length=60, help_text=_("For a scale.")
    )
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For one or several choices: one choice per line."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = survey.sections.all()  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["choices"] = data["choices"].splitlines()
        return data


class RoundForm(TillitForm):
    opens_on = forms.DateField(label=_("Opens"), widget=DATE)
    closes_on = forms.DateField(label=_("Closes"), widget=DATE)


class AnswerForm(TillitForm):
    """The survey as a form: one field per question, named item_<pk>, grouped by section in the template. Most
    questions may be skipped, so the page says so once and marks the required ones instead of every other."""

    optional_by_default = True

    def __init__(self, *args: Any, survey: Survey, preview: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.items = list(survey.items.select_related("section"))
        for item in self.items:
            self.fields[f"item_{item.pk}"] = self._field(item)
            if preview:
                self.fields[f"item_{item.pk}"].disabled = True

    def _field(self, item: Item) -> forms.Field:
        common: dict[str, Any] = {"label": item.text, "required": item.required}
        if item.is_scale:
            top = item.scale_max or 5
            choices = [(str(value), str(value)) for value in range(1, top + 1)]
            return forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "scale-option"}),
                help_text=_("1 = %(low)s, %(top)d = %(high)s")
                % {"low": item.low_label, "top": top, "high": item.high_label},
                **common,
            )
        if item.kind == Item.Kind.SINGLE:
            return forms.ChoiceField(
                choices=[(c, c) for c in item.choices], widget=forms.RadioSelect, **common
            )
        if item.kind == Item.Kind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=[(c, c) for c in item.choices], widget=forms.CheckboxSelectMultiple, **common
            )
        return forms.CharField(
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("Do not write names or anything that shows who you are or who you write about."),
            **common,
        )

    def sections(self) -> list[tuple[Section | None, list[Any]]]:
        """The fields in the survey's order, grouped by section."""
        grouped: list[tuple[Section | None, list[Any]]] = []
        for item in self.items:
            bound = self[f"item_{item.pk}"]
            if grouped and grouped[-1][0] == item.section:
                grouped[-1][1].append(bound)
            else:
                grouped.append((item.section, [bound]))
        return grouped

    def answers(self) -> dict[int, Any]:
        return {item.pk: self.cleaned_data.get(f"item_{item.pk}") for item in self.items}


def teams_for(user: Any) -> Any:
    if user.has_perm("followup.see_above_team"):
        return Team.objects.order_by("name")
    return Team.objects.filter(memberships__person=user).distinct().order_by("name")


def units_for(user: Any) -> Any:
    if user.has_perm("followup.survey_unit"):
        return Unit.objects.order_by("name")
    return Unit.objects.none()
