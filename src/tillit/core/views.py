from typing import Any

from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tillit.core.forms import AccessibilityReportForm
from tillit.core.models import AccessibilityReport
from tillit.organisation.selectors import home_summary_for


def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"nav": "home"}
    if request.user.is_authenticated:
        context.update(home_summary_for(user=request.user))
    return render(request, "core/home.html", context)


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (tillgänglighetsredogörelse), with a form to report a problem."""
    form = AccessibilityReportForm(request.POST or None, initial={"page": request.GET.get("page", "")})
    if request.method == "POST" and form.is_valid():
        report: AccessibilityReport = form.save(commit=False)
        if request.user.is_authenticated:
            report.reported_by = request.user
        report.save()
        messages.success(
            request, _("Thank you. Your report has been received and will be answered within two weeks.")
        )
        return redirect("core:accessibility")
    return render(request, "core/accessibility.html", {"form": form, "nav": "accessibility"})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        return JsonResponse(
            {"status": "error", "database": "unavailable", "detail": type(exc).__name__}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})


def api_docs(request: HttpRequest) -> HttpResponse:
    """The API's documentation, drawn from its generated OpenAPI schema in Tillit's own accessible layout."""
    from tillit.api import api

    schema = api.get_openapi_schema()
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "parameters": operation.get("parameters", []),
            "id": operation.get("operationId", ""),
        }
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    context = {"schema": schema, "operations": operations, "nav": "api"}
    return render(request, "core/api_docs.html", context)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
