"""HR pages: permission → form → service → page. Reads go through selectors, which refuse with 404 whoever
may not know that a talk or a rehabilitation case exists."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.accounts.models import User
from tillit.core.exports import csv_response
from tillit.core.forms import is_done, render_form, run_action, run_service
from tillit.core.history import history_of
from tillit.core.permissions import require
from tillit.hr import selectors, services
from tillit.hr.forms import (
    AssessmentForm,
    CandidateForm,
    ConflictForm,
    DecideForm,
    FeedbackAnswerForm,
    FeedbackAskForm,
    OutcomeForm,
    PreparationForm,
    RecruitmentCreateForm,
    RecruitmentEditForm,
    ReferenceForm,
    RehabEntryForm,
    RehabOpenForm,
    SettingsForm,
    TalkForm,
)
from tillit.hr.models import HrSettings, Recruitment
from tillit.organisation.models import Team

NAV = "hr"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    require(request.user, "hr.view_home")
    user = request.user
    context = {
        "talks": selectors.talk_list_for(user=user),
        "asked": selectors.feedback_asked_of(user=user),
        "recruitments": selectors.recruitment_list_for(user=user),
        "hr_recruitments": selectors.recruitment_open_list_for_hr(user=user),
        "cases": selectors.rehab_list_for(user=user),
        "can_open_rehab": user.has_perm("hr.open_rehab"),
        "can_manage_settings": user.has_perm("hr.manage_settings"),
        "nav": NAV,
    }
    return render(request, "hr/home.html", context)


@login_required
def retention_settings(request: HttpRequest) -> HttpResponse:
    require(request.user, "hr.manage_settings")
    current = HrSettings.load()
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if is_done(
            run_service(
                form,
                services.settings_update,
                actor=request.user,
                candidate_retention_months=data["candidate_retention_months"],
                rehab_retention_months=data["rehab_retention_months"],
            )
        ):
            messages.success(request, _("The retention rules are saved."))
            return redirect("hr:settings")
    context = {"form": form, "history": history_of(current), "nav": NAV}
    return render_form(request, "hr/settings.html", context, form)


# Recruitment.


@login_required
def recruitment_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "hr.start_recruitment")
    initial: dict[str, Any] = {}
    team_slug = request.GET.get("team")
    if team_slug:
        team = Team.objects.filter(slug=team_slug, memberships__person=request.user.pk).first()
        if team is not None:
            initial = {"team": team, "delegate": services.staff_delegate(team)}
    form = RecruitmentCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        recruitment = run_service(
            form,
            services.recruitment_create,
            actor=request.user,
            team=form.cleaned_data["team"],
            **form.service_fields(),
        )
        if recruitment is not None:
            messages.success(request, _("The recruitment is started."))
            return redirect(recruitment)
    return render_form(request, "hr/recruitment_form.html", {"form": form, "nav": NAV}, form)


def _recruitment_context(request: HttpRequest, recruitment: Recruitment) -> dict[str, Any]:
    user = request.user
    sees_candidates = user.has_perm("hr.view_candidates", recruitment)
    return {
        "recruitment": recruitment,
        "requirements": recruitment.requirement_list,
        "panel": list(recruitment.panel.all()),
        "sees_candidates": sees_candidates,
        "rows": selectors.candidate_table(recruitment) if sees_candidates else [],
        "conflicts": selectors.conflicts_of(recruitment) if sees_candidates else [],
        "can_change": user.has_perm("hr.change_recruitment", recruitment),
        "can_add_candidate": user.has_perm("hr.add_candidate", recruitment),
        "can_decide": user.has_perm("hr.decide", recruitment),
        "can_remove": user.has_perm("hr.remove_candidate_data", recruitment),
        "is_involved": user.pk == recruitment.delegate_id
        or any(p.pk == user.pk for p in recruitment.panel.all()),
        "history": history_of(recruitment),
        "nav": NAV,
    }


@login_required
def recruitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recruitment = selectors.recruitment_get_for(user=request.user, pk=pk)
    context = _recruitment_context(request, recruitment)
    context["candidate_form"] = CandidateForm(prefix="candidate")
    context["conflict_form"] = ConflictForm(prefix="conflict", recruitment=recruitment)
    return render(request, "hr/recruitment.html", context)


@login_required
def recruitment_summary_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The panel's summary table as a spreadsheet, for those who see the candidates."""
    recruitment = selectors.recruitment_get_for(user=request.user, pk=pk)
    if not request.user.has_perm("hr.view_candidates", recruitment):
        raise Http404
    requirements = recruitment.requirement_list
    rows: list[list[Any]] = [[_("Candidate"), *requirements, _("Mean"), _("Assessed by")]]
    for row in selectors.candidate_table(recruitment):
        rows.append([row.candidate.display_name, *row.averages, row.total, row.assessors])
    return csv_response(rows, f"rekrytering-{recruitment.pk}.csv")


@login_required
def recruitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    recruitment = selectors.recruitment_get_for(user=request.user, pk=pk)
    require(request.user, "hr.change_recruitment", recruitment)
    form = RecruitmentEditForm(request.POST or None, instance=recruitment)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        panel = fields.pop("panel")
        recruitment.refresh_from_db()
        if is_done(
            run_service(
                form,
                services.recruitment_update,
                actor=request.user,
                recruitment=recruitment,
                panel=panel,
                **fields,
            )
        ):
            messages.success(request, _("The recruitment is saved."))
            return redirect(recruitment)
    context = {"form": form, "recruitment": recruitment, "nav": NAV}
    return render_form(request, "hr/recruitment_form.html", context, form)


@require_POST
@login_required
def recruitment_advance(request: HttpRequest, pk: int) -> HttpResponse:
    recruitment = selectors.recruitment_get_for(user=request.user, pk=pk)
    require(request.user, "hr.change_recruitment", recruitment)
    run_action(
        request,
        services.recruitment_advance,
        _("The recruitment has moved on."),
        actor=request.user,
        recruitment=recruitment,
    )
    return redirect(recruitment)


@require_POST
@login_required
def recruitment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    recruitment = selectors.recruitment_get_for(user=request.user, pk=pk)
    require(request.user, "hr.change_recruitment", recruitment)
    run_action(
        request,
        services.recruitment_cancel,
        _("The recruitment is cancelled."),
        actor=request.user,
        recruitment=recruitment,
    )
    return redirect(recruitment)


@require_POST
@login_required
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    recruitment = selectors.recruitment_get_for(user=request.user, pk=pk)
    require(request.user, "hr.add_candidate", recruitment)
    form = CandidateForm(request.POST, prefix="candidate")
    if form.is_valid() and is_done(
        run_service(
            form, services.candidate_add, actor=request.user, recruitment=recruitment, **form.cleaned_data
        )
    ):
        messages.success(request, _("The candidate is added."))
        return redirect(recruitment)
    context = _recruitment_context(request, recruitment)
    context["candidate_form"] = form
    context["conflict_form"] = ConflictForm(prefix="conflict", recruitment=recruitment)
    return render_form(request, "hr/recruitment.html", context, form)


@require_POST
@login_required
def conflict_declare(request: HttpRequest, pk: int) -> HttpResponse:
    recruitment = selectors.recruitment_get_for(user=request.user, pk=pk)
    if not (
        request.user.pk == recruitment.delegate_id or recruitment.panel.filter(pk=request.user.pk).exists()
    ):
        raise Http404
    form = ConflictForm(request.POST, prefix="conflict", recruitment=recruitment)
    if form.is_valid() and is_done(
        run_service(
            form, services.conflict_declare, actor=request.user, recruitment=recruitment, **form.cleaned_data
        )
    ):
        messages.success(request, _("Your conflict of interest is recorded."))
        return redirect(recruitment)
    context = _recruitment_context(request, recruitment)
    context["candidate_form"] = CandidateForm(prefix="candidate")
    context["conflict_form"] = form
    return render_form(request, "hr/recruitment.html", context, form)


@login_required
def candidate_detail(request: HttpRequest, pk: int, candidate: int) -> HttpResponse:
    recruitment = selectors.recruitment_get_for(user=request.user, pk=pk)
    found = selectors.candidate_get_for(user=request.user, recruitment=recruitment, pk=candidate)
    can_assess = request.user.has_perm("hr.assess", recruitment) and found.removed_at is None
    conflicted = selectors.conflicted(recruitment, request.user, found)
    assessment_form: AssessmentForm | None = None
    reference_form: ReferenceForm | None = None
    requirements = recruitment.requirement_list
    mine = [a for a in found.assessments.all() if a.assessor_id == request.user.pk]
    if can_assess and not conflicted:
        initial = {}
        for assessment in mine:
            initial[f"score_{assessment.requirement}"] = assessment.score
            initial[f"comment_{assessment.requirement}"] = assessment.comment
        assessment_form = AssessmentForm(requirements=requirements, initial=initial, prefix="assess")
    can_add_reference = request.user.has_perm("hr.add_candidate", recruitment) and found.removed_at is None
    if can_add_reference:
        reference_form = ReferenceForm(prefix="reference")
    form_errors: Any = None
    if request.method == "POST":
        if request.POST.get("action") == "assess" and assessment_form is not None:
            assessment_form = AssessmentForm(request.POST, requirements=requirements, prefix="assess")
            form_errors = assessment_form
            if assessment_form.is_valid() and is_done(
                run_service(
                    assessment_form,
                    services.assessment_save,
                    actor=request.user,
                    candidate=found,
                    scores=assessment_form.scores(),
                )
            ):
                messages.success(request, _("Your assessment is saved."))
                return redirect(found)
        elif request.POST.get("action") == "reference" and reference_form is not None:
            reference_form = ReferenceForm(request.POST, prefix="reference")
            form_errors = reference_form
            if reference_form.is_valid() and is_done(
                run_service(
                    reference_form,
                    services.reference_add,
                    actor=request.user,
                    candidate=found,
                    **reference_form.cleaned_data,
                )
            ):
                messages.success(request, _("The reference is saved."))
                return redirect(found)
        else:
            raise Http404
    by_assessor: dict[Any, list[Any]] = {}
    for assessment in found.assessments.all():
        by_assessor.setdefault(assessment.assessor, []).append(assessment)
    context = {
        "recruitment": recruitment,
        "candidate": found,
        "requirements": requirements,
        "by_assessor": by_assessor,
        "assessment_form": assessment_form,
        "reference_form": reference_form,
        "conflicted": conflicted,
        "can_remove": request.user.has_perm("hr.remove_candidate_data", recruitment)
        and found.removed_at is None,
        "nav": NAV,
    }
    return render_form(request, "hr/candidate.html", context, form_errors)


@require_POST
@login_required
def candidate_remove(request: HttpRequest, pk: int, candidate: int) -> HttpResponse:
    recruitment = selectors.recruitment_get_for(user=request.user, pk=pk)
    found = selectors.candidate_get_for(user=request.user, recruitment=recruitment, pk=candidate)
    require(request.user, "hr.remove_candidate_data", recruitment)
    run_action(
        request,
        services.candidate_remove_data,
        _("The candidate's data is removed."),
        actor=request.user,
        candidate=found,
    )
    return redirect(recruitment)


@login_required
def recruitment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    recruitment = selectors.recruitment_get_for(user=request.user, pk=pk)
    require(request.user, "hr.decide", recruitment)
    form = DecideForm(request.POST or None, recruitment=recruitment)
    if (
        request.method == "POST"
        and form.is_valid()
        and is_done(
            run_service(
                form,
                services.recruitment_decide,
                actor=request.user,
                recruitment=recruitment,
                **form.cleaned_data,
            )
        )
    ):
        messages.success(request, _("The recruitment is decided and closed."))
        return redirect(recruitment)
    context = {
        "form": form,
        "recruitment": recruitment,
        "requirements": recruitment.requirement_list,
        "rows": selectors.candidate_table(recruitment),
        "nav": NAV,
    }
    return render_form(request, "hr/decide.html", context, form)


# Talks.


def _counterparts(user: Any) -> Any:
    return User.objects.filter(pk__in=services.counterpart_ids(user), is_active=True).order_by("full_name")


@login_required
def talk_create(request: HttpRequest) -> HttpResponse:
    form = TalkForm(request.POST or None, counterparts=_counterparts(request.user))
    if request.method == "POST" and form.is_valid():
        talk = run_service(form, services.talk_create, actor=request.user, **form.cleaned_data)
        if talk is not None:
            messages.success(request, _("The talk is booked. Only you and the person you meet can see it."))
            return redirect(talk)
    return render_form(request, "hr/talk_form.html", {"form": form, "nav": NAV}, form)


def _talk_page(request: HttpRequest, talk: Any, **forms: Any) -> HttpResponse:
    user = request.user
    is_employee = user.pk == talk.employee_id
    can_change = user.has_perm("hr.change_talk", talk)
    context = {
        "talk": talk,
        "is_employee": is_employee,
        "sees_preparation": user.has_perm("hr.see_preparation", talk),
        "requests": selectors.feedback_for_talk(user=user, talk=talk),
        "can_change": can_change,
        "can_record": user.has_perm("hr.record_outcome", talk),
        "can_confirm": user.has_perm("hr.confirm_outcome", talk),
        "preparation_form": forms.get("preparation_form")
        or (PreparationForm(instance=talk, prefix="prep") if can_change else None),
        "ask_form": forms.get("ask_form")
        or (FeedbackAskForm(talk=talk, prefix="ask") if can_change else None),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(instance=talk, prefix="outcome"),
        "nav": NAV,
    }
    bound = next((form for form in forms.values() if form is not None), None)
    return render_form(request, "hr/talk.html", context, bound)


@login_required
def talk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    talk = selectors.talk_get_for(user=request.user, pk=pk)
    if request.method != "POST":
        return _talk_page(request, talk)
    action = request.POST.get("action")
    if action == "prepare":
        require(request.user, "hr.change_talk", talk)
        form: Any = PreparationForm(request.POST, instance=talk, prefix="prep")
        if form.is_valid() and is_done(
            run_service(
                form,
                services.talk_prepare,
                actor=request.user,
                talk=talk,
                preparation=form.cleaned_data["preparation"],
                preparation_shared=form.cleaned_data["preparation_shared"],
            )
        ):
            messages.success(request, _("Your preparation is saved."))
            return redirect(talk)
        talk = selectors.talk_get_for(user=request.user, pk=pk)
        return _talk_page(request, talk, preparation_form=form)
    if action == "ask":
        require(request.user, "hr.change_talk", talk)
        form = FeedbackAskForm(request.POST, talk=talk, prefix="ask")
        if form.is_valid() and is_done(
            run_service(form, services.feedback_ask, actor=request.user, talk=talk, **form.cleaned_data)
        ):
            messages.success(request, _("Your colleague is asked."))
            return redirect(talk)
        return _talk_page(request, talk, ask_form=form)
    if action == "outcome":
        require(request.user, "hr.record_outcome", talk)
        form = OutcomeForm(request.POST, instance=talk, prefix="outcome")
        if form.is_valid() and is_done(
            run_service(
                form,
                services.talk_record_outcome,
                actor=request.user,
                talk=talk,
                outcome=form.cleaned_data["outcome"],
            )
        ):
            messages.success(request, _("The outcome is recorded. The employee confirms it."))
            return redirect(talk)
        talk = selectors.talk_get_for(user=request.user, pk=pk)
        return _talk_page(request, talk, outcome_form=form)
    if action == "confirm":
        require(request.user, "hr.confirm_outcome", talk)
        run_action(request, services.talk_confirm, _("The outcome is agreed."), actor=request.user, talk=talk)
        return redirect(talk)
    raise Http404


@require_POST
@login_required
def feedback_share(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_get_for(user=request.user, pk=pk)
    require(request.user, "hr.share_feedback_answer", feedback)
    shared = request.POST.get("shared") == "1"
    run_action(
        request,
        services.feedback_share,
        _("The answer is shared.") if shared else _("The answer is no longer shared."),
        actor=request.user,
        feedback=feedback,
        shared=shared,
    )
    return redirect(feedback.talk)


@login_required
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The colleague's page: their question, their answer, and nothing else of the talk."""
    feedback = selectors.feedback_get_for(user=request.user, pk=pk)
    if request.user.pk != feedback.colleague_id:
        return redirect(feedback.talk)
    can_answer = request.user.has_perm("hr.answer_feedback", feedback)
    form = None
    if can_answer:
        form = FeedbackAnswerForm(request.POST or None, initial={"answer": feedback.answer})
        if (
            request.method == "POST"
            and form.is_valid()
            and is_done(
                run_service(
                    form,
                    services.feedback_answer,
                    actor=request.user,
                    feedback=feedback,
                    answer=form.cleaned_data["answer"],
                )
            )
        ):
            messages.success(request, _("Thank you: your answer is saved."))
            return redirect("hr:feedback", pk=feedback.pk)
    elif request.method == "POST":
        raise Http404
    return render_form(request, "hr/feedback.html", {"feedback": feedback, "form": form, "nav": NAV}, form)


# Rehabilitation.


@login_required
def rehab_open(request: HttpRequest) -> HttpResponse:
    require(request.user, "hr.open_rehab")
    form = RehabOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = run_service(form, services.rehab_open, actor=request.user, **form.cleaned_data)
        if case is not None:
            messages.success(request, _("The case is opened."))
            if request.user.has_perm("hr.view_rehab", case):
                return redirect(case)
            return redirect("hr:home")
    return render_form(request, "hr/rehab_form.html", {"form": form, "nav": NAV}, form)


@login_required
def rehab_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.rehab_get_for(user=request.user, pk=pk)
    can_add = request.user.has_perm("hr.add_rehab_entry", case)
    form = RehabEntryForm(request.POST or None, prefix="entry") if can_add else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid() and is_done(
            run_service(form, services.rehab_add_entry, actor=request.user, case=case, **form.cleaned_data)
        ):
            messages.success(request, _("The entry is saved."))
            return redirect(case)
    context = {
        "case": case,
        "entries": selectors.rehab_entries(case),
        "accesses": selectors.rehab_accesses(case) if request.user.pk == case.employee_id else None,
        "form": form,
        "can_close": request.user.has_perm("hr.close_rehab", case),
        "nav": NAV,
    }
    return render_form(request, "hr/rehab.html", context, form)


@require_POST
@login_required
def rehab_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.rehab_get_for(user=request.user, pk=pk)
    require(request.user, "hr.close_rehab", case)
    run_action(request, services.rehab_close, _("The case is closed."), actor=request.user, case=case)
    return redirect(case)
