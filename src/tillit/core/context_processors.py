from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tillit.organisation.models import Unit


def site(request: HttpRequest) -> dict[str, Any]:
    """The municipality's name for the header: from settings, else the top of the organisation tree."""
    name = settings.MUNICIPALITY_NAME
    if not name:
        name = Unit.objects.filter(kind=Unit.Kind.MUNICIPALITY).values_list("name", flat=True).first() or ""
    return {"municipality_name": name, "oidc_enabled": settings.OIDC_ENABLED}
