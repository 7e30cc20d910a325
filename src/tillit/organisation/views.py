from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.accounts.models import Invitation, User
from tillit.accounts.services import invitation_create, invitation_revoke
from tillit.core.forms import run_action, run_service
from tillit.core.history import history_of
from tillit.core.models import AccessibilityReport
from tillit.core.permissions import require
from tillit.core.types import AuthenticatedRequest
from tillit.decisions.selectors import team_decisions_summary
from tillit.labs.selectors import team_initiatives
from tillit.organisation import selectors, services
from tillit.organisation.forms import (
    InvitationForm,
    MembershipAddForm,
    MembershipRoleForm,
    PersonForm,
    RoleAssignmentForm,
    TeamForm,
    TeamPurposeForm,
    UnitForm,
)
from tillit.organisation.models import Membership, RoleAssignment, Team, Unit
from tillit.teams.selectors import team_roles_summary

PEOPLE_PER_PAGE = 48


# Browsing: everyone who is logged in.


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    roots = selectors.unit_tree(user=request.user)
    return render(request, "organisation/tree.html", {"roots": roots, "nav": "organisation"})


@login_required
def unit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    unit = selectors.unit_get_for(user=request.user, slug=slug)
    context = {
        "unit": unit,
        "ancestors": selectors.unit_ancestors(unit),
        "children": unit.children.order_by("name"),
        "teams": selectors.team_queryset().filter(unit=unit).order_by("name"),
        "history": history_of(unit, limit=20),
        "nav": "organisation",
    }
    return render(request, "organisation/unit.html", context)


@login_required
def team_detail(request: HttpRequest, slug: str) -> HttpResponse:
    team = selectors.team_get_for(user=request.user, slug=slug)
    memberships = list(team.memberships.all())
    above = selectors.unit_ancestors(team.unit)
    context = {
        "team": team,
        "ancestors": [*above, team.unit],
        "members": [m for m in memberships if m.role == Membership.Role.MEMBER],
        "coaches": [m for m in memberships if m.role == Membership.Role.COACH],
        "can_change": request.user.has_perm("organisation.change_team", team),
        "history": history_of(team, limit=20),
        "nav": "organisation",
        **team_decisions_summary(user=request.user, team=team, ancestors=above),
        **team_roles_summary(user=request.user, team=team),
        **team_initiatives(team),
    }
    return render(request, "organisation/team.html", context)


@login_required
def team_edit(request: HttpRequest, slug: str) -> HttpResponse:
    team = selectors.team_get_for(user=request.user, slug=slug)
    require(request.user, "organisation.change_team", team)
    full = request.user.has_perm("organisation.manage")
    form_class = TeamForm if full else TeamPurposeForm
    form = form_class(request.POST or None, instance=Team.objects.get(pk=team.pk))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form_class.Meta.fields}
        team = Team.objects.get(pk=team.pk)
        if run_service(form, services.team_update, actor=request.user, team=team, **fields):
            messages.success(request, _("The team has been saved."))
            return redirect(team)
    return render(request, "organisation/team_form.html", {"form": form, "team": team, "nav": "organisation"})


@login_required
def people(request: AuthenticatedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.person_list_for(user=request.user, query=query), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    template = "organisation/people.html#people-results" if request.htmx else "organisation/people.html"
    return render(request, template, {"page": page, "query": query, "nav": "people"})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_for(user=request.user, pk=pk)
    context = {
        "person": person,
        "history": history_of(person, limit=20) if request.user.has_perm("organisation.manage") else [],
        "nav": "people",
    }
    return render(request, "organisation/person.html", context)


# Administration: administrators only.


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    require(request.user, "organisation.manage")
    context = {
        "roots": selectors.unit_tree(user=request.user, with_teams=False),
        "open_invitations": Invitation.objects.open().count(),
        "reports": AccessibilityReport.objects.all()[:10],
        "nav": "manage",
    }
    return render(request, "organisation/manage/index.html", context)


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "organisation.manage")
    parent = Unit.objects.filter(slug=request.GET.get("parent", "")).first()
    form = UnitForm(request.POST or None, initial={"parent": parent, "kind": Unit.Kind.UNIT})
    if request.method == "POST" and form.is_valid():
        unit = run_service(form, services.unit_create, actor=request.user, **form.cleaned_data)
        if unit:
            messages.success(request, _("%(unit)s has been created.") % {"unit": unit})
            return redirect(unit)
    return render(request, "organisation/manage/unit_form.html", {"form": form, "nav": "manage"})


@login_required
def unit_edit(request: HttpRequest, slug: str) -> HttpResponse:
    require(request.user, "organisation.manage")
    unit = get_object_or_404(Unit, slug=slug)
    form = UnitForm(request.POST or None, instance=Unit.objects.get(pk=unit.pk))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(form, services.unit_update, actor=request.user, unit=unit, **form.cleaned_data)
        is not None
    ):
        messages.success(request, _("%(unit)s has been saved.") % {"unit": unit})
        return redirect(unit)
    return render(
        request, "organisation/manage/unit_form.html", {"form": form, "unit": unit, "nav": "manage"}
    )


@login_required
@require_POST
def unit_remove(request: HttpRequest, slug: str) -> HttpResponse:
    require(request.user, "organisation.manage")
    unit = get_object_or_404(Unit, slug=slug)
    parent = unit.parent
    try:
        services.unit_remove(actor=request.user, unit=unit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(unit)
    messages.success(request, _("%(unit)s has been removed.") % {"unit": unit.name})
    return redirect(parent or "organisation:tree")


@login_required
def team_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "organisation.manage")
    unit = Unit.objects.filter(slug=request.GET.get("unit", "")).first()
    form = TeamForm(request.POST or None, initial={"unit": unit})
    if request.method == "POST" and form.is_valid():
        team = run_service(form, services.team_create, actor=request.user, **form.cleaned_data)
        if team:
            messages.success(request, _("The team %(team)s has been created.") % {"team": team})
            return redirect("organisation:team_members", slug=team.slug)
    return render(request, "organisation/team_form.html", {"form": form, "nav": "manage"})


@login_required
def team_members(request: HttpRequest, slug: str) -> HttpResponse:
    team = selectors.team_get_for(user=request.user, slug=slug)
    require(request.user, "organisation.manage")
    form = MembershipAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = run_service(
            form,
            services.membership_add,
            actor=request.user,
            team=Team.objects.get(pk=team.pk),
            person=form.cleaned_data["person"],
            role=form.cleaned_data["role"],
        )
        if membership:
            messages.success(request, _("%(person)s has been added.") % {"person": membership.person})
            return redirect("organisation:team_members", slug=team.slug)
    context = {
        "team": team,
        "memberships": team.memberships.all(),
        "form": form,
        "role_choices": Membership.Role.choices,
        "nav": "manage",
    }
    return render(request, "organisation/manage/team_members.html", context)


@login_required
@require_POST
def membership_update(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "organisation.manage")
    membership = get_object_or_404(Membership.objects.select_related("team", "person"), pk=pk)
    if request.POST.get("action") == "remove":
        services.membership_remove(actor=request.user, membership=membership)
        messages.success(request, _("%(person)s has left the team.") % {"person": membership.person})
    else:
        form = MembershipRoleForm(request.POST)
        if form.is_valid():
            services.membership_change_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
            messages.success(
                request, _("The role of %(person)s has been changed.") % {"person": membership.person}
            )
    return redirect("organisation:team_members", slug=membership.team.slug)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "organisation.manage")
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = run_service(form, services.person_create, actor=request.user, **form.cleaned_data)
        if person:
            messages.success(
                request,
                _("%(person)s has been added. Send an invitation so they can log in.") % {"person": person},
            )
            return redirect("organisation:person_edit", pk=person.pk)
    return render(request, "organisation/manage/person_form.html", {"form": form, "nav": "manage"})


def _person_admin_page(
    request: HttpRequest, person: User, form: PersonForm, role_form: RoleAssignmentForm, status: int = 200
) -> HttpResponse:
    context = {
        "person": person,
        "form": form,
        "role_form": role_form,
        "roles": RoleAssignment.objects.filter(person=person).select_related("unit"),
        "nav": "manage",
    }
    return render(request, "organisation/manage/person_form.html", context, status=status)


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "organisation.manage")
    person = get_object_or_404(User, pk=pk)
    form = PersonForm(request.POST or None, instance=User.objects.get(pk=pk), prefix="person")
    role_form = RoleAssignmentForm(prefix="role")
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(form, services.person_update, actor=request.user, person=person, **form.cleaned_data)
        is not None
    ):
        messages.success(request, _("%(person)s has been saved.") % {"person": person})
        return redirect("organisation:person_edit", pk=person.pk)
    return _person_admin_page(request, person, form, role_form)


@login_required
@require_POST
def person_roles(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "organisation.manage")
    person = get_object_or_404(User, pk=pk)
    if "revoke" in request.POST:
        assignment = get_object_or_404(RoleAssignment, pk=request.POST["revoke"], person=person)
        run_action(
            request,
            services.role_revoke,
            _("The role has been removed."),
            actor=request.user,
            assignment=assignment,
        )
        return redirect("organisation:person_edit", pk=pk)
    role_form = RoleAssignmentForm(request.POST, prefix="role")
    if (
        role_form.is_valid()
        and run_service(
            role_form, services.role_assign, actor=request.user, person=person, **role_form.cleaned_data
        )
        is not None
    ):
        messages.success(request, _("The role has been given."))
        return redirect("organisation:person_edit", pk=pk)
    return _person_admin_page(
        request, person, PersonForm(instance=person, prefix="person"), role_form, status=400
    )


@login_required
@require_POST
def person_active(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "organisation.manage")
    person = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    told = _("%(person)s can log in again.") if active else _("%(person)s can no longer log in.")
    run_action(
        request,
        services.person_set_active,
        told % {"person": person},
        actor=request.user,
        person=person,
        active=active,
    )
    return redirect("organisation:person_edit", pk=pk)


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    require(request.user, "organisation.manage")
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = run_service(
            form,
            invitation_create,
            actor=request.user,
            base_url=request.build_absolute_uri("/"),
            **form.cleaned_data,
        )
        if result:
            messages.success(
                request, _("An invitation has been sent to %(email)s.") % {"email": result[0].email}
            )
            return redirect("organisation:invitations")
    context = {
        "form": form,
        "invitations": Invitation.objects.select_related("team", "invited_by")[:100],
        "nav": "manage",
    }
    return render(request, "organisation/manage/invitations.html", context)


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "organisation.manage")
    invitation = get_object_or_404(Invitation, pk=pk)
    invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(
        request, _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email}
    )
    return redirect("organisation:invitations")
