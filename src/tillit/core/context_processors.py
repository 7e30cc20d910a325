import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tillit.organisation.models import Unit


def site(request: HttpRequest) -> dict[str, Any]:
    """The municipality's name for the header: from settings, else the top of the organisation tree."""
    # Called by the template only where the name is shown, once per request: a page part makes no query.
    return {"municipality_name": functools.cache(municipality_name), "oidc_enabled": settings.OIDC_ENABLED}


def municipality_name() -> str:
    name: str = settings.MUNICIPALITY_NAME or (
        Unit.objects.filter(kind=Unit.Kind.MUNICIPALITY).values_list("name", flat=True).first() or ""
    )
    return name
