from typing import Any

from django.core.exceptions import PermissionDenied


def require(user: Any, perm: str, obj: Any = None) -> None:
    """Refuses (403) unless the person has the permission, for the object when one is given."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied
