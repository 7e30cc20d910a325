"""Single sign-on with the municipality's own identity provider (OpenID Connect).

The routes under /oidc/ always exist but answer 404 while single sign-on is not configured, and the backend
does nothing until it is: whether SSO is on is read from settings.OIDC_ENABLED on every request, never frozen
into the URL configuration at start-up.
"""

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from tillit.accounts.models import User
from tillit.organisation.services import person_create

logger = logging.getLogger(__name__)


class TillitOIDCBackend(OIDCAuthenticationBackend):
    """Matches the provider's e-mail claim to a Tillit account; creates one only when configured to."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # Only the callback view passes a nonce: a password login must never reach the identity provider.
        if not settings.OIDC_ENABLED or "nonce" not in kwargs:
            return None
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        # The library lets a token without a key id, or an expired one, escape as a server error.
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
                raise SuspiciousOperation("The token is not signed with the expected algorithm.")
            needs_key_id = self.OIDC_RP_IDP_SIGN_KEY is None and self.get_settings("OIDC_VERIFY_KID", True)
            if self.OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")) and needs_key_id and "kid" not in header:
                raise SuspiciousOperation("The token does not name its signing key.")
            payload: dict[str, Any] = super().verify_token(token, **kwargs)
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"The token is not valid: {error}") from error
        if "nonce" in kwargs:  # the ID token, not a signed userinfo answer
            audience = payload.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if settings.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("The ID token was issued for another client.")
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        # An address the provider says it has not verified could belong to anyone.
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        email = (claims.get("email") or "").strip()
        if not email:
            return User.objects.none()
        # Deactivated people are found too, so that they are refused below rather than created again.
        return User.objects.filter(email__iexact=email)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        user: User | None = super().get_or_create_user(access_token, id_token, payload)
        if user is not None and not user.is_active:
            logger.info("Single sign-on refused for deactivated person %s", user.pk)
            return None
        return user

    def create_user(self, claims: dict[str, Any]) -> User:
        name = claims.get("name") or " ".join(
            part for part in (claims.get("given_name"), claims.get("family_name")) if part
        )
        email = claims["email"].strip()
        try:
            return person_create(actor=None, email=email, full_name=name or email)
        except ValidationError as error:
            raise SuspiciousOperation(f"The provider's claims do not make a valid person: {error}") from error

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        return user

    def get_user(self, user_id: Any) -> User | None:
        # A person deactivated after logging in with SSO loses their session, as with a password login.
        user = User.objects.filter(pk=user_id, is_active=True).first()
        return user


def is_single_sign_on_attempt(request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
    """For django-axes: a refused single sign-on is not a guessed password. Counting it would lock out
    everyone behind the municipality's shared address after a few people without an account tried."""
    return credentials is not None and "nonce" in credentials


class _OnlyWhenConfigured:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404
        response: HttpResponse = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return response


class TillitOIDCAuthenticateView(_OnlyWhenConfigured, OIDCAuthenticationRequestView):
    """Sends the browser to the identity provider, remembering state, nonce and PKCE verifier in the session."""


class TillitOIDCCallbackView(_OnlyWhenConfigured, OIDCAuthenticationCallbackView):
    """Where the identity provider sends the browser back. Any refusal ends on the login page with a message."""

    request: HttpRequest

    @property
    def failure_url(self) -> str:
        return resolve_url(settings.LOGIN_REDIRECT_URL_FAILURE)

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _(
                "Logging in with single sign-on did not succeed. If you have no account in Tillit yet, ask"
                " for an invitation; otherwise try again or log in with your password."
            ),
        )
        response: HttpResponse = super().login_failure()
        return response

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            response: HttpResponse = super().get(request)
        except (SuspiciousOperation, requests.RequestException) as error:
            # A forged or replayed answer, a bad signature or nonce, or a provider that does not answer.
            logger.warning("Single sign-on refused: %s", error)
            return self.login_failure()
        return response


urlpatterns: list[URLPattern] = [
    path("authenticate/", TillitOIDCAuthenticateView.as_view(), name="oidc_authentication_init"),
    path("callback/", TillitOIDCCallbackView.as_view(), name="oidc_authentication_callback"),
]
