"""The base for every Tillit form: one error summary, one field layout, and the sensitive-data guard."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from tillit.core.models import AccessibilityReport
from tillit.core.sensitive import validate_no_identity_numbers

# Django's own label for an empty choice in a select. Named here so that our catalogue translates it: Django's
# Swedish catalogue does not have it yet.
EMPTY_CHOICE = gettext_lazy("- Select an option -")


class TillitFormMixin:
    template_name = "core/forms/form.html"
    guard_exempt: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if name in self.guard_exempt or not isinstance(field, forms.CharField):
                continue
            if isinstance(field.widget, forms.PasswordInput):
                continue
            if validate_no_identity_numbers not in field.validators:
                field.validators.append(validate_no_identity_numbers)


class TillitForm(TillitFormMixin, forms.Form):
    pass


class TillitModelForm(TillitFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass


class AccessibilityReportForm(TillitModelForm):
    class Meta:
        model = AccessibilityReport
        fields = ["page", "description", "contact"]
        widgets = {"page": forms.TextInput(attrs={"autocomplete": "url"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.utils.translation import gettext_lazy as _

        self.fields["page"].label = _("Which page or function was it? (optional)")
        self.fields["description"].label = _("Describe the problem")
        self.fields["description"].help_text = _(
            "What did you try to do, and what happened? Do not write personal identity numbers or"
            " details about clients."
        )


def render_form(
    request: HttpRequest, template: str, context: dict[str, Any], form: forms.BaseForm | None
) -> HttpResponse:
    """A page with a form: answered 400 when the form came back with errors, so that clients can tell."""
    return render(request, template, context, status=400 if form is not None and form.errors else 200)


def run_service[T](form: forms.BaseForm, service: Callable[..., T], **kwargs: Any) -> T | None:
    """Call a service for a valid form; a ValidationError it raises is shown on the form, nothing is saved."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


def is_done(result: object) -> bool:
    """Whether a service that ``run_service`` called went through (it returns None when it was refused)."""
    return result is not None


def run_action(request: HttpRequest, service: Callable[..., Any], success: str, **kwargs: Any) -> bool:
    """A button without a form: the service's refusal, or ``success``, is told as a message on the next page."""
    try:
        service(**kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True
