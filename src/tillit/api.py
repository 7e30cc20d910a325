"""Tillit's JSON API. Each app adds a router; the OpenAPI schema is generated at /api/openapi.json."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from tillit.core.api import ApiTokenAuth, session_auth
from tillit.decisions.api import router as decisions_router
from tillit.economy.api import router as economy_router
from tillit.followup.api import router as followup_router
from tillit.labs.api import router as labs_router
from tillit.organisation.api import router as organisation_router
from tillit.teams.api import router as teams_router

api = NinjaAPI(
    title="Tillit API",
    version="1.0.0",
    description="Read Tillit's organisation, teams and people, the delegation order, proposals and decisions, roles and meetings, survey results (aggregates above the anonymity threshold only), the public portfolio of initiatives (open without a token), and team economy: budgets, outcomes, forecasts, attestants and attested transactions. Authenticate with `Authorization: Bearer <token>`.",
    auth=[ApiTokenAuth(), session_auth],
    docs_url=None,
)
api.add_router("/", organisation_router)
api.add_router("/", decisions_router)
api.add_router("/", teams_router)
api.add_router("/", labs_router)
api.add_router("/", followup_router)
api.add_router("/", economy_router)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "You may not see this."}, status=403)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)
