from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from tillit.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """The request of a view behind login_required: its user is a person, never anonymous."""

    user: User
    htmx: HtmxDetails
