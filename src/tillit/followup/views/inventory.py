"""The inventory of rules and reporting requirements: the overview with its totals, chart and list (and the list as
CSV), an item's page, registering and editing an item, and proposing to remove or simplify it."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tillit.core.exports import csv_response
from tillit.core.formats import figure
from tillit.core.forms import render_form, run_service
from tillit.core.history import history_of
from tillit.core.permissions import require
from tillit.followup import inventory as services
from tillit.followup import inventory_selectors as selectors
from tillit.followup.inventory_forms import InventoryFilterForm, ProposeChangeForm, RequirementForm
from tillit.followup.models import Requirement
from tillit.organisation.models import Membership, Team, Unit

PER_PAGE = 50


def _filters(request: HttpRequest) -> tuple[InventoryFilterForm, selectors.InventoryFilter]:
    """The filters that are valid: one that no longer fits (a team since removed) does not undo the others."""
    form = InventoryFilterForm(request.GET or None)
    if not form.is_bound:
        return form, selectors.InventoryFilter()
    form.is_valid()
    data = form.cleaned_data
    return form, selectors.InventoryFilter(
        team=data.get("team"),
        unit=data.get("unit"),
        origin=data.get("origin", ""),
        kind=data.get("kind", ""),
        status=data.get("status", ""),
    )


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


def _csv_rows(requirements: list[Requirement]) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [
            _("What it is"),
            _("Kind"),
            _("Where it comes from"),
            _("Self-imposed"),
            pgettext("requirement", "Reference"),
            _("Who asks for it"),
            _("Who uses the result"),
            _("Owner of the rule"),
            _("Team or unit"),
            _("Times per year"),
            _("Minutes each time"),
            _("Hours per year"),
            _("How useful (1–5)"),
            _("Status"),
            _("Minutes each time before the change"),
            _("Hours freed per year"),
            _("Changed on"),
            _("Proposal"),
        ]
    ]
    for item in requirements:
        holder = item.team or item.unit
        rows.append(
            [
                item.title,
                item.get_kind_display(),
                item.get_origin_display(),
                _("yes") if item.is_self_imposed else _("no"),
                item.origin_detail,
                item.asked_by,
                item.used_by,
                item.owner.full_name if item.owner else "",
                holder.name if holder else "",
                figure(item.times_per_year),
                item.minutes_each_time,
                figure(item.hours_per_year),
                item.usefulness,
                item.get_status_display(),
                item.minutes_before_change if item.minutes_before_change is not None else "",
                figure(item.hours_freed) if item.minutes_before_change is not None else "",
                item.changed_on or "",
                item.proposal.title if item.proposal else "",
            ]
        )
    return rows


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    requirements = list(selectors.requirement_list(user=request.user, filters=filters))
    if request.GET.get("format") == "csv":
        return csv_response(
            _csv_rows(requirements), f"regler-och-rapportering-{timezone.localdate():%Y-%m-%d}.csv"
        )
    totals = selectors.totals(requirements)
    context = {
        "form": form,
        "filtered": any(getattr(filters, name) for name in ("team", "unit", "origin", "kind", "status")),
        "totals": totals,
        "chart": selectors.origin_chart(totals),
        "origins": Requirement.Origin.choices,
        "page": Paginator(requirements, PER_PAGE).get_page(request.GET.get("page")),
        "query": _query(request),
        "can_register": request.user.has_perm("followup.register_requirement"),
        "nav": "followup",
    }
    return render(request, "followup/inventory/overview.html", context)


@login_required
def requirement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = selectors.requirement_get_for(user=request.user, pk=pk)
    status = requirement.status
    may_propose = status in (Requirement.Status.ACTIVE, Requirement.Status.SIMPLIFIED)
    context = {
        "requirement": requirement,
        "holder": requirement.team or requirement.unit,
        "decision": (
            requirement.proposal.decisions.filter(replaced_by__isnull=True).first()
            if requirement.proposal is not None
            and status in (Requirement.Status.REMOVED, Requirement.Status.SIMPLIFIED)
            else None
        ),
        "can_change": request.user.has_perm("followup.change_requirement", requirement),
        "proposing_teams": selectors.proposing_teams(user=request.user, requirement=requirement)
        if may_propose
        else [],
        "may_be_proposed": may_propose,
        "history": history_of(requirement),
        "nav": "followup",
    }
    return render(request, "followup/inventory/requirement.html", context)


def _holders_for(user: Any) -> tuple[list[Team], list[Unit]]:
    """Whose items the person may register: the teams they are a member or coach of; anyone who may change items
    above the teams (facilitators, development leads, administrators) any team, unit or administration."""
    if user.has_perm("followup.change_requirement", Requirement()):
        return list(Team.objects.order_by("name")), list(Unit.objects.order_by("name"))
    teams = Team.objects.filter(
        memberships__person=user, memberships__role__in=(Membership.Role.MEMBER, Membership.Role.COACH)
    )
    return list(teams.distinct().order_by("name")), []


@login_required
def requirement_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "followup.register_requirement")
    teams, units = _holders_for(request.user)
    initial = {"belongs_to": f"team:{teams[0].pk}"} if len(teams) == 1 and not units else {}
    form = RequirementForm(request.POST or None, teams=teams, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        holder = form.holder()
        require(request.user, "followup.change_requirement", Requirement(**holder))
        requirement = run_service(
            form, services.requirement_register, actor=request.user, **holder, **form.service_fields()
        )
        if requirement is not None:
            messages.success(request, _("It is in the inventory."))
            return redirect(requirement)
    context = {"form": form, "has_holders": bool(teams or units), "nav": "followup"}
    return render_form(request, "followup/inventory/requirement_form.html", context, form)


@login_required
def requirement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = selectors.requirement_get_for(user=request.user, pk=pk)
    require(request.user, "followup.change_requirement", requirement)
    form = RequirementForm(request.POST or None, instance=Requirement.objects.get(pk=requirement.pk))
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            services.requirement_update,
            actor=request.user,
            requirement=requirement,
            **form.service_fields(),
        )
        if saved is not None:
            messages.success(request, _("The changes have been saved."))
            return redirect(saved)
    context = {"form": form, "requirement": requirement, "has_holders": True, "nav": "followup"}
    return render_form(request, "followup/inventory/requirement_form.html", context, form)


@login_required
def requirement_propose(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = selectors.requirement_get_for(user=request.user, pk=pk)
    teams = selectors.proposing_teams(user=request.user, requirement=requirement)
    if not teams:
        raise PermissionDenied
    form = ProposeChangeForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        proposal = run_service(
            form,
            services.requirement_propose_change,
            actor=request.user,
            requirement=requirement,
            change=data["change"],
            proposed_minutes=data["proposed_minutes"],
            reason=data["reason"],
            in_team=data["in_team"],
            deadline=data["deadline"],
        )
        if proposal is not None:
            messages.success(
                request,
                _("Your proposal has been sent to the team, and the owner of the rule is asked for advice."),
            )
            return redirect(proposal)
    context = {"form": form, "requirement": requirement, "nav": "followup"}
    return render_form(request, "followup/inventory/propose.html", context, form)


urlpatterns: list[URLPattern] = [
    path("uppfoljning/regler/", overview, name="inventory"),
    path("uppfoljning/regler/ny/", requirement_create, name="requirement_create"),
    path("uppfoljning/regler/<int:pk>/", requirement_detail, name="requirement"),
    path("uppfoljning/regler/<int:pk>/andra/", requirement_edit, name="requirement_edit"),
    path("uppfoljning/regler/<int:pk>/foresla/", requirement_propose, name="requirement_propose"),
]
