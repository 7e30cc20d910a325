from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.core.exports import csv_response, xlsx_response
from tillit.core.forms import is_done, render_form, run_service
from tillit.core.history import history_of
from tillit.core.permissions import require
from tillit.decisions import selectors, services
from tillit.decisions.forms import (
    AmendForm,
    ConflictForm,
    DecideForm,
    DecisionAmendForm,
    MandateChangeForm,
    MandateForm,
    MarkReportedForm,
    ProposalForm,
    RegisterFilterForm,
    ReportPeriodForm,
    ResponseForm,
)
from tillit.decisions.models import (
    MANDATE_CONTENT,
    Committee,
    CommitteeReport,
    Decision,
    Mandate,
    MandateVersion,
    Proposal,
)
from tillit.organisation.models import Membership, Team, Unit

REGISTER_PER_PAGE = 50


# The delegation order.


@login_required
def mandate_list(request: HttpRequest) -> HttpResponse:
    """The delegation order, per committee; ``?enhet=`` narrows it to one unit's mandates."""
    units = Unit.objects.filter(mandates__active=True).distinct().order_by("name")
    unit = units.filter(slug=request.GET.get("enhet", "")).first()
    mandates = selectors.mandate_list_for(user=request.user, unit=unit)
    committees: dict[Committee, list[Mandate]] = {}
    for mandate in mandates:
        committees.setdefault(mandate.committee, []).append(mandate)
    context = {
        "committees": committees,
        "units": units,
        "unit": unit,
        "nav": "decisions",
        "can_manage": request.user.has_perm("decisions.manage_mandates"),
    }
    return render(request, "decisions/mandates.html", context)


@login_required
def team_mandates(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(Team.objects.select_related("unit"), slug=slug)
    mandates = selectors.mandate_list_for(user=request.user, team=team)
    return render(
        request, "decisions/team_mandates.html", {"team": team, "mandates": mandates, "nav": "organisation"}
    )


@login_required
def mandate_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "decisions.manage_mandates")
    form = MandateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mandate = run_service(form, services.mandate_create, actor=request.user, **form.service_fields())
        if mandate is not None:
            messages.success(request, _("The mandate has been added to the delegation order."))
            return redirect(mandate)
    return render_form(request, "decisions/mandate_form.html", {"form": form, "nav": "decisions"}, form)


@login_required
def mandate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = selectors.mandate_get_for(user=request.user, pk=pk)
    versions = list(MandateVersion.objects.filter(mandate=mandate).select_related("proposal", "created_by"))
    context = {
        "mandate": mandate,
        "versions": versions,
        "decisions": mandate.decisions.filter(replaced_by__isnull=True).select_related("proposal", "team")[
            :20
        ],
        "open_changes": mandate.proposals.filter(status=Proposal.Status.OPEN, mandate_change__isnull=False),
        "can_propose_change": request.user.has_perm("decisions.propose_mandate_change", mandate),
        "history": history_of(mandate),
        "nav": "decisions",
    }
    return render(request, "decisions/mandate.html", context)


def _teams_of(request: HttpRequest) -> Any:
    return Team.objects.filter(
        memberships__person=request.user.pk, memberships__role=Membership.Role.MEMBER
    ).order_by("name")


@login_required
def mandate_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Changing a mandate is itself a proposal, made in one of the proposer's teams."""
    mandate = selectors.mandate_get_for(user=request.user, pk=pk)
    require(request.user, "decisions.propose_mandate_change", mandate)
    teams = _teams_of(request)
    initial = {"decider": "person"}
    form = MandateChangeForm(request.POST or None, instance=mandate, teams=teams, initial=initial)
    if request.method == "POST" and form.is_valid():
        proposal = run_service(
            form,
            services.mandate_change_propose,
            actor=request.user,
            mandate=mandate,
            in_team=form.cleaned_data["proposing_team"],
            background=form.cleaned_data["background"],
            deadline=form.cleaned_data["deadline"],
            **form.service_fields(),
        )
        if proposal is not None:
            messages.success(request, _("Your proposal to change the mandate has been sent to the team."))
            return redirect(proposal)
    return render_form(
        request, "decisions/mandate_change.html", {"form": form, "mandate": mandate, "nav": "decisions"}, form
    )


# Proposals.


@login_required
def proposal_create(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(Team.objects.select_related("unit"), slug=slug)
    require(request.user, "decisions.propose", team)
    mandates = selectors.mandate_list_for(user=request.user, team=team)
    form = ProposalForm(
        request.POST or None, mandates=mandates, initial={"mandate": request.GET.get("mandat")}
    )
    if request.method == "POST" and form.is_valid():
        proposal = run_service(
            form, services.proposal_create, actor=request.user, team=team, **form.service_fields()
        )
        if proposal is not None:
            messages.success(request, _("Your proposal has been sent to the team."))
            return redirect(proposal)
    return render_form(
        request, "decisions/proposal_form.html", {"form": form, "team": team, "nav": "organisation"}, form
    )


def _proposal_page(request: HttpRequest, proposal: Proposal, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    people, capacity = services.deciders(proposal)
    can = {
        name: user.has_perm(f"decisions.{name}", proposal)
        for name in ("respond", "amend", "withdraw", "declare_conflict", "decide")
    }
    context = {
        "proposal": proposal,
        "tally": selectors.tally(proposal, user),
        "versions": list(proposal.versions.select_related("created_by")),
        "conflicts": list(proposal.conflicts.select_related("person")),
        "objections": services.standing_objections(proposal),
        "deciders": people,
        "capacity": capacity,
        "advisers": list(proposal.advisers.order_by("full_name")),
        "decision": proposal.decisions.filter(replaced_by__isnull=True).first(),
        "mandate_change": _mandate_change_rows(proposal),
        "can": can,
        "response_form": forms.get("response_form") or ResponseForm(proposal=proposal),
        "conflict_form": forms.get("conflict_form") or ConflictForm(),
        "decide_form": forms.get("decide_form") or DecideForm(),
        "past_deadline": proposal.deadline <= timezone.now(),
        "history": history_of(proposal),
        "nav": "organisation",
    }
    return render(request, "decisions/proposal.html", context, status=status)


def _mandate_change_rows(proposal: Proposal) -> list[tuple[str, str, str]]:
    """What would change in the mandate, field by field: (label, now, proposed)."""
    if proposal.mandate_change is None or proposal.mandate is None:
        return []
    proposed = Mandate.objects.get(pk=proposal.mandate.pk)
    for attname, value in proposal.mandate_change.items():
        setattr(proposed, attname, value)
    rows = []
    for name in MANDATE_CONTENT:
        label = str(getattr(Mandate._meta.get_field(name), "verbose_name", name))
        before, after = (_display(obj, name) for obj in (proposal.mandate, proposed))
        if before != after:
            rows.append((label.capitalize(), before, after))
    return rows


def _display(obj: Mandate, name: str) -> str:
    getter = getattr(obj, f"get_{name}_display", None)
    value = getter() if getter else getattr(obj, name)
    return "" if value is None else str(value)


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_page(request, selectors.proposal_get_for(user=request.user, pk=pk))


@login_required
@require_POST
def proposal_respond(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get_for(user=request.user, pk=pk)
    require(request.user, "decisions.respond", proposal)
    form = ResponseForm(request.POST, proposal=proposal)
    if form.is_valid() and is_done(
        run_service(
            form,
            services.proposal_respond,
            actor=request.user,
            proposal=proposal,
            position=form.cleaned_data["position"],
            reason=form.cleaned_data["reason"],
            option=form.cleaned_data.get("option") or "",
            scores=form.scores(),
        )
    ):
        messages.success(request, _("Your response has been recorded."))
        return redirect(proposal)
    return _proposal_page(request, proposal, status=400, response_form=form)


@login_required
@require_POST
def proposal_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get_for(user=request.user, pk=pk)
    require(request.user, "decisions.declare_conflict", proposal)
    form = ConflictForm(request.POST)
    if form.is_valid() and is_done(
        run_service(
            form,
            services.conflict_declare,
            actor=request.user,
            proposal=proposal,
            reason=form.cleaned_data["reason"],
        )
    ):
        messages.success(
            request, _("Your conflict of interest has been recorded. You will neither respond nor decide.")
        )
        return redirect(proposal)
    return _proposal_page(request, proposal, status=400, conflict_form=form)


@login_required
@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get_for(user=request.user, pk=pk)
    require(request.user, "decisions.decide", proposal)
    form = DecideForm(request.POST)
    if form.is_valid():
        decision = run_service(
            form,
            services.proposal_decide,
            actor=request.user,
            proposal=proposal,
            outcome=form.cleaned_data["outcome"],
            review_on=form.cleaned_data["review_on"],
        )
        if decision is not None:
            messages.success(
                request,
                _("The decision has been entered in the register as %(ref)s.") % {"ref": decision.reference},
            )
            return redirect(decision)
    return _proposal_page(request, proposal, status=400, decide_form=form)


@login_required
@require_POST
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get_for(user=request.user, pk=pk)
    require(request.user, "decisions.withdraw", proposal)
    services.proposal_withdraw(actor=request.user, proposal=proposal)
    messages.success(request, _("The proposal has been withdrawn."))
    return redirect(proposal)


@login_required
def proposal_amend(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get_for(user=request.user, pk=pk)
    require(request.user, "decisions.amend", proposal)
    initial = {"advisers": list(proposal.advisers.all())}
    form = AmendForm(
        request.POST or None,
        instance=Proposal.objects.get(pk=proposal.pk),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        reason = fields.pop("reason")
        if run_service(
            form, services.proposal_amend, actor=request.user, proposal=proposal, reason=reason, **fields
        ):
            messages.success(
                request, _("The proposal has been amended. Everyone who responded is asked to look again.")
            )
            return redirect(proposal)
    return render_form(
        request,
        "decisions/proposal_amend.html",
        {"form": form, "proposal": proposal, "nav": "organisation"},
        form,
    )


# The decision register.


def _register_filters(request: HttpRequest) -> tuple[RegisterFilterForm, selectors.RegisterFilter]:
    form = RegisterFilterForm(request.GET or None)
    filters = selectors.RegisterFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.RegisterFilter(
            team=data["team"],
            mandate=data["mandate"],
            start=data["start"],
            end=data["end"],
            process=data["process"],
            status=data["status"],
            query=data["q"],
        )
    return form, filters


def _register_rows(decisions: Any) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [
            _("Reference"),
            _("Version"),
            _("Decided on"),
            _("Title"),
            _("What was decided"),
            _("Team"),
            _("Mandate"),
            _("Committee"),
            _("Decided by"),
            _("Process"),
            _("Review date"),
            _("Reported to the committee"),
        ]
    ]
    for d in decisions:
        rows.append(
            [
                d.number,
                d.version,
                d.decided_on,
                d.proposal.title,
                d.outcome,
                d.team.name,
                str(d.mandate) if d.mandate else _("Team agreement"),
                d.mandate.committee.name if d.mandate else "",
                d.decided_by.full_name,
                d.proposal.get_process_display(),
                d.review_on or "",
                d.report.reported_on if d.report else "",
            ]
        )
    return rows


@login_required
def register(request: HttpRequest) -> HttpResponse:
    form, filters = _register_filters(request)
    decisions = selectors.register_for(user=request.user, filters=filters)
    export = request.GET.get("format")
    filename = f"beslutsregister-{timezone.localdate():%Y-%m-%d}"
    if export == "csv":
        return csv_response(_register_rows(decisions), f"{filename}.csv")
    if export == "xlsx":
        return xlsx_response(_register_rows(decisions), f"{filename}.xlsx", _("Decisions"))
    page = Paginator(decisions, REGISTER_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "nav": "decisions"}
    template = (
        "decisions/register.html#results" if getattr(request, "htmx", False) else "decisions/register.html"
    )
    return render(request, template, context)


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get_for(user=request.user, pk=pk)
    newest = not Decision.objects.filter(replaces=decision).exists()
    may_amend = request.user.has_perm("decisions.amend_decision", decision)
    context = {
        "decision": decision,
        "versions": selectors.decision_versions(decision),
        "newest": newest,
        "responses": list(decision.proposal.responses.select_related("person").order_by("created_at")),
        "conflicts": list(decision.proposal.conflicts.select_related("person")),
        "may_amend": may_amend,
        "history": history_of(decision),
        "nav": "decisions",
    }
    return render(request, "decisions/decision.html", context)


@login_required
def decision_amend(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get_for(user=request.user, pk=pk)
    require(request.user, "decisions.amend_decision", decision)
    form = DecisionAmendForm(
        request.POST or None, initial={"outcome": decision.outcome, "review_on": decision.review_on}
    )
    if request.method == "POST" and form.is_valid():
        new = run_service(
            form,
            services.decision_amend,
            actor=request.user,
            decision=decision,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["amendment_reason"],
            review_on=form.cleaned_data["review_on"],
        )
        if new is not None:
            messages.success(
                request, _("The decision has been amended as version %(n)s.") % {"n": new.version}
            )
            return redirect(new)
    return render_form(
        request,
        "decisions/decision_amend.html",
        {"form": form, "decision": decision, "nav": "decisions"},
        form,
    )


# Reports of delegated decisions to the committee.


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """For a committee and a period: every delegated decision, as a page, CSV, XLSX or a printable document."""
    require(request.user, "decisions.view_register")
    form = ReportPeriodForm(request.GET or None)
    context: dict[str, Any] = {
        "form": form,
        "nav": "decisions",
        "reports": CommitteeReport.objects.select_related("committee")[:20],
    }
    if form.is_valid():
        committee, start, end = (form.cleaned_data[k] for k in ("committee", "start", "end"))
        decisions = list(services.reportable(committee, start, end))
        rows = _report_rows(decisions)
        filename = f"delegationsbeslut-{committee.pk}-{start:%Y%m%d}-{end:%Y%m%d}"
        if request.GET.get("format") == "csv":
            return csv_response(rows, f"{filename}.csv")
        if request.GET.get("format") == "xlsx":
            return xlsx_response(rows, f"{filename}.xlsx", _("Delegated decisions"))
        context.update(
            committee=committee,
            start=start,
            end=end,
            decisions=decisions,
            unreported=[d for d in decisions if d.report_id is None],
            mark_form=MarkReportedForm(initial={"reported_on": timezone.localdate()}),
            can_mark=request.user.has_perm("decisions.report"),
            query=request.GET.urlencode(),
        )
        if request.GET.get("print"):
            return render(request, "decisions/report_print.html", context)
    return render(request, "decisions/report.html", context)


def _report_rows(decisions: list[Decision]) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [
            _("Reference"),
            _("Decided on"),
            _("Matter"),
            _("Mandate"),
            _("Delegation decision"),
            _("Delegate"),
            _("Decided as"),
            _("What was decided"),
            _("Team"),
            _("Reported on"),
        ]
    ]
    for d in decisions:
        assert d.mandate is not None
        rows.append(
            [
                d.reference,
                d.decided_on,
                d.proposal.title,
                str(d.mandate),
                d.mandate.basis_reference,
                d.decided_by.full_name,
                _("deputy") if d.as_deputy else d.mandate.delegate_role,
                d.outcome,
                d.team.name,
                d.report.reported_on if d.report else "",
            ]
        )
    return rows


@login_required
@require_POST
def report_mark(request: HttpRequest) -> HttpResponse:
    require(request.user, "decisions.report")
    period = ReportPeriodForm(request.POST)
    form = MarkReportedForm(request.POST)
    if period.is_valid() and form.is_valid():
        committee, start, end = (period.cleaned_data[k] for k in ("committee", "start", "end"))
        made = run_service(
            form,
            services.report_make,
            actor=request.user,
            committee=committee,
            period_start=start,
            period_end=end,
            reported_on=form.cleaned_data["reported_on"],
        )
        if made is not None:
            messages.success(
                request,
                _("%(n)s delegated decisions have been marked as reported to %(committee)s.")
                % {"n": made.decisions.count(), "committee": committee},
            )
        else:
            for error in form.non_field_errors():
                messages.error(request, str(error))
        period_query = urlencode({"committee": committee.pk, "start": start, "end": end})
        return redirect(f"{reverse('decisions:report')}?{period_query}")
    messages.error(request, _("Choose a committee, a period and the date it was reported."))
    return redirect("decisions:report")
