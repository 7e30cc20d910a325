from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.citizens.models import Feedback, Invitation, PanelMember
from tillit.core.forms import TillitForm, TillitModelForm
from tillit.dialogue.models import Dialogue
from tillit.organisation.models import Team

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def services() -> Any:
    return Team.objects.select_related("unit").order_by("unit__name", "name")


class ServiceChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.unit.name})"


class ServiceChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.unit.name})"


class MemberForm(TillitModelForm):
    guard_exempt = (
        "email",
        "phone",
    )  # checked by their own formats; a mobile number can look like an identity number
    services = ServiceChoices(
        label=_("Services you care about"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("We invite you to dialogues and workshops about these. You can change them at any time."),
    )

    class Meta:
        model = PanelMember
        fields = ["name", "email", "phone", "area"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "nickname"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }
        help_texts = {
            "name": _("What we call you. An alias is fine."),
            "email": _("For invitations. Give an e-mail address or a phone number, or both."),
            "phone": _("For invitations by text message."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services()  # type: ignore[attr-defined]

    def validate_unique(self) -> None:
        """Nothing here is unique."""

    def _post_clean(self) -> None:
        """The service checks the member (consent included) and says what is wrong."""


class JoinForm(MemberForm):
    consented = forms.BooleanField(
        label=_("I agree to how my details are kept, as described above."), required=False
    )


class SendLinkForm(TillitForm):
    email = forms.EmailField(
        label=_("Your e-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class FeedbackForm(TillitModelForm):
    guard_exempt = ("email",)
    team = ServiceChoice(label=_("Which service is it about?"), queryset=Team.objects.none())

    class Meta:
        model = Feedback
        fields = ["team", "text", "anonymous", "name", "email", "public"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        labels = {
            "anonymous": _("Send it anonymously"),
            "public": _("Show my feedback publicly under “What came of it” (never with my name)"),
        }
        help_texts = {
            "text": _(
                "What works, what does not, and what could be better? Do not write personal identity numbers or details about your own case."
            ),
            "anonymous": _(
                "Then we keep no name and no address. You can still follow it with the link you get."
            ),
            "email": _("If you want news when something happens. We use it for nothing else."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = services()  # type: ignore[attr-defined]


class InvitationForm(TillitModelForm):
    services = ServiceChoices(
        label=_("Invite those who care about"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to invite the whole panel."),
    )

    class Meta:
        model = Invitation
        fields = ["kind", "title", "description", "starts_at", "place", "dialogue", "services"]
        widgets = {
            "starts_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 4}),
            "kind": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services()  # type: ignore[attr-defined]
        open_dialogues = Dialogue.objects.filter(audience=Dialogue.Audience.ANYONE).order_by("-pk")
        self.fields["dialogue"].queryset = open_dialogues  # type: ignore[attr-defined]
        self.fields["dialogue"].help_text = _("For a dialogue: the one the panel is invited to.")

    def _post_clean(self) -> None:
        """The service checks the invitation."""


class StatusForm(TillitForm):
    status = forms.ChoiceField(
        label=_("What happens now"),
        choices=[
            (Feedback.Status.CONSIDERING, Feedback.Status.CONSIDERING.label),
            (Feedback.Status.DECLINED, Feedback.Status.DECLINED.label),
        ],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the resident"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Needed when it is not taken forward."),
    )


class AnswerForm(TillitForm):
    answer = forms.CharField(
        label=_("The team's answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class ToIdeaForm(TillitForm):
    title = forms.CharField(label=_("The idea in a few words"), max_length=200)
    idea = forms.CharField(label=_("The idea"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    beneficiaries = forms.CharField(
        label=_("Who benefits"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ConsentForm(TillitForm):
    text_sv = forms.CharField(label=_("Text in Swedish"), widget=forms.Textarea(attrs={"rows": 8}))
    text_en = forms.CharField(label=_("Text in English"), widget=forms.Textarea(attrs={"rows": 8}))


class RetentionForm(TillitForm):
    retention_months = forms.IntegerField(
        label=_("Keep residents' data for (months)"),
        min_value=1,
        max_value=120,
        help_text=_(
            "A panel member who has not used their page or taken part for this long is removed, and a finished contribution loses its contact details this long after its last change."
        ),
    )
