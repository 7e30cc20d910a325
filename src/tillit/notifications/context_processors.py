from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from tillit.notifications.models import Notification


def unread(request: HttpRequest) -> dict[str, Any]:
    """How many notifications the person has not read, counted only where the header shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(person=user, read_at__isnull=True).count()
        )
    }
