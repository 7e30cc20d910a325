"""Forms of the HR processes. None reads the database when it is made: choices are lazy querysets."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import User
from tillit.core.forms import TillitForm, TillitModelForm
from tillit.decisions.models import Decision
from tillit.hr.models import (
    Candidate,
    HrSettings,
    Recruitment,
    Reference,
    RehabEntry,
    Score,
    Talk,
)
from tillit.organisation.models import RoleAssignment, Team

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("full_name", "id")


class SettingsForm(TillitModelForm):
    class Meta:
        model = HrSettings
        fields = ["candidate_retention_months", "rehab_retention_months"]


class _RecruitmentFields(TillitModelForm):
    class Meta:
        model = Recruitment
        fields = ["title", "need", "decision", "requirements", "advert", "delegate", "panel"]
        widgets = {
            "need": forms.Textarea(attrs={"rows": 4}),
            "requirements": forms.Textarea(attrs={"rows": 5}),
            "advert": forms.Textarea(attrs={"rows": 6}),
            "panel": forms.CheckboxSelectMultiple,
        }

    def _choices(self, teams: QuerySet[Team]) -> None:
        self.fields["decision"].queryset = Decision.objects.filter(team__in=teams).select_related("proposal")  # type: ignore[attr-defined]
        self.fields["delegate"].queryset = _people()  # type: ignore[attr-defined]
        self.fields["delegate"].required = False
        self.fields["panel"].queryset = _people().filter(memberships__team__in=teams).distinct()  # type: ignore[attr-defined]
        self.fields["panel"].help_text = _("Chosen from the team's members.")

    def service_fields(self) -> dict[str, Any]:
        data = {
            name: self.cleaned_data[name] for name in ("title", "need", "decision", "requirements", "advert")
        }
        data["delegate"] = self.cleaned_data.get("delegate")
        data["panel"] = list(self.cleaned_data["panel"])
        return data


class RecruitmentCreateForm(_RecruitmentFields):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label=_("team"))

    class Meta(_RecruitmentFields.Meta):
        fields = ["team", *_RecruitmentFields.Meta.fields]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(memberships__person=user).distinct()
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self._choices(teams)


class RecruitmentEditForm(_RecruitmentFields):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices(Team.objects.filter(pk=self.instance.team_id))
        self.fields["delegate"].help_text = _("The named person who decides on delegation.")


class CandidateForm(TillitModelForm):
    # Contact data, not free text: a phone number can pass for an identity number's digits.
    guard_exempt = ("email", "phone")

    class Meta:
        model = Candidate
        fields = ["name", "email", "phone", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True


class AssessmentForm(TillitForm):
    """A score (1–4) and a comment for each requirement; the fields follow the recruitment's requirements."""

    def __init__(self, *args: Any, requirements: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.requirements = requirements
        for index, requirement in enumerate(requirements):
            self.fields[f"score_{index}"] = forms.TypedChoiceField(
                label=requirement, choices=Score.choices, coerce=int, widget=forms.RadioSelect
            )
            self.fields[f"comment_{index}"] = forms.CharField(
                label=_("Comment on “%(requirement)s”") % {"requirement": requirement},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> list[Any]:
        from tillit.hr.services import ScoreInput

        return [
            ScoreInput(index, self.cleaned_data[f"score_{index}"], self.cleaned_data[f"comment_{index}"])
            for index in range(len(self.requirements))
        ]


class ReferenceForm(TillitModelForm):
    class Meta:
        model = Reference
        fields = ["referee", "relation", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class _CandidateChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class DecideForm(TillitForm):
    chosen = _CandidateChoice(queryset=Candidate.objects.none(), label=_("chosen candidate"))
    reasoning = forms.CharField(label=_("reasoning"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, recruitment: Recruitment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = recruitment.candidates.filter(removed_at__isnull=True)  # type: ignore[attr-defined]


class ConflictForm(TillitForm):
    candidate = _CandidateChoice(
        queryset=Candidate.objects.none(),
        required=False,
        label=_("about the candidate"),
        help_text=_("Empty: the whole recruitment."),
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, recruitment: Recruitment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = recruitment.candidates.filter(removed_at__isnull=True)  # type: ignore[attr-defined]


class TalkForm(TillitModelForm):
    class Meta:
        model = Talk
        fields = ["kind", "date", "counterpart"]
        widgets = {"date": DATE}

    def __init__(self, *args: Any, counterparts: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counterpart"].queryset = counterparts  # type: ignore[attr-defined]
        self.fields["counterpart"].help_text = _("One of your coaches or a manager above you.")


class PreparationForm(TillitModelForm):
    class Meta:
        model = Talk
        fields = ["preparation", "preparation_shared"]
        widgets = {"preparation": forms.Textarea(attrs={"rows": 8})}


class FeedbackAskForm(TillitForm):
    colleague = forms.ModelChoiceField(queryset=User.objects.none(), label=_("colleague"))
    question = forms.CharField(
        label=_("question"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The colleague sees this question and nothing else of your talk."),
    )

    def __init__(self, *args: Any, talk: Talk, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = _people().exclude(pk__in=(talk.employee_id, talk.counterpart_id))  # type: ignore[attr-defined]


class FeedbackAnswerForm(TillitForm):
    answer = forms.CharField(
        label=_("your answer"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Your colleague reads it, and decides whether the person they meet may read it too."),
    )


class OutcomeForm(TillitModelForm):
    class Meta:
        model = Talk
        fields = ["outcome"]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].required = True


class RehabOpenForm(TillitForm):
    employee = forms.ModelChoiceField(queryset=User.objects.none(), label=_("employee"))
    manager = forms.ModelChoiceField(queryset=User.objects.none(), label=_("responsible manager"))
    hr_contact = forms.ModelChoiceField(queryset=User.objects.none(), label=_("HR contact"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = _people().filter(memberships__isnull=False).distinct()  # type: ignore[attr-defined]
        managers = _people().filter(role_assignments__role=RoleAssignment.Role.MANAGER).distinct()
        specialists = _people().filter(role_assignments__role=RoleAssignment.Role.HR).distinct()
        self.fields["manager"].queryset = managers  # type: ignore[attr-defined]
        self.fields["hr_contact"].queryset = specialists  # type: ignore[attr-defined]


class RehabEntryForm(TillitModelForm):
    class Meta:
        model = RehabEntry
        fields = ["kind", "text", "follow_up_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "follow_up_on": DATE}
