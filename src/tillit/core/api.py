"""What every app's API shares: token authentication and the error format."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from tillit.accounts.services import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer tlt_…` with a token created under “My account”."""

    openapi_description = "Bearer token created under My account → API tokens."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """The logged-in browser session, for reads from Tillit's own pages. Like any cookie, it must come with
    the CSRF token on requests that change something."""

    openapi_description = "The session cookie of a person logged in to Tillit in the browser."

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        return user if user.is_authenticated and user.is_active else None


session_auth = ActiveSessionAuth()
