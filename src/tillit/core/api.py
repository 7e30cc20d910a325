"""What every app's API shares: token authentication and the error format."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from tillit.accounts.services import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer tlt_…` with a token created under “My account”."""

    openapi_description = "Bearer token created under My account → API tokens."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


def session_auth(request: HttpRequest) -> Any:
    """The logged-in browser session, for reads from Tillit's own pages."""
    user = request.user
    return user if user.is_authenticated and user.is_active else None
