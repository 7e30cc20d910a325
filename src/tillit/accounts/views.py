from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.accounts import services
from tillit.accounts.forms import (
    ApiTokenForm,
    InvitationAcceptForm,
    LoginForm,
    TillitPasswordResetForm,
    TillitSetPasswordForm,
)
from tillit.accounts.models import ApiToken
from tillit.core.types import AuthenticatedRequest


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    extra_context = {"nav": "login"}


class PasswordResetView(auth_views.PasswordResetView):
    form_class = TillitPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = TillitSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None or not invitation.is_open:
        return render(request, "accounts/invitation_invalid.html", {"invitation": invitation}, status=410)
    form = InvitationAcceptForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Tillit! Your account is ready."))
            return redirect("core:home")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


@login_required
def account(request: AuthenticatedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    context: dict[str, Any] = {"nav": "account", "form": form}
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            _token, key = services.api_token_create(
                actor=request.user, user=request.user, name=form.cleaned_data["name"]
            )
        context["new_key"] = key
        context["form"] = ApiTokenForm()
    context["tokens"] = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)
    return render(request, "accounts/account.html", context)


@login_required
@require_POST
def api_token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:account")
