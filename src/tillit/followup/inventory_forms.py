"""Forms of the inventory of rules and reporting requirements."""

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import User
from tillit.core.forms import TillitForm, TillitModelForm
from tillit.followup.inventory import (
    MINUTES_REFUSED,
    REQUIREMENT_FIELDS,
    SIMPLIFY_NEEDS_MINUTES,
    TIME_FIELDS,
    TIMES_REFUSED,
    USEFULNESS_REFUSED,
)
from tillit.followup.models import Requirement
from tillit.organisation.models import Team, Unit

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
USEFULNESS_CHOICES = [
    (1, _("1 – not useful at all")),
    (2, _("2 – of little use")),
    (3, _("3 – somewhat useful")),
    (4, _("4 – useful")),
    (5, _("5 – very useful")),
]


class RequirementForm(TillitModelForm):
    """What it is, where it comes from, and what it costs. When registering, also whose it is: a team's or a
    unit's (one of the two, by construction)."""

    belongs_to = forms.ChoiceField(
        label=_("Whose it is"),
        help_text=_("The team, or the unit or administration, that works under it."),
    )
    usefulness = forms.TypedChoiceField(
        label=_("How useful it is"),
        choices=USEFULNESS_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("As those who do the work see it."),
        error_messages={"required": USEFULNESS_REFUSED, "invalid_choice": USEFULNESS_REFUSED},
    )

    class Meta:
        model = Requirement
        fields = ["belongs_to", *REQUIREMENT_FIELDS]
        widgets = {
            "origin": forms.RadioSelect,
            "minutes_each_time": forms.NumberInput(attrs={"min": "1"}),
        }
        help_texts = {
            "times_per_year": _(
                "E.g. 12 for every month, 52 for every week, about 220 for every working day."
            ),
            "asked_by": _(
                "E.g. the committee, the administration's management, the Health and Social Care Inspectorate."
            ),
            "used_by": _("Who reads or acts on what comes out of it, if anyone does."),
            "origin": _(
                "Rules the administration or the unit set themselves are the room for action: they can be changed"
                " here, without the council or the law."
            ),
        }
        error_messages = {
            "times_per_year": {"min_value": TIMES_REFUSED, "required": TIMES_REFUSED},
            "minutes_each_time": {"min_value": MINUTES_REFUSED, "required": MINUTES_REFUSED},
        }

    def __init__(
        self,
        *args: Any,
        teams: Sequence[Team] = (),
        units: Sequence[Unit] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by("full_name")  # type: ignore[attr-defined]
        self.fields["owner"].help_text = _(
            "Who can change or remove it. A proposal to remove or simplify it asks them for advice."
        )
        self.fields["origin"].choices = Requirement.Origin.choices  # type: ignore[attr-defined]
        # Written as the reader writes it, 0,5 in Swedish, and read back the same way.
        times = self.fields["times_per_year"]
        times.localize = True
        times.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        times.widget.is_localized = True
        self._holders: dict[str, Team | Unit] = {}
        if self.instance.pk is not None:
            del self.fields["belongs_to"]
            if self.instance.status != Requirement.Status.ACTIVE:
                for name in TIME_FIELDS:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Cannot be changed once a change is proposed or made: the hours freed are counted from it."
                    )
            return
        self._holders = {f"team:{team.pk}": team for team in teams} | {
            f"unit:{unit.pk}": unit for unit in units
        }
        choices: list[Any] = [("", _("Choose a team or a unit"))]
        if teams:
            choices.append((_("Teams"), [(f"team:{team.pk}", team.name) for team in teams]))
        if units:
            choices.append(
                (_("Units and administrations"), [(f"unit:{unit.pk}", unit.name) for unit in units])
            )
        self.fields["belongs_to"].choices = choices  # type: ignore[attr-defined]

    def clean_belongs_to(self) -> Team | Unit:
        holder = self._holders.get(self.cleaned_data["belongs_to"])
        if holder is None:
            raise forms.ValidationError(_("Choose one of your teams, or a unit."))
        return holder

    def holder(self) -> dict[str, Any]:
        """The service's `team` or `unit`."""
        holder = self.cleaned_data["belongs_to"]
        return {"team": holder} if isinstance(holder, Team) else {"unit": holder}

    def service_fields(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name] for name in REQUIREMENT_FIELDS if not self.fields[name].disabled
        }


class ProposeChangeForm(TillitForm):
    change = forms.ChoiceField(
        label=_("What do you propose?"), choices=Requirement.Change.choices, widget=forms.RadioSelect
    )
    proposed_minutes = forms.IntegerField(
        label=_("Minutes each time after the simplification"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"min": "1"}),
        help_text=_("Only for a simplification: fewer minutes than today, for everyone involved together."),
        error_messages={"min_value": MINUTES_REFUSED},
    )
    reason = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What it costs, what it gives, and what would be lost without it."),
    )
    in_team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        label=_("Proposed in the team"),
        help_text=_(
            "The proposal follows the team's advice process: the owner of the rule is asked for advice."
        ),
    )
    deadline = forms.DateTimeField(label=_("Deadline for advice"), widget=DATETIME)

    def __init__(self, *args: Any, teams: Sequence[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["in_team"]
        field.queryset = Team.objects.filter(pk__in=[team.pk for team in teams]).order_by("name")  # type: ignore[attr-defined]
        if len(teams) == 1:
            field.initial = teams[0].pk
        self.fields["deadline"].initial = (timezone.localtime() + datetime.timedelta(days=7)).replace(
            minute=0, second=0, microsecond=0
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        simplify = data.get("change") == Requirement.Change.SIMPLIFY
        if simplify and data.get("proposed_minutes") is None and "proposed_minutes" not in self.errors:
            self.add_error("proposed_minutes", SIMPLIFY_NEEDS_MINUTES)
        return data


class InventoryFilterForm(TillitForm):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, label=_("Team"))
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, label=_("Unit"))
    origin = forms.ChoiceField(
        choices=[("", _("All")), *Requirement.Origin.choices], required=False, label=_("Comes from")
    )
    kind = forms.ChoiceField(
        choices=[("", _("All")), *Requirement.Kind.choices], required=False, label=_("Kind")
    )
    status = forms.ChoiceField(
        choices=[("", _("All")), *Requirement.Status.choices], required=False, label=_("Status")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["team"].empty_label = _("All teams")  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["unit"].empty_label = _("All units")  # type: ignore[attr-defined]
