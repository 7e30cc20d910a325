import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tillit.citizens import services
from tillit.citizens.forms import (
    AnswerForm,
    ConsentForm,
    FeedbackForm,
    InvitationForm,
    JoinForm,
    MemberForm,
    RetentionForm,
    SendLinkForm,
    StatusForm,
    ToIdeaForm,
)
from tillit.citizens.models import Feedback, Invitation, PanelMember, PanelSettings
from tillit.core.forms import is_done, render_form, run_service
from tillit.core.history import history_of
from tillit.core.permissions import require
from tillit.decisions.forms import ProposalForm
from tillit.decisions.models import Decision
from tillit.decisions.selectors import mandate_list_for
from tillit.organisation.models import Membership, Team
from tillit.organisation.selectors import managed_unit_ids

# same-origin, not no-referrer: the address never leaves Tillit, and the pages' own forms still carry an Origin
# that the CSRF check accepts (with no-referrer, browsers send "Origin: null").
PRIVATE = {"Referrer-Policy": "same-origin", "X-Robots-Tag": "noindex"}


def _private(response: HttpResponse) -> HttpResponse:
    """A resident's own page: its address is the key to it, so it is not passed on or indexed."""
    for header, value in PRIVATE.items():
        response[header] = value
    return response


def _member(token: str) -> PanelMember:
    try:
        return PanelMember.objects.select_related("consent").get(token=token)
    except PanelMember.DoesNotExist as exc:
        raise Http404 from exc


# The resident's side: no account needed.


def _upcoming() -> Any:
    return Invitation.objects.filter(starts_at__gte=timezone.now()).select_related("team", "dialogue")


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "citizens/home.html",
        {
            "nav": "citizens",
            "consent": services.current_consent(),
            "events": _upcoming().order_by("starts_at")[:6],
        },
    )


def event(request: HttpRequest, pk: int) -> HttpResponse:
    """A dialogue or workshop the panel was invited to is open to anyone: this page, its link and QR code are
    how residents outside the panel come too."""
    found = get_object_or_404(Invitation.objects.select_related("team", "dialogue"), pk=pk)
    url = request.build_absolute_uri(found.get_absolute_url())
    join_url = (
        request.build_absolute_uri(reverse("dialogue:join_code", args=[found.dialogue.join_code]))
        if found.dialogue
        else None
    )
    return render(
        request, "citizens/event.html", {"nav": "citizens", "event": found, "url": url, "join_url": join_url}
    )


def join(request: HttpRequest) -> HttpResponse:
    consent = services.current_consent()
    if consent is None:
        return render(request, "citizens/join_closed.html", {"nav": "citizens"})
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        shown = request.POST.get("consent_version", "")
        member = run_service(
            form,
            services.member_join,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            area=data["area"],
            services=data["services"],
            consent_version=int(shown) if shown.isdigit() else None,
            consented=data["consented"],
        )
        if member is not None:
            messages.success(
                request, _("Welcome to the citizen panel! Save the address of this page: it is your key.")
            )
            return redirect(member)
    return render_form(
        request, "citizens/join.html", {"nav": "citizens", "form": form, "consent": consent}, form
    )


@never_cache
def member(request: HttpRequest, token: str) -> HttpResponse:
    panel_member = _member(token)
    services.member_touch(panel_member)
    context = {
        "nav": "citizens",
        "member": panel_member,
        "services": panel_member.services.select_related("unit"),
        "invitations": panel_member.invitations.select_related("team", "dialogue").order_by("-starts_at"),
        "feedback": panel_member.feedback.select_related("team"),
    }
    return _private(render(request, "citizens/member.html", context))


@never_cache
def member_edit(request: HttpRequest, token: str) -> HttpResponse:
    panel_member = _member(token)
    form = MemberForm(
        request.POST or None, instance=panel_member, initial={"services": panel_member.services.all()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        updated = run_service(
            form,
            services.member_update,
            member=panel_member,
            services=data["services"],
            **{name: data[name] for name in services.MEMBER_FIELDS},
        )
        if updated is not None:
            messages.success(request, _("Your details are saved."))
            return redirect(panel_member)
        panel_member.refresh_from_db()
    context = {"nav": "citizens", "member": panel_member, "form": form}
    return _private(render_form(request, "citizens/member_edit.html", context, form))


@never_cache
def member_download(request: HttpRequest, token: str) -> HttpResponse:
    panel_member = _member(token)
    body = json.dumps(services.member_export(panel_member), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mina-uppgifter-tillit.json"'
    return _private(response)


@never_cache
def member_leave(request: HttpRequest, token: str) -> HttpResponse:
    panel_member = _member(token)
    if request.method == "POST":
        services.member_leave(member=panel_member)
        return _private(render(request, "citizens/left.html", {"nav": "citizens"}))
    return _private(render(request, "citizens/leave.html", {"nav": "citizens", "member": panel_member}))


def send_link(request: HttpRequest) -> HttpResponse:
    form = SendLinkForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        services.member_send_link(email=form.cleaned_data["email"])
        sent = True
    return render_form(
        request, "citizens/send_link.html", {"nav": "citizens", "form": form, "sent": sent}, form
    )


def feedback_create(request: HttpRequest) -> HttpResponse:
    panel_member = PanelMember.objects.filter(token=request.GET.get("panel", "") or "-").first()
    initial: dict[str, Any] = {}
    if panel_member is not None:
        initial = {"name": panel_member.name, "email": panel_member.email}
    if request.GET.get("tjanst", "").isdigit():
        initial["team"] = int(request.GET["tjanst"])
    form = FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        feedback = run_service(
            form,
            services.feedback_submit,
            team=data["team"],
            text=data["text"],
            anonymous=data["anonymous"],
            member=panel_member,
            name=data["name"],
            email=data["email"],
            public=data["public"],
        )
        if feedback is not None:
            messages.success(
                request, _("Thank you! Save the address of this page to follow what comes of your feedback.")
            )
            return redirect(feedback)
    context = {"nav": "citizens", "form": form, "member": panel_member}
    return _private(render_form(request, "citizens/feedback_form.html", context, form))


@never_cache
def feedback_status(request: HttpRequest, token: str) -> HttpResponse:
    feedback = get_object_or_404(
        Feedback.objects.select_related("team", "idea__initiative", "proposal"), token=token
    )
    context = {
        "nav": "citizens",
        "feedback": feedback,
        "updates": feedback.updates.all(),
        "decision": _decision(feedback),
    }
    return _private(render(request, "citizens/feedback_status.html", context))


@require_POST
def feedback_forget(request: HttpRequest, token: str) -> HttpResponse:
    feedback = get_object_or_404(Feedback, token=token)
    services.feedback_forget_contact(feedback=feedback)
    messages.success(request, _("Your name and e-mail address are removed."))
    return redirect(feedback)


def _decision(feedback: Feedback) -> Any:
    if feedback.proposal_id is None:
        return None
    return Decision.objects.filter(proposal_id=feedback.proposal_id).first()


def outcomes(request: HttpRequest) -> HttpResponse:
    """What came of residents' feedback: everything the contributors chose to show, with its status."""
    shown = (
        Feedback.objects.filter(public=True)
        .select_related("team", "team__unit", "idea__initiative", "proposal")
        .prefetch_related("updates")
    )
    status = request.GET.get("status", "")
    if status in Feedback.Status.values:
        shown = shown.filter(status=status)
    counts = dict(Feedback.objects.filter(public=True).values_list("status").annotate(n=Count("pk")))
    page = Paginator(shown, 20).get_page(request.GET.get("page"))
    context = {
        "nav": "citizens",
        "page": page,
        "status": status,
        "query": f"status={status}" if status else "",
        "statuses": [(value, label, counts.get(value, 0)) for value, label in Feedback.Status.choices],
    }
    return render(request, "citizens/outcomes.html", context)


# The municipality's side.


def _inbox(user: Any) -> Any:
    found = Feedback.objects.select_related("team", "team__unit")
    if user.has_perm("citizens.manage_panel"):
        return found
    managed = managed_unit_ids(user)
    if managed is None:
        return found
    teams = Membership.objects.filter(person=user).values("team_id")
    return found.filter(Q(team__in=teams) | Q(team__unit__in=managed))


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    require(request.user, "citizens.view_inbox")
    found = _inbox(request.user)
    status = request.GET.get("status", "open")
    if status == "open":
        found = found.filter(status__in=(Feedback.Status.RECEIVED, Feedback.Status.CONSIDERING))
    elif status in Feedback.Status.values:
        found = found.filter(status=status)
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    my_teams = Team.objects.filter(memberships__person_id=request.user.pk).order_by("name")
    return render(
        request,
        "citizens/inbox.html",
        {
            "nav": "citizens",
            "page": page,
            "status": status,
            "statuses": Feedback.Status.choices,
            "can_invite": bool(my_teams) or request.user.has_perm("citizens.manage_panel"),
            "can_manage": request.user.has_perm("citizens.manage_panel"),
        },
    )


@login_required
def feedback_handle(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = get_object_or_404(Feedback.objects.select_related("team", "idea", "proposal"), pk=pk)
    require(request.user, "citizens.handle_feedback", feedback)
    which = request.POST.get("form", "")
    status_form = StatusForm(request.POST if which == "status" else None, prefix="status")
    answer_form = AnswerForm(
        request.POST if which == "answer" else None, prefix="answer", initial={"answer": feedback.answer}
    )
    idea_form = ToIdeaForm(
        request.POST if which == "idea" else None,
        prefix="idea",
        initial={
            "title": feedback.text[:80],
            "beneficiaries": _("Those who use %(service)s") % {"service": feedback.team.name},
        },
    )
    bound = {"status": status_form, "answer": answer_form, "idea": idea_form}.get(which)
    if bound is not None and bound.is_valid():
        data = bound.cleaned_data
        if bound is status_form:
            result: Any = run_service(
                bound,
                services.feedback_set_status,
                actor=request.user,
                feedback=feedback,
                status=data["status"],
                message=data["message"],
            )
        elif bound is answer_form:
            result = run_service(
                bound, services.feedback_answer, actor=request.user, feedback=feedback, answer=data["answer"]
            )
        else:
            result = run_service(
                bound, services.feedback_to_idea, actor=request.user, feedback=feedback, **data
            )
        if is_done(result):
            messages.success(request, _("Saved. The resident sees it on their page."))
            return redirect("citizens:feedback_handle", pk=feedback.pk)
    context = {
        "nav": "citizens",
        "feedback": feedback,
        "updates": feedback.updates.all(),
        "decision": _decision(feedback),
        "status_form": status_form,
        "answer_form": answer_form,
        "idea_form": idea_form,
        "can_propose": request.user.has_perm("decisions.propose", feedback.team),
        "history": history_of(feedback),
    }
    return render_form(request, "citizens/feedback_handle.html", context, bound)


@login_required
def feedback_propose(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = get_object_or_404(Feedback.objects.select_related("team"), pk=pk)
    require(request.user, "citizens.handle_feedback", feedback)
    require(request.user, "decisions.propose", feedback.team)
    mandates = mandate_list_for(user=request.user, team=feedback.team)
    form = ProposalForm(
        request.POST or None,
        mandates=mandates,
        initial={
            "title": feedback.text[:120],
            "background": _("Feedback from a resident:\n\n%(text)s") % {"text": feedback.text},
        },
    )
    if request.method == "POST" and form.is_valid():
        proposal = run_service(
            form,
            services.feedback_to_proposal,
            actor=request.user,
            feedback=feedback,
            **form.service_fields(),
        )
        if proposal is not None:
            messages.success(
                request, _("The proposal has been sent to the team. The resident follows it to the decision.")
            )
            return redirect(proposal)
    return render_form(
        request,
        "citizens/feedback_propose.html",
        {"nav": "citizens", "form": form, "feedback": feedback},
        form,
    )


@login_required
def invitation_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "citizens.view_inbox")
    if request.user.has_perm("citizens.manage_panel"):
        teams = Team.objects.order_by("name")
    else:
        teams = Team.objects.filter(memberships__person_id=request.user.pk).order_by("name")
    if not teams.exists():
        raise PermissionDenied
    form = InvitationForm(request.POST or None)
    team_pk = request.POST.get("team") or request.GET.get("team") or str(teams.first().pk)  # type: ignore[union-attr]
    team = teams.filter(pk=team_pk).first() if str(team_pk).isdigit() else None
    if request.method == "POST" and team is None:
        form.is_valid()
        form.add_error(None, _("Choose one of your teams."))
    elif request.method == "POST" and form.is_valid():
        require(request.user, "citizens.invite", team)
        data = dict(form.cleaned_data)
        chosen = data.pop("services")
        invitation = run_service(
            form, services.invitation_send, actor=request.user, team=team, services=chosen, **data
        )
        if invitation is not None:
            messages.success(
                request,
                _("The invitation has been sent to %(count)s panel members.")
                % {"count": invitation.members.count()},
            )
            return redirect("citizens:inbox")
    context = {
        "nav": "citizens",
        "form": form,
        "teams": teams,
        "team": team,
        "panel_size": PanelMember.objects.count(),
    }
    return render_form(request, "citizens/invitation_form.html", context, form)


@login_required
def panel_settings(request: HttpRequest) -> HttpResponse:
    require(request.user, "citizens.manage_panel")
    current = PanelSettings.current()
    consent = services.current_consent()
    which = request.POST.get("form", "")
    consent_form = ConsentForm(
        request.POST if which == "consent" else None,
        prefix="consent",
        initial={
            "text_sv": consent.text_sv if consent else "",
            "text_en": consent.text_en if consent else "",
        },
    )
    retention_form = RetentionForm(
        request.POST if which == "retention" else None,
        prefix="retention",
        initial={"retention_months": current.retention_months},
    )
    bound = {"consent": consent_form, "retention": retention_form}.get(which)
    if bound is not None and bound.is_valid():
        if bound is consent_form:
            result: Any = run_service(
                bound, services.consent_publish, actor=request.user, **bound.cleaned_data
            )
        else:
            result = run_service(bound, services.settings_update, actor=request.user, **bound.cleaned_data)
        if is_done(result):
            messages.success(request, _("Saved."))
            return redirect("citizens:settings")
    context = {
        "nav": "citizens",
        "consent": consent,
        "consent_form": consent_form,
        "retention_form": retention_form,
        "members": PanelMember.objects.count(),
        "history": history_of(current),
    }
    return render_form(request, "citizens/settings.html", context, bound)
