from django.http import HttpRequest

from tillit.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """The request of a view behind login_required: its user is a person, never anonymous."""

    user: User
