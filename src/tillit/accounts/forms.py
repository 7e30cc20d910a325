from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import ApiToken
from tillit.core.forms import TillitForm, TillitFormMixin, TillitModelForm


class LoginForm(TillitFormMixin, AuthenticationForm):
    guard_exempt = ("username",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
        self.error_messages["invalid_login"] = _(
            "The e-mail address or password is wrong. Check both and try again."
        )

    def clean_username(self) -> str:
        # Addresses are stored in lower case; the lock-out then also counts every spelling as one account.
        return str(self.cleaned_data["username"]).strip().lower()


class TillitPasswordResetForm(TillitFormMixin, PasswordResetForm):
    guard_exempt = ("email",)


class TillitSetPasswordForm(TillitFormMixin, SetPasswordForm):  # type: ignore[type-arg]
    pass


class InvitationAcceptForm(TillitForm):
    full_name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. Avoid common words and passwords you use elsewhere."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            from tillit.accounts.models import User

            try:
                password_validation.validate_password(
                    first, User(email=self.email, full_name=data.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ApiTokenForm(TillitModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        help_texts = {"name": _("What the token is for, e.g. “Diarium integration”.")}
