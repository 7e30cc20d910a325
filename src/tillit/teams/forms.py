import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import User
from tillit.core.forms import TillitForm
from tillit.teams.models import AgendaItem
from tillit.teams.role_templates import ROLE_TEMPLATES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RoleForm(TillitForm):
    template = forms.ChoiceField(
        label=_("Start from"),
        required=False,
        choices=[("", _("An empty role")), *((key, t.name) for key, t in ROLE_TEMPLATES.items())],
    )
    name = forms.CharField(
        label=_("Name"), max_length=120, required=False, help_text=_("Leave empty to use the template's.")
    )
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    accountabilities = forms.CharField(
        label=_("Accountabilities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    domain = forms.CharField(label=_("Domain"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=48, initial=12)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("template"):
            for name in ("name", "purpose"):
                if not data.get(name):
                    self.add_error(
                        name,
                        _("Write the role's %(field)s, or start from a template.")
                        % {"field": str(self.fields[name].label).lower()},
                    )
        return data


class HolderForm(TillitForm):
    person = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Who"))
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    deadline = forms.DateTimeField(label=_("The team responds by"), widget=DATETIME)

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("starts_on", timezone.localdate())
            self.initial.setdefault(
                "deadline", (timezone.localtime() + datetime.timedelta(days=3)).replace(minute=0, second=0)
            )


class MeetingForm(TillitForm):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    facilitator = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Facilitator"))

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = members  # type: ignore[attr-defined]


class AgendaItemForm(TillitForm):
    title = forms.CharField(label=_("Item"), max_length=200)
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=AgendaItem.Purpose.choices, widget=forms.RadioSelect, initial="inform"
    )
    minutes = forms.IntegerField(label=_("Time box (minutes)"), min_value=1, max_value=120, initial=10)


class MinutesForm(TillitForm):
    notes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ItemDecisionForm(TillitForm):
    outcome = forms.CharField(label=_("What the team decided"), widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(TillitForm):
    text = forms.CharField(label=_("What"), max_length=300)
    owner = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Who"))
    due_on = forms.DateField(label=_("By"), widget=DATE)

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members  # type: ignore[attr-defined]
