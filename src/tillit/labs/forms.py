from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.core.forms import TillitForm, TillitModelForm
from tillit.labs.models import (
    ATTACHMENT_EXTENSIONS,
    LEARNING_FIELDS,
    Attachment,
    EffectGoal,
    Idea,
    Indicator,
    Initiative,
    Lab,
    Link,
    Measurement,
    Track,
)
from tillit.labs.services import INITIATIVE_FIELDS
from tillit.organisation.models import Team, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LEARNING_HELP = {
    "learned_worked": _("In the team's own words."),
    "learned_not_worked": _(
        "Stopped initiatives are not failures to hide: what did not work helps others most."
    ),
    "learned_for_others": _("What would you tell another municipality that wants to try this?"),
}


def _administrations() -> Any:
    return Unit.objects.filter(kind=Unit.Kind.ADMINISTRATION).order_by("name")


class LabForm(TillitModelForm):
    class Meta:
        model = Lab
        fields = ["name", "description", "hypothesis", "research_partners"]
        widgets = {"research_partners": forms.Textarea(attrs={"rows": 3})}


class TrackForm(TillitModelForm):
    class Meta:
        model = Track
        fields = ["name", "description", "unit"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class InitiativeForm(TillitModelForm):
    class Meta:
        model = Initiative
        fields = [*INITIATIVE_FIELDS, "teams"]
        widgets = {
            "pilot_start": DATE,
            "pilot_end": DATE,
            "success_factors": forms.Textarea(attrs={"rows": 4}),
            "questions": forms.Textarea(attrs={"rows": 4}),
            "support": forms.Textarea(attrs={"rows": 3}),
            "teams": forms.CheckboxSelectMultiple,
            **{name: forms.Textarea(attrs={"rows": 4}) for name in LEARNING_FIELDS},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["administration"].queryset = _administrations()  # type: ignore[attr-defined]
        self.fields["track"].queryset = Track.objects.select_related("lab").order_by("lab__name", "name")  # type: ignore[attr-defined]
        self.fields["track"].label_from_instance = lambda track: f"{track.lab.name}: {track.name}"  # type: ignore[attr-defined]
        self.fields["teams"].queryset = Team.objects.order_by("name")  # type: ignore[attr-defined]
        for name, help_text in LEARNING_HELP.items():
            self.fields[name].help_text = help_text

    def service_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in INITIATIVE_FIELDS}
        data["teams"] = list(self.cleaned_data["teams"])
        return data


class StatusForm(TillitModelForm):
    """The status and stage, with the learnings that ending an initiative requires."""

    class Meta:
        model = Initiative
        fields = ["status", "stage", *LEARNING_FIELDS]
        widgets = {
            "status": forms.RadioSelect,
            "stage": forms.RadioSelect,
            **{name: forms.Textarea(attrs={"rows": 4}) for name in LEARNING_FIELDS},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, help_text in LEARNING_HELP.items():
            self.fields[name].help_text = help_text
        self.fields["status"].help_text = _(
            "Ending the initiative, realised or stopped, needs all three learnings below."
        )


class LinkForm(TillitModelForm):
    class Meta:
        model = Link
        fields = ["title", "url"]


class AttachmentForm(TillitModelForm):
    class Meta:
        model = Attachment
        fields = ["title", "file"]
        widgets = {
            "file": forms.ClearableFileInput(
                attrs={"accept": ",".join("." + e for e in ATTACHMENT_EXTENSIONS)}
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, Word, Excel, PowerPoint, OpenDocument, text or image, at most 20 MB."
        )


class EffectGoalForm(TillitModelForm):
    class Meta:
        model = EffectGoal
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class IndicatorForm(TillitModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "direction", "baseline", "baseline_on", "target", "target_on"]
        widgets = {"baseline_on": DATE, "target_on": DATE, "direction": forms.RadioSelect}


class MeasurementForm(TillitModelForm):
    class Meta:
        model = Measurement
        fields = ["measured_on", "value", "comment"]
        widgets = {"measured_on": DATE}


class IdeaForm(TillitModelForm):
    class Meta:
        model = Idea
        fields = ["title", "problem", "idea", "beneficiaries", "area", "submitter_name", "submitter_email"]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "idea": forms.Textarea(attrs={"rows": 4}),
            "beneficiaries": forms.Textarea(attrs={"rows": 2}),
            "submitter_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "submitter_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].help_text = _("Optional: e.g. school, elderly care, the library.")
        if signed_in:
            del self.fields["submitter_name"]
            del self.fields["submitter_email"]


class IdeaAssessForm(TillitForm):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (value, label)
            for value, label in Idea.Status.choices
            if value not in (Idea.Status.RECEIVED, Idea.Status.INITIATIVE)
        ],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Feedback to the submitter"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The submitter sees this. Needed when the idea is taken forward or not."),
    )


class IdeaToInitiativeForm(TillitForm):
    lab = forms.ModelChoiceField(queryset=Lab.objects.all(), required=False, label=_("Lab"))
    title = forms.CharField(label=_("Title of the initiative"), max_length=200)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    message = forms.CharField(
        label=_("Feedback to the submitter"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PortfolioFilterForm(TillitForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    lab = forms.ModelChoiceField(
        queryset=Lab.objects.all(), required=False, label=_("Lab"), empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Initiative.Status.choices]
    )
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All")), *Initiative.Stage.choices]
    )
    area = forms.ChoiceField(label=_("Area"), required=False)
    administration = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("Administration"), empty_label=_("All")
    )

    def __init__(self, *args: Any, areas: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All")), *((area, area) for area in areas)]  # type: ignore[attr-defined]
        self.fields["administration"].queryset = (  # type: ignore[attr-defined]
            Unit.objects.filter(initiatives__published_at__isnull=False).distinct().order_by("name")
        )


class LearningsFilterForm(TillitForm):
    q = forms.CharField(label=_("Search the learnings"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Initiative.Status.choices]
    )


class ImportForm(TillitForm):
    file = forms.FileField(
        label=_("Portfolio export (JSON)"),
        help_text=_(
            "Another municipality's export from /portfolj/export.json. A file with any problem changes nothing."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
