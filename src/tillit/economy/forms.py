from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import User
from tillit.core.forms import TillitForm, TillitModelForm
from tillit.economy.csv_files import parse_amount
from tillit.economy.models import AccountGroup, Attestant, Transaction

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CSV_MAX_BYTES = 5 * 1024 * 1024


class AmountField(forms.Field):
    """Kronor as people write them: 12 500, 12500,50 or −300. Not a CharField: an amount is not free text."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        try:
            return parse_amount(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


def _people() -> Any:
    return User.objects.filter(is_active=True).order_by("full_name")


class BudgetForm(TillitForm):
    """One amount per account group; the view passes the groups so that the form itself asks nothing."""

    def __init__(
        self, *args: Any, groups: Iterable[AccountGroup], initial_amounts: dict[int, Decimal], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.groups = list(groups)
        for group in self.groups:
            amount = initial_amounts.get(group.pk)
            self.fields[f"group_{group.pk}"] = AmountField(
                label=f"{group.code} {group.name}",
                required=False,
                initial=None if amount is None else f"{amount:.2f}".replace(".", ","),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )

    def amounts(self) -> dict[AccountGroup, Decimal | None]:
        return {group: self.cleaned_data[f"group_{group.pk}"] for group in self.groups}


class ForecastForm(TillitForm):
    amount = AmountField(
        label=_("Forecast for the month (kronor)"),
        help_text=_("The net cost the team expects for the month."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ExplanationForm(TillitForm):
    text = forms.CharField(
        label=_("What explains the deviation?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("For example a vacancy, a one-off purchase or a cost booked in the wrong month."),
    )


class CsvForm(TillitForm):
    file = forms.FileField(label=_("CSV file"), help_text=_("Semicolon- or comma-separated, with headings."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class AttestantForm(TillitModelForm):
    amount_limit = AmountField(
        label=_("Highest amount (kronor)"), required=False, help_text=_("Empty: no limit.")
    )

    class Meta:
        model = Attestant
        fields = ["cost_centre", "person", "step", "amount_limit", "deputy_for"]

    def __init__(self, *args: Any, cost_centres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cost_centre"].queryset = cost_centres  # type: ignore[attr-defined]
        self.fields["person"].queryset = _people()  # type: ignore[attr-defined]
        self.fields["deputy_for"].queryset = _people()  # type: ignore[attr-defined]


class AbsenceForm(TillitForm):
    person = forms.ModelChoiceField(label=_("Who is away"), queryset=User.objects.none())
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To and including"), widget=DATE)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class CloseRelationForm(TillitForm):
    relative = forms.ModelChoiceField(
        label=_("Close relative who works in the municipality"),
        queryset=User.objects.none(),
        help_text=_("You will not be able to attest payments to this person."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["relative"].queryset = _people()  # type: ignore[attr-defined]


class TransactionForm(TillitModelForm):
    amount = AmountField(label=_("Amount (kronor)"), widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    class Meta:
        model = Transaction
        fields = [
            "cost_centre",
            "account_group",
            "kind",
            "counterparty",
            "reference",
            "payee",
            "description",
            "amount",
            "dated",
            "due_on",
        ]
        widgets = {"dated": DATE, "due_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, cost_centres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cost_centre"].queryset = cost_centres  # type: ignore[attr-defined]
        self.fields["payee"].queryset = _people()  # type: ignore[attr-defined]

    def validate_unique(self) -> None:
        """The service checks the invoice is new and says so on the form."""


class AttestForm(TillitForm):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Needed when you reject."),
    )


class ConflictForm(TillitForm):
    reason = forms.CharField(
        label=_("What is the conflict?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
