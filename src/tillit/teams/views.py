from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.accounts.models import User
from tillit.core.forms import render_form, run_service
from tillit.core.models import HistoryEntry
from tillit.core.permissions import require
from tillit.organisation.models import Membership, Team
from tillit.teams import services
from tillit.teams.forms import (
    ActionForm,
    AgendaItemForm,
    HolderForm,
    ItemDecisionForm,
    MeetingForm,
    MinutesForm,
    RoleForm,
)
from tillit.teams.models import Action, AgendaItem, Meeting, Role, RoleHolder, SupportRequest
from tillit.teams.selectors import roles_with_holders, team_signals


def _members(team: Team) -> QuerySet[User]:
    return User.objects.filter(
        memberships__team=team, memberships__role=Membership.Role.MEMBER, is_active=True
    ).order_by("full_name")


def _team(slug: str) -> Team:
    return get_object_or_404(Team.objects.select_related("unit"), slug=slug)


# Roles.


@login_required
def roles(request: HttpRequest, slug: str) -> HttpResponse:
    team = _team(slug)
    require(request.user, "teams.view_roles")
    can_manage = request.user.has_perm("teams.manage_roles", team)
    form = RoleForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            role = run_service(
                form,
                services.role_create,
                actor=request.user,
                team=team,
                template=data["template"],
                **{k: data[k] for k in ("name", "purpose", "accountabilities", "domain", "term_months")},
            )
            if role is not None:
                messages.success(request, _("The role %(role)s has been created.") % {"role": role.name})
                return redirect(role)
    context = {
        "team": team,
        "roles": roles_with_holders(team),
        "form": form,
        "nav": "organisation",
    }
    return render_form(request, "teams/roles.html", context, form)


@login_required
def role_detail(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_object_or_404(Role.objects.select_related("team__unit"), pk=pk)
    require(request.user, "teams.view_roles")
    can_manage = request.user.has_perm("teams.manage_roles", role.team)
    can_propose = request.user.has_perm("decisions.propose", role.team)
    form = HolderForm(request.POST or None, members=_members(role.team)) if can_propose else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            proposal = run_service(
                form,
                services.role_holder_propose,
                actor=request.user,
                role=role,
                person=form.cleaned_data["person"],
                starts_on=form.cleaned_data["starts_on"],
                deadline=form.cleaned_data["deadline"],
            )
            if proposal is not None:
                messages.success(request, _("The team has been asked to consent."))
                return redirect(proposal)
    holders = list(role.holders.select_related("person", "decision"))
    context = {
        "role": role,
        "team": role.team,
        "current": [h for h in holders if h.current],
        "holders": holders,
        "form": form,
        "can_manage": can_manage,
        "history": list(HistoryEntry.objects.for_object(role)[:20]),
        "nav": "organisation",
    }
    return render_form(request, "teams/role.html", context, form)


@login_required
@require_POST
def holder_end(request: HttpRequest, pk: int) -> HttpResponse:
    holder = get_object_or_404(RoleHolder.objects.select_related("role__team", "person"), pk=pk)
    require(request.user, "teams.manage_roles", holder.role.team)
    services.role_holder_end(actor=request.user, holder=holder)
    messages.success(request, _("%(person)s has left the role.") % {"person": holder.person})
    return redirect(holder.role)


# Meetings.


@login_required
def meetings(request: HttpRequest, slug: str) -> HttpResponse:
    team = _team(slug)
    if not request.user.has_perm("teams.plan_meeting", team) and not request.user.has_perm(
        "organisation.change_team", team
    ):
        raise PermissionDenied
    can_plan = request.user.has_perm("teams.plan_meeting", team)
    form = MeetingForm(request.POST or None, members=_members(team)) if can_plan else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            meeting = run_service(
                form, services.meeting_plan, actor=request.user, team=team, **form.cleaned_data
            )
            if meeting is not None:
                messages.success(request, _("The meeting has been planned."))
                return redirect(meeting)
    context = {
        "team": team,
        "meetings": team.meetings.select_related("facilitator")[:30],
        "form": form,
        "nav": "organisation",
    }
    return render_form(request, "teams/meetings.html", context, form)


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("team__unit", "facilitator"), pk=pk)
    require(request.user, "teams.view_meeting", meeting)
    return meeting


def _meeting_page(request: HttpRequest, meeting: Meeting, status: int = 200, **forms: Any) -> HttpResponse:
    members = _members(meeting.team)
    items = list(meeting.items.select_related("owner", "decision").prefetch_related("actions__owner"))
    can_run = request.user.has_perm("teams.run_meeting", meeting)
    for item in items:
        prefix = f"item-{item.pk}"
        # The page's forms ride on the item they belong to.
        item.minutes_form = forms.get(f"{prefix}-minutes") or MinutesForm(  # type: ignore[attr-defined]
            prefix=prefix, initial={"notes": item.notes}
        )
        item.decision_form = forms.get(f"{prefix}-decision") or ItemDecisionForm(prefix=prefix)  # type: ignore[attr-defined]
        item.action_form = forms.get(f"{prefix}-action") or ActionForm(prefix=prefix, members=members)  # type: ignore[attr-defined]
    context = {
        "meeting": meeting,
        "team": meeting.team,
        "items": items,
        "planned_minutes": sum(item.minutes for item in items),
        "previous": services.previous_meeting(meeting),
        "item_form": forms.get("item_form") or AgendaItemForm(),
        "can_run": can_run,
        "can_add": request.user.has_perm("teams.add_item", meeting),
        "open_actions": meeting.team.actions.filter(done_at__isnull=True).select_related("owner"),
        "history": list(HistoryEntry.objects.for_object(meeting)[:30]),
        "nav": "organisation",
    }
    return render(request, "teams/meeting.html", context, status=status)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, _meeting(request, pk))


@login_required
@require_POST
def meeting_step(request: HttpRequest, pk: int) -> HttpResponse:
    """The facilitator's buttons: open, approve the previous minutes, close."""
    meeting = _meeting(request, pk)
    require(request.user, "teams.run_meeting", meeting)
    step = {
        "open": services.meeting_open,
        "approve": services.meeting_approve_previous_minutes,
        "close": services.meeting_close,
    }.get(request.POST.get("step", ""))
    if step is None:
        return _meeting_page(request, meeting, status=400)
    step(actor=request.user, meeting=meeting)
    return redirect(meeting)


@login_required
@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    require(request.user, "teams.add_item", meeting)
    form = AgendaItemForm(request.POST)
    if form.is_valid() and (
        run_service(form, services.agenda_item_add, actor=request.user, meeting=meeting, **form.cleaned_data)
        is not None
    ):
        return redirect(f"{meeting.get_absolute_url()}#agenda-title")
    return _meeting_page(request, meeting, status=400, item_form=form)


@login_required
@require_POST
def item_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The facilitator writes the minutes of an item, records its decision or adds an action to it."""
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting__team", "meeting__facilitator"), pk=pk
    )
    meeting = item.meeting
    require(request.user, "teams.view_meeting", meeting)
    require(request.user, "teams.run_meeting", meeting)
    prefix = f"item-{item.pk}"
    what = request.POST.get("what")
    if what == "minutes":
        form: Any = MinutesForm(request.POST, prefix=prefix)
        done = form.is_valid() and run_service(
            form, services.agenda_item_record, actor=request.user, item=item, notes=form.cleaned_data["notes"]
        )
    elif what == "decision":
        form = ItemDecisionForm(request.POST, prefix=prefix)
        done = form.is_valid() and run_service(
            form,
            services.agenda_item_decide,
            actor=request.user,
            item=item,
            outcome=form.cleaned_data["outcome"],
        )
    elif what == "action":
        form = ActionForm(request.POST, prefix=prefix, members=_members(meeting.team))
        done = form.is_valid() and run_service(
            form, services.action_add, actor=request.user, team=meeting.team, item=item, **form.cleaned_data
        )
    else:
        return _meeting_page(request, meeting, status=400)
    if done:
        return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")
    return _meeting_page(request, meeting, status=400, **{f"{prefix}-{what}": form})


@login_required
@require_POST
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(Action.objects.select_related("team"), pk=pk)
    if not request.user.has_perm("teams.plan_meeting", action.team):
        raise PermissionDenied
    services.action_done(actor=request.user, action=action)
    messages.success(request, _("The action is done."))
    return redirect(action.team)


# Coaches.


@login_required
def coach(request: HttpRequest) -> HttpResponse:
    """Every team the person coaches on one page, with what needs attention and the teams' requests."""
    teams = list(
        Team.objects.filter(memberships__person=request.user.pk, memberships__role=Membership.Role.COACH)
        .select_related("unit")
        .order_by("name")
    )
    overview = [(team, team_signals(team)) for team in teams]
    requests = SupportRequest.objects.filter(team__in=teams).select_related(
        "team", "asked_by", "answered_by"
    )[:50]
    return render(request, "teams/coach.html", {"overview": overview, "requests": requests, "nav": "coach"})


@login_required
@require_POST
def support_ask(request: HttpRequest, slug: str) -> HttpResponse:
    team = _team(slug)
    require(request.user, "teams.plan_meeting", team)  # the team's members
    try:
        services.support_ask(actor=request.user, team=team, message=request.POST.get("message", "")[:2000])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your coach has been asked for support."))
    return redirect(team)


@login_required
@require_POST
def support_answer(request: HttpRequest, pk: int) -> HttpResponse:
    support = get_object_or_404(SupportRequest.objects.select_related("team"), pk=pk)
    try:
        services.support_answer(actor=request.user, request=support)
    except ValidationError:
        raise PermissionDenied from None
    return redirect("teams:coach")
