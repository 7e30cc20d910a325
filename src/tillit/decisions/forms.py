import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import User
from tillit.core.forms import TillitForm, TillitModelForm
from tillit.decisions.models import (
    MAX_SCORE,
    NON_DELEGABLE,
    PROCESS_POSITIONS,
    Committee,
    Mandate,
    Proposal,
    Response,
)
from tillit.organisation.models import Team, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("full_name")


def _category_choices() -> list[Any]:
    may = [(value, label) for value, label in Mandate.Category.choices if value not in NON_DELEGABLE]
    never = [(value, label) for value, label in Mandate.Category.choices if value in NON_DELEGABLE]
    return [
        ("", "---------"),
        (_("May be delegated"), may),
        (_("May never be delegated (6 kap. 38 § KL)"), never),
    ]


class DeciderChoice(forms.ChoiceField):
    PERSON = "person"
    TEAM = "team"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Who decides"),
            choices=[(self.PERSON, _("A named person, in a role")), (self.TEAM, _("The team together"))],
            initial=self.PERSON,
            widget=forms.RadioSelect,
            **kwargs,
        )


class MandateForm(TillitModelForm):
    decider = DeciderChoice()

    class Meta:
        model = Mandate
        fields = [
            "committee",
            "unit",
            "team",
            "number",
            "matter",
            "category",
            "kind",
            "basis_reference",
            "basis_date",
            "decider",
            "delegate",
            "delegate_role",
            "deputy",
            "amount_limit",
            "scope",
            "further_delegated_by",
            "further_delegated_on",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "basis_date": DATE,
            "further_delegated_on": DATE,
            "scope": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices()  # type: ignore[attr-defined]
        self.fields["delegate"].required = False
        for name in ("delegate", "deputy", "further_delegated_by"):
            self.fields[name].queryset = people()  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.select_related("unit").order_by("name")  # type: ignore[attr-defined]
        if "unit" in self.fields:
            self.fields["unit"].queryset = Unit.objects.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decider") == DeciderChoice.PERSON and not data.get("delegate"):
            self.add_error("delegate", _("Choose the person who decides."))
        return data

    def _post_clean(self) -> None:
        # The service checks the mandate as a whole (and refuses a group as the decision-maker).
        pass

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        decider = data.pop("decider")
        data["delegate"] = data["team"] if decider == DeciderChoice.TEAM else data["delegate"]
        return data


class MandateChangeForm(MandateForm):
    """A proposal to change a mandate: the new content, why, and until when the team may respond."""

    background = forms.CharField(
        label=_("Why the mandate should change"), widget=forms.Textarea(attrs={"rows": 4})
    )
    deadline = forms.DateTimeField(label=_("Deadline for responses"), widget=DATETIME)
    proposing_team = forms.ModelChoiceField(queryset=Team.objects.none(), label=_("Proposed in the team"))

    class Meta(MandateForm.Meta):
        fields = [name for name in MandateForm.Meta.fields if name not in ("committee", "unit")]

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposing_team"].queryset = teams  # type: ignore[attr-defined]
        if len(teams) == 1:
            self.fields["proposing_team"].initial = teams[0]
        self.order_fields(["proposing_team", "background", "deadline"])

    def service_fields(self) -> dict[str, Any]:
        data = super().service_fields()
        for name in ("background", "deadline", "proposing_team"):
            data.pop(name)
        return data


class ProposalForm(TillitModelForm):
    class Meta:
        model = Proposal
        fields = [
            "title",
            "background",
            "mandate",
            "amount",
            "process",
            "options",
            "advisers",
            "deadline",
            "hide_results",
        ]
        widgets = {
            "background": forms.Textarea(attrs={"rows": 6}),
            "options": forms.Textarea(attrs={"rows": 3}),
            "process": forms.RadioSelect,
            "deadline": DATETIME,
            "advisers": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "process": _(
                "Advice: you ask those affected and those who know, then the decision-maker decides. Consent:"
                " the proposal is amended until no reasoned objection remains. Vote: agree, abstain,"
                " disagree or block, and a score from 0 to 5 for each option."
            ),
        }

    def __init__(self, *args: Any, mandates: QuerySet[Mandate] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "mandate" in self.fields:
            self.fields["mandate"].queryset = mandates  # type: ignore[attr-defined]
            self.fields["mandate"].empty_label = _("Team agreement: a matter the team settles itself")  # type: ignore[attr-defined]
            self.fields["mandate"].label = _("Under which mandate")
        self.fields["advisers"].queryset = people()  # type: ignore[attr-defined]
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault(
                "deadline", (timezone.localtime() + datetime.timedelta(days=7)).replace(minute=0, second=0)
            )

    def _post_clean(self) -> None:
        pass  # the service checks the proposal as a whole

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class AmendForm(ProposalForm):
    reason = forms.CharField(
        label=_("What you changed and why"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    class Meta(ProposalForm.Meta):
        fields = ["title", "background", "options", "amount", "advisers", "deadline"]


class ResponseForm(TillitForm):
    position = forms.ChoiceField(label=_("Your response"), widget=forms.RadioSelect)
    option = forms.ChoiceField(label=_("Preferred option"), required=False, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason or advice"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("An objection or a block must give its reason."),
    )

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Response.Position.choices)
        positions = PROCESS_POSITIONS[proposal.process]
        self.fields["position"].choices = [(p, labels[p]) for p in positions]  # type: ignore[attr-defined]
        if len(positions) == 1:
            self.fields["position"].initial = positions[0]
            self.fields["position"].widget = forms.HiddenInput()
            self.fields["reason"].label = _("Your advice")
            self.fields["reason"].help_text = ""
        self.score_names: dict[str, str] = {}
        if proposal.option_list and proposal.process == Proposal.Process.VOTE:
            # A vote between options is a score for each: 0 (not at all) to 5 (the best).
            del self.fields["option"]
            for number, option in enumerate(proposal.option_list, start=1):
                name = f"score_{number}"
                self.score_names[name] = option
                self.fields[name] = forms.IntegerField(
                    label=_("Score for “%(option)s” (0–%(max)s)") % {"option": option, "max": MAX_SCORE},
                    min_value=0,
                    max_value=MAX_SCORE,
                    required=False,
                )
        elif proposal.option_list:
            self.fields["option"].choices = [(o, o) for o in proposal.option_list]  # type: ignore[attr-defined]
        else:
            del self.fields["option"]

    def scores(self) -> dict[str, int]:
        return {
            option: self.cleaned_data[name]
            for name, option in self.score_names.items()
            if self.cleaned_data.get(name) is not None
        }


class ConflictForm(TillitForm):
    reason = forms.CharField(
        label=_("Why you have a conflict of interest"),
        max_length=500,
        help_text=_("For example: a close relative is affected. You will neither respond nor decide."),
    )


class DecideForm(TillitForm):
    outcome = forms.CharField(label=_("What was decided"), widget=forms.Textarea(attrs={"rows": 4}))
    review_on = forms.DateField(
        label=_("Review date"),
        required=False,
        widget=DATE,
        help_text=_("The team is reminded to evaluate the decision on this day."),
    )


class DecisionAmendForm(DecideForm):
    amendment_reason = forms.CharField(
        label=_("Why the decision is amended"), widget=forms.Textarea(attrs={"rows": 3})
    )


class RegisterFilterForm(TillitForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"), required=False, label=_("Team"), empty_label=_("All teams")
    )
    mandate = forms.ModelChoiceField(
        queryset=Mandate.objects.order_by("number", "matter"),
        required=False,
        label=_("Mandate"),
        empty_label=_("All mandates"),
    )
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
    process = forms.ChoiceField(
        label=_("Process"), required=False, choices=[("", _("All")), *Proposal.Process.choices]
    )
    status = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("All")),
            ("delegated", _("Delegated decisions")),
            ("unreported", _("Delegated, not yet reported")),
            ("reported", _("Reported to the committee")),
            ("team", _("Team agreements")),
        ],
    )


class ReportPeriodForm(TillitForm):
    committee = forms.ModelChoiceField(queryset=Committee.objects.all(), label=_("Committee"))
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period must end on or after its first day."))
        return data


class MarkReportedForm(TillitForm):
    reported_on = forms.DateField(label=_("Reported to the committee on"), widget=DATE)
