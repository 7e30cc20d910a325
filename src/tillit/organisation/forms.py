from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import User
from tillit.core.forms import TillitForm, TillitModelForm
from tillit.organisation.models import Membership, RoleAssignment, Team, Unit


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class UnitForm(TillitModelForm):
    parent = UnitChoiceField(queryset=Unit.objects.order_by("name"), required=False, label=_("Part of"))

    class Meta:
        model = Unit
        fields = ["name", "kind", "parent", "description"]


class TeamForm(TillitModelForm):
    unit = UnitChoiceField(queryset=Unit.objects.order_by("name"), label=_("Unit"))

    class Meta:
        model = Team
        fields = ["name", "unit", "purpose"]
        help_texts = {"purpose": _("Why the team exists and for whom, in the team's own words.")}


class TeamPurposeForm(TillitModelForm):
    class Meta:
        model = Team
        fields = ["purpose"]
        help_texts = {"purpose": _("Why the team exists and for whom, in the team's own words.")}


class PersonByEmailField(forms.EmailField):
    default_error_messages = {"unknown": _("No active person has the e-mail address %(email)s.")}

    def clean(self, value: Any) -> User:
        email = super().clean(value)
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"email": email}
            )
        return person


class MembershipAddForm(TillitForm):
    person = PersonByEmailField(
        label=_("The person's e-mail address"),
        help_text=_("People who have no account yet are invited under Administration → Invitations."),
    )
    role = forms.ChoiceField(label=_("Role in the team"), choices=Membership.Role.choices)


class MembershipRoleForm(TillitForm):
    role = forms.ChoiceField(label=_("Role in the team"), choices=Membership.Role.choices)


class PersonForm(TillitModelForm):
    guard_exempt = ("email",)

    class Meta:
        model = User
        fields = ["full_name", "email", "title"]


class RoleAssignmentForm(TillitForm):
    role = forms.ChoiceField(label=_("Role"), choices=RoleAssignment.Role.choices)
    unit = UnitChoiceField(
        queryset=Unit.objects.order_by("name"),
        required=False,
        label=_("In unit"),
        help_text=_("Leave empty for the whole municipality."),
    )


class InvitationForm(TillitForm):
    guard_exempt = ("email",)
    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"), required=False, label=_("Team (optional)")
    )
    team_role = forms.ChoiceField(
        label=_("Role in the team"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )
