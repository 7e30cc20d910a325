from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.core.forms import is_done, render_form, run_action, run_service
from tillit.core.history import history_of
from tillit.core.permissions import require
from tillit.dialogue import services as dialogue_services
from tillit.dialogue.models import Dialogue
from tillit.followup import results, selectors, surveys
from tillit.followup.forms import (
    AnswerForm,
    ItemForm,
    RoundForm,
    SectionForm,
    SurveyForm,
    teams_for,
    units_for,
)
from tillit.followup.models import Item, Recipient, Survey
from tillit.followup.templates_data import TEMPLATES
from tillit.organisation.models import Team

LINK_COOKIE = "tillit_survey_{pk}"


def _survey(request: HttpRequest, pk: int) -> tuple[Survey, bool]:
    return selectors.survey_get_for(user=request.user, pk=pk)


def _managed(request: HttpRequest, pk: int) -> Survey:
    survey, manages = _survey(request, pk)
    if not manages:
        raise PermissionDenied
    return survey


def _changeable(request: HttpRequest, pk: int) -> Survey:
    """The survey, for changing its questions: its maker (or an administrator), before it is sent."""
    survey = _managed(request, pk)
    require(request.user, "followup.change_survey", survey)
    return survey


@login_required
def home(request: HttpRequest) -> HttpResponse:
    require(request.user, "followup.view")
    context = {
        **results.surveys_for(request.user),
        "can_create": teams_for(request.user).exists() or request.user.has_perm("followup.survey_unit"),
        "nav": "followup",
        "tab": "surveys",
    }
    return render(request, "followup/surveys/home.html", context)


@login_required
def survey_create(request: HttpRequest) -> HttpResponse:
    teams, units = teams_for(request.user), units_for(request.user)
    if not teams.exists() and not units.exists():
        raise PermissionDenied
    initial = {
        "template": request.GET.get("mall", ""),
        "team": Team.objects.filter(slug=request.GET.get("team", "")).first(),
    }
    form = SurveyForm(request.POST or None, teams=teams, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        survey = run_service(
            form,
            surveys.survey_create,
            actor=request.user,
            template=form.cleaned_data["template"],
            **form.service_fields(),
        )
        if survey is not None:
            messages.success(request, _("The survey has been created. Look it over, then send it."))
            return redirect(survey)
    context = {"form": form, "nav": "followup", "templates": TEMPLATES}
    return render_form(request, "followup/surveys/survey_form.html", context, form)


@login_required
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _managed(request, pk) if _sent(pk) else _changeable(request, pk)
    form = SurveyForm(
        request.POST or None,
        instance=Survey.objects.get(pk=survey.pk),
        teams=teams_for(request.user),
        units=units_for(request.user),
        creating=False,
    )
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, surveys.survey_update, actor=request.user, survey=survey, **form.service_fields()
        )
        if saved is not None:
            messages.success(request, _("The survey has been saved."))
            return redirect(saved)
    context = {"form": form, "survey": survey, "nav": "followup"}
    return render_form(request, "followup/surveys/survey_form.html", context, form)


def _sent(pk: int) -> bool:
    return Survey.objects.filter(pk=pk, sent_at__isnull=False).exists()


def _detail(
    request: HttpRequest, survey: Survey, manages: bool, status: int = 200, **forms: Any
) -> HttpResponse:
    recipients = Recipient.objects.filter(survey=survey)
    mine = recipients.filter(person=request.user.pk).first()
    context = {
        "survey": survey,
        "manages": manages,
        "can_change": request.user.has_perm("followup.change_survey", survey),
        "sections": list(survey.sections.all()),
        "items": list(survey.items.select_related("section")),
        "asked": recipients.count(),
        "answered": recipients.filter(answered=True).count(),
        "link_answers": survey.responses.count() if survey.audience == Survey.Audience.LINK else None,
        "mine": mine,
        "is_open": surveys.is_open(survey),
        "is_closed": surveys.is_closed(survey),
        "link_url": request.build_absolute_uri(reverse("followup:answer_link", args=[survey.link_token])),
        "section_form": forms.get("section_form") or SectionForm(prefix="section"),
        "item_form": forms.get("item_form") or ItemForm(prefix="item", survey=survey),
        "round_form": forms.get("round_form") or RoundForm(prefix="round"),
        "history": history_of(survey) if manages else [],
        "nav": "followup",
    }
    return render(request, "followup/surveys/survey.html", context, status=status)


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey, manages = _survey(request, pk)
    return _detail(request, survey, manages)


@login_required
@require_POST
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _changeable(request, pk)
    form = SectionForm(request.POST, prefix="section")
    if form.is_valid() and is_done(
        run_service(form, surveys.section_add, actor=request.user, survey=survey, **form.cleaned_data)
    ):
        messages.success(request, _("The section has been added."))
        return redirect(survey)
    return _detail(request, survey, True, status=400, section_form=form)


@login_required
@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _changeable(request, pk)
    form = ItemForm(request.POST, prefix="item", survey=survey)
    if form.is_valid() and is_done(
        run_service(form, surveys.item_add, actor=request.user, survey=survey, **form.service_fields())
    ):
        messages.success(request, _("The question has been added."))
        return redirect(reverse("followup:survey", args=[survey.pk]) + "#questions")
    return _detail(request, survey, True, status=400, item_form=form)


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    survey = _changeable(request, pk)
    question = get_object_or_404(Item, pk=item, survey=survey)
    run_action(
        request, surveys.item_remove, _("The question has been removed."), actor=request.user, item=question
    )
    return redirect(reverse("followup:survey", args=[survey.pk]) + "#questions")


@login_required
@require_POST
def survey_send(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _managed(request, pk)
    run_action(
        request, surveys.survey_send, _("The survey has been sent."), actor=request.user, survey=survey
    )
    return redirect(survey)


@login_required
@require_POST
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _managed(request, pk)
    run_action(
        request,
        surveys.survey_close,
        _("The survey is closed. The results are ready."),
        actor=request.user,
        survey=survey,
    )
    return redirect(survey)


@login_required
@require_POST
def new_round(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _managed(request, pk)
    form = RoundForm(request.POST, prefix="round")
    if form.is_valid():
        copy = run_service(
            form, surveys.survey_new_round, actor=request.user, survey=survey, **form.cleaned_data
        )
        if copy is not None:
            messages.success(request, _("A new round has been created. Send it when you are ready."))
            return redirect(copy)
    return _detail(request, survey, True, status=400, round_form=form)


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _managed(request, pk)
    form = AnswerForm(survey=survey, preview=True)
    return render(
        request,
        "followup/surveys/answer.html",
        {"survey": survey, "form": form, "preview": True, "nav": "followup"},
    )


def _answered(request: HttpRequest, survey: Survey, **context: Any) -> HttpResponse:
    return render(request, "followup/surveys/answered.html", {"survey": survey, "nav": "followup", **context})


@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    recipient = Recipient.objects.filter(survey=survey, person=request.user.pk).first()
    if recipient is None:
        raise PermissionDenied
    if recipient.answered:
        return _answered(request, survey)
    if not surveys.is_open(survey):
        return _answered(request, survey, closed=True)
    form = AnswerForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        # The service returns nothing (not even the answer's key): it went through when the form has no errors.
        run_service(form, surveys.response_submit, survey=survey, person=request.user, answers=form.answers())
        if not form.errors:
            return _answered(request, survey, thanks=True)
    return render_form(
        request, "followup/surveys/answer.html", {"survey": survey, "form": form, "nav": "followup"}, form
    )


def answer_link(request: HttpRequest, token: str) -> HttpResponse:
    """A survey open to anyone with its link. One answer per browser: the cookie says only that it answered."""
    survey = get_object_or_404(Survey, link_token=token, audience=Survey.Audience.LINK)
    cookie = LINK_COOKIE.format(pk=survey.pk)
    if request.COOKIES.get(cookie):
        return _answered(request, survey)
    if not surveys.is_open(survey):
        return _answered(request, survey, closed=True)
    form = AnswerForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        run_service(form, surveys.response_submit, survey=survey, person=None, answers=form.answers())
        if not form.errors:
            response = _answered(request, survey, thanks=True)
            response.set_cookie(cookie, "1", max_age=60 * 60 * 24 * 365, httponly=True, samesite="Lax")
            return response
    return render_form(request, "followup/surveys/answer.html", {"survey": survey, "form": form}, form)


@login_required
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey, manages = _survey(request, pk)
    groups = results.survey_results(survey, request.user)
    viewer_teams = {g.team.pk for g in groups if g.team is not None}
    mine = {team.pk for team in Team.objects.filter(pk__in=viewer_teams, memberships__person=request.user.pk)}
    context = {
        "survey": survey,
        "manages": manages,
        "groups": groups,
        "is_closed": surveys.is_closed(survey),
        "own_teams": mine,
        "released": {team for team in viewer_teams if results.released(survey, Team(pk=team))},
        "can_talk": request.user.has_perm("dialogue.create"),
        "nav": "followup",
    }
    return render(request, "followup/surveys/results.html", context)


@login_required
@require_POST
def release(request: HttpRequest, pk: int, team: int) -> HttpResponse:
    survey, _manages = _survey(request, pk)
    shared = get_object_or_404(Team, pk=team)
    if not request.user.has_perm("followup.share_results", shared) or not surveys.is_closed(survey):
        raise PermissionDenied
    surveys.results_release(actor=request.user, survey=survey, team=shared)
    messages.success(request, _("The results are now shared with the unit."))
    return redirect("followup:results", pk=survey.pk)


@login_required
@require_POST
def talk(request: HttpRequest, pk: int, team: int) -> HttpResponse:
    """From results to dialogue: a three-step dialogue in the team about what the results say."""
    survey, _manages = _survey(request, pk)
    talking = get_object_or_404(Team, pk=team)
    require(request.user, "dialogue.create")
    if not results.may_see_team(request.user, survey, talking):
        raise PermissionDenied
    dialogue = dialogue_services.dialogue_create(
        actor=request.user,
        title=_("We talk about the results: %(title)s") % {"title": survey.title},
        template="norrkoping",
        audience=Dialogue.Audience.TEAM,
        team=talking,
    )
    questions = [
        _("What do you see in the results of “%(title)s”? What surprises you?") % {"title": survey.title},
        _("What do we want to develop, and what do we keep?"),
        _("Which three things do we do next?"),
    ]
    for step, question in zip(dialogue.steps.order_by("order"), questions, strict=False):
        dialogue_services.step_update(
            actor=request.user, step=step, question=question, minutes=int(step.duration.total_seconds() // 60)
        )
    messages.success(
        request, _("A dialogue about the results has been prepared for the team. Open it when you meet.")
    )
    return redirect(dialogue)


urlpatterns: list[URLPattern] = [
    path("uppfoljning/", home, name="home"),
    path("uppfoljning/enkater/ny/", survey_create, name="survey_create"),
    path("uppfoljning/enkater/<int:pk>/", survey_detail, name="survey"),
    path("uppfoljning/enkater/<int:pk>/andra/", survey_edit, name="survey_edit"),
    path("uppfoljning/enkater/<int:pk>/avsnitt/", section_add, name="section_add"),
    path("uppfoljning/enkater/<int:pk>/fragor/", item_add, name="item_add"),
    path("uppfoljning/enkater/<int:pk>/fragor/<int:item>/ta-bort/", item_remove, name="item_remove"),
    path("uppfoljning/enkater/<int:pk>/forhandsgranska/", preview, name="preview"),
    path("uppfoljning/enkater/<int:pk>/skicka/", survey_send, name="send"),
    path("uppfoljning/enkater/<int:pk>/stang/", survey_close, name="close"),
    path("uppfoljning/enkater/<int:pk>/ny-omgang/", new_round, name="new_round"),
    path("uppfoljning/enkater/<int:pk>/svara/", answer, name="answer"),
    path("uppfoljning/enkater/<int:pk>/resultat/", survey_results, name="results"),
    path("uppfoljning/enkater/<int:pk>/dela/<int:team>/", release, name="release"),
    path("uppfoljning/enkater/<int:pk>/samtala/<int:team>/", talk, name="talk"),
    path("enkat/<str:token>/", answer_link, name="answer_link"),
]
