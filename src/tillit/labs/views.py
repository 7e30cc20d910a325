from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.core.exports import csv_response
from tillit.core.forms import is_done, render_form, run_service
from tillit.core.history import history_of
from tillit.core.permissions import require
from tillit.labs import portfolio as open_data
from tillit.labs import selectors, services
from tillit.labs.charts import indicator_chart
from tillit.labs.forms import (
    AttachmentForm,
    EffectGoalForm,
    IdeaAssessForm,
    IdeaForm,
    IdeaToInitiativeForm,
    ImportForm,
    IndicatorForm,
    InitiativeForm,
    LabForm,
    LearningsFilterForm,
    LinkForm,
    MeasurementForm,
    PortfolioFilterForm,
    StatusForm,
    TrackForm,
)
from tillit.labs.models import Attachment, EffectGoal, Idea, Indicator, Initiative, Lab, Link, Measurement

PER_PAGE = 24


def _page(request: HttpRequest, items: Any) -> Any:
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


def _valid_filters(form: Any) -> dict[str, Any]:
    """The filters that are valid: an outdated one (a lab since removed) does not undo the others."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return dict(form.cleaned_data)


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# The public portfolio.


def portfolio(request: HttpRequest) -> HttpResponse:
    form = PortfolioFilterForm(request.GET or None, areas=selectors.areas())
    data = _valid_filters(form)
    filters = selectors.PortfolioFilter(
        q=data.get("q", ""),
        lab=data.get("lab"),
        status=data.get("status", ""),
        stage=data.get("stage", ""),
        area=data.get("area", ""),
        administration=data.get("administration"),
    )
    page = _page(request, selectors.portfolio(filters))
    context = {"form": form, "page": page, "query": _query(request), "nav": "portfolio"}
    if getattr(request, "htmx", False):
        return render(request, "labs/portfolio.html#results", context)
    return render(request, "labs/portfolio.html", context)


def learnings(request: HttpRequest) -> HttpResponse:
    form = LearningsFilterForm(request.GET or None)
    data = _valid_filters(form)
    page = _page(request, selectors.learnings(q=data.get("q", ""), status=data.get("status", "")))
    context = {"form": form, "page": page, "query": _query(request), "nav": "portfolio"}
    if getattr(request, "htmx", False):
        return render(request, "labs/learnings.html#results", context)
    return render(request, "labs/learnings.html", context)


def export_json(request: HttpRequest) -> HttpResponse:
    document = open_data.export_document(
        open_data.published_initiatives(), request.build_absolute_uri("/")[:-1]
    )
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def export_csv(request: HttpRequest) -> HttpResponse:
    rows = open_data.csv_rows(open_data.published_initiatives(), request.build_absolute_uri("/")[:-1])
    response = csv_response(rows, "portfolj.csv")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def schema(request: HttpRequest) -> HttpResponse:
    return render(request, "labs/schema.html", {"nav": "portfolio", "schema_name": open_data.SCHEMA})


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("initiative"), pk=pk)
    if not request.user.has_perm("labs.view_initiative", attachment.initiative):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=attachment.filename)


def lab_detail(request: HttpRequest, slug: str) -> HttpResponse:
    lab = get_object_or_404(Lab.objects.prefetch_related("tracks__unit"), slug=slug)
    initiatives = lab.initiatives.select_related("track").order_by("title")
    if not request.user.has_perm("labs.view_internal"):
        initiatives = initiatives.filter(published_at__isnull=False)
    context = {
        "lab": lab,
        "initiatives": initiatives,
        "can_manage": request.user.has_perm("labs.manage"),
        "track_form": TrackForm(),
        "history": history_of(lab) if request.user.has_perm("labs.manage") else [],
        "nav": "portfolio",
    }
    return render(request, "labs/lab.html", context)


def initiative_detail(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = selectors.initiative_get(user=request.user, slug=slug)
    goals = [
        (goal, [(view, indicator_chart(view)) for view in selectors.indicator_views(goal)])
        for goal in initiative.effect_goals.all()
    ]
    can_change = request.user.has_perm("labs.change_initiative", initiative)
    context = {
        "initiative": initiative,
        "goals": goals,
        "idea": Idea.objects.filter(initiative=initiative).first() if can_change else None,
        "can_change": can_change,
        "can_publish": request.user.has_perm("labs.publish_initiative", initiative),
        "history": history_of(initiative) if can_change else [],
        "nav": "portfolio",
    }
    return render(request, "labs/initiative.html", context)


# Running labs and initiatives.


@login_required
def lab_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "labs.view_internal")
    drafts = Initiative.objects.filter(published_at__isnull=True).select_related("lab").order_by("title")
    context = {
        "labs": selectors.lab_list(),
        "drafts": drafts,
        "my_ideas": selectors.ideas_of(request.user),
        "can_manage": request.user.has_perm("labs.manage"),
        "can_assess": request.user.has_perm("labs.assess_ideas"),
        "nav": "labs",
    }
    return render(request, "labs/labs.html", context)


@login_required
def lab_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "labs.manage")
    form = LabForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        lab = run_service(form, services.lab_create, actor=request.user, **form.cleaned_data)
        if lab is not None:
            messages.success(request, _("The lab has been created."))
            return redirect(lab)
    return render_form(request, "labs/lab_form.html", {"form": form, "nav": "labs"}, form)


@login_required
def lab_edit(request: HttpRequest, slug: str) -> HttpResponse:
    lab = get_object_or_404(Lab, slug=slug)
    require(request.user, "labs.manage")
    form = LabForm(request.POST or None, instance=Lab.objects.get(pk=lab.pk))
    if request.method == "POST" and form.is_valid():
        saved = run_service(form, services.lab_update, actor=request.user, lab=lab, **form.cleaned_data)
        if saved is not None:
            messages.success(request, _("The lab has been saved."))
            return redirect(saved)
    return render_form(request, "labs/lab_form.html", {"form": form, "lab": lab, "nav": "labs"}, form)


@login_required
@require_POST
def track_add(request: HttpRequest, slug: str) -> HttpResponse:
    lab = get_object_or_404(Lab, slug=slug)
    require(request.user, "labs.manage")
    form = TrackForm(request.POST)
    if form.is_valid() and is_done(
        run_service(form, services.track_add, actor=request.user, lab=lab, **form.cleaned_data)
    ):
        messages.success(request, _("The track has been added."))
        return redirect(lab)
    context = {"lab": lab, "initiatives": lab.initiatives.all(), "can_manage": True, "track_form": form}
    return render(request, "labs/lab.html", {**context, "nav": "labs"}, status=400)


@login_required
def initiative_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "labs.manage")
    initial = {"lab": Lab.objects.filter(slug=request.GET.get("labb", "")).first()}
    form = InitiativeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        initiative = run_service(
            form, services.initiative_create, actor=request.user, **form.service_fields()
        )
        if initiative is not None:
            messages.success(
                request, _("The initiative has been created. Add its effect goals, then publish it.")
            )
            return redirect(initiative)
    return render_form(request, "labs/initiative_form.html", {"form": form, "nav": "labs"}, form)


def _changeable(request: HttpRequest, slug: str) -> Initiative:
    initiative = get_object_or_404(Initiative.objects.select_related("lab"), slug=slug)
    require(request.user, "labs.change_initiative", initiative)
    return initiative


@login_required
def initiative_edit(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _changeable(request, slug)
    form = InitiativeForm(request.POST or None, instance=Initiative.objects.get(pk=initiative.pk))
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            services.initiative_update,
            actor=request.user,
            initiative=initiative,
            **form.service_fields(),
        )
        if saved is not None:
            messages.success(request, _("The initiative has been saved."))
            return redirect(saved)
    context = {"form": form, "initiative": initiative, "nav": "labs"}
    return render_form(request, "labs/initiative_form.html", context, form)


@login_required
def initiative_status(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _changeable(request, slug)
    form = StatusForm(request.POST or None, instance=Initiative.objects.get(pk=initiative.pk))
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            services.initiative_set_status,
            actor=request.user,
            initiative=initiative,
            **form.cleaned_data,
        )
        if saved is not None:
            messages.success(request, _("The status has been saved."))
            return redirect(saved)
    context = {"form": form, "initiative": initiative, "nav": "labs"}
    return render_form(request, "labs/initiative_status.html", context, form)


@login_required
@require_POST
def initiative_publish(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_object_or_404(Initiative, slug=slug)
    require(request.user, "labs.publish_initiative", initiative)
    published = request.POST.get("published") == "1"
    services.initiative_publish(actor=request.user, initiative=initiative, published=published)
    messages.success(
        request,
        _("The initiative is published in the public portfolio.")
        if published
        else _("The initiative is no longer in the public portfolio."),
    )
    return redirect(initiative)


def _parts_page(
    request: HttpRequest, initiative: Initiative, status: int = 200, **bound: Any
) -> HttpResponse:
    """Each form on the page has its own prefix, so that ids stay unique; a form that came back with errors is
    shown in its place, the others empty."""
    goals = []
    for goal in initiative.effect_goals.prefetch_related("indicators__measurements"):
        indicators = [
            (indicator, bound.get(f"i{indicator.pk}") or MeasurementForm(prefix=f"i{indicator.pk}"))
            for indicator in goal.indicators.all()
        ]
        goals.append((goal, bound.get(f"g{goal.pk}") or IndicatorForm(prefix=f"g{goal.pk}"), indicators))
    context = {
        "initiative": initiative,
        "goals": goals,
        "links": initiative.links.all(),
        "attachments": initiative.attachments.all(),
        "goal_form": bound.get("goal") or EffectGoalForm(prefix="goal"),
        "link_form": bound.get("link") or LinkForm(prefix="link"),
        "attachment_form": bound.get("file") or AttachmentForm(prefix="file"),
        "nav": "labs",
    }
    return render(request, "labs/initiative_parts.html", context, status=status)


@login_required
def initiative_parts(request: HttpRequest, slug: str) -> HttpResponse:
    """Effect goals, indicators, measurements, links and attachments: the parts of an initiative."""
    return _parts_page(request, _changeable(request, slug))


def _back_to_parts(initiative: Initiative, anchor: str = "") -> HttpResponse:
    return redirect(
        reverse("labs:initiative_parts", args=[initiative.slug]) + (f"#{anchor}" if anchor else "")
    )


@login_required
@require_POST
def goal_add(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _changeable(request, slug)
    form = EffectGoalForm(request.POST, prefix="goal")
    if form.is_valid():
        goal = run_service(
            form, services.effect_goal_add, actor=request.user, initiative=initiative, **form.cleaned_data
        )
        if goal is not None:
            messages.success(request, _("The effect goal has been added. Now say how it is measured."))
            return _back_to_parts(initiative, f"goal-{goal.pk}")
    return _parts_page(request, initiative, status=400, goal=form)


@login_required
@require_POST
def indicator_add(request: HttpRequest, slug: str, goal: int) -> HttpResponse:
    initiative = _changeable(request, slug)
    effect_goal = get_object_or_404(EffectGoal, pk=goal, initiative=initiative)
    form = IndicatorForm(request.POST, prefix=f"g{effect_goal.pk}")
    if form.is_valid():
        indicator = run_service(
            form, services.indicator_add, actor=request.user, goal=effect_goal, **form.cleaned_data
        )
        if indicator is not None:
            messages.success(request, _("The indicator has been added."))
            return _back_to_parts(initiative, f"indicator-{indicator.pk}")
    return _parts_page(request, initiative, status=400, **{f"g{effect_goal.pk}": form})


@login_required
@require_POST
def measurement_add(request: HttpRequest, slug: str, indicator: int) -> HttpResponse:
    initiative = _changeable(request, slug)
    measured = get_object_or_404(Indicator, pk=indicator, goal__initiative=initiative)
    form = MeasurementForm(request.POST, prefix=f"i{measured.pk}")
    if form.is_valid():
        measurement = run_service(
            form, services.measurement_add, actor=request.user, indicator=measured, **form.cleaned_data
        )
        if measurement is not None:
            messages.success(request, _("The measurement has been added."))
            return _back_to_parts(initiative, f"indicator-{measured.pk}")
    return _parts_page(request, initiative, status=400, **{f"i{measured.pk}": form})


@login_required
@require_POST
def link_add(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _changeable(request, slug)
    form = LinkForm(request.POST, prefix="link")
    if form.is_valid() and is_done(
        run_service(form, services.link_add, actor=request.user, initiative=initiative, **form.cleaned_data)
    ):
        messages.success(request, _("The link has been added."))
        return _back_to_parts(initiative, "links")
    return _parts_page(request, initiative, status=400, link=form)


@login_required
@require_POST
def attachment_add(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _changeable(request, slug)
    form = AttachmentForm(request.POST, request.FILES, prefix="file")
    if form.is_valid() and is_done(
        run_service(
            form, services.attachment_add, actor=request.user, initiative=initiative, **form.cleaned_data
        )
    ):
        messages.success(request, _("The attachment has been added."))
        return _back_to_parts(initiative, "attachments")
    return _parts_page(request, initiative, status=400, file=form)


REMOVABLE: dict[str, tuple[Any, str, Any, str]] = {
    "effektmal": (EffectGoal, "initiative", services.effect_goal_remove, "goal"),
    "indikator": (Indicator, "goal__initiative", services.indicator_remove, "indicator"),
    "matning": (Measurement, "indicator__goal__initiative", services.measurement_remove, "measurement"),
    "lank": (Link, "initiative", services.link_remove, "link"),
    "bilaga": (Attachment, "initiative", services.attachment_remove, "attachment"),
}


@login_required
@require_POST
def part_remove(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    initiative = _changeable(request, slug)
    if kind not in REMOVABLE:
        raise Http404
    model, path, service, argument = REMOVABLE[kind]
    part = get_object_or_404(model, pk=pk, **{path: initiative})
    service(actor=request.user, **{argument: part})
    messages.success(request, _("Removed."))
    return _back_to_parts(initiative)


@login_required
def portfolio_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "labs.manage")
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            created, updated = open_data.portfolio_import(
                actor=request.user, raw=form.cleaned_data["file"].read()
            )
        except open_data.PortfolioImportError as error:
            problems = error.messages
            form.add_error("file", _("Nothing was imported. Correct the file and try again."))
        else:
            messages.success(
                request,
                _("Imported: %(created)d new initiatives, %(updated)d brought up to date.")
                % {"created": created, "updated": updated},
            )
            return redirect("labs:portfolio")
    context = {"form": form, "problems": problems, "nav": "labs"}
    return render_form(request, "labs/import.html", context, form)


# Ideas.


def idea_submit(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    form = IdeaForm(request.POST or None, signed_in=signed_in)
    if request.method == "POST" and form.is_valid():
        idea = run_service(form, services.idea_submit, actor=request.user, **form.cleaned_data)
        if idea is not None:
            messages.success(request, _("Thank you! Your idea has been received."))
            return redirect(idea)
    context = {"form": form, "signed_in": signed_in, "nav": "ideas"}
    return render_form(request, "labs/idea_form.html", context, form)


def idea_status(request: HttpRequest, token: str) -> HttpResponse:
    """The submitter's own page: where the idea stands, with every piece of feedback. The link is the key."""
    idea = get_object_or_404(Idea.objects.select_related("initiative"), token=token)
    context = {"idea": idea, "updates": idea.updates.all(), "nav": "ideas"}
    response = render(request, "labs/idea_status.html", context)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def idea_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    ideas = selectors.idea_queue(user=request.user, status=status)
    context = {
        "page": _page(request, ideas),
        "status": status,
        "statuses": [("open", _("Open")), *Idea.Status.choices, ("", _("All"))],
        "query": _query(request),
        "nav": "labs",
    }
    return render(request, "labs/ideas.html", context)


def _idea_page(request: HttpRequest, idea: Idea, status: int = 200, **forms: Any) -> HttpResponse:
    context = {
        "idea": idea,
        "updates": idea.updates.select_related("by"),
        "assess_form": forms.get("assess_form") or IdeaAssessForm(prefix="assess"),
        "initiative_form": forms.get("initiative_form")
        or IdeaToInitiativeForm(
            prefix="initiative",
            initial={"title": idea.title, "contact_name": getattr(request.user, "full_name", "")},
        ),
        "history": history_of(idea),
        "nav": "labs",
    }
    return render(request, "labs/idea.html", context, status=status)


@login_required
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "labs.assess_ideas")
    return _idea_page(
        request, get_object_or_404(Idea.objects.select_related("submitted_by", "initiative"), pk=pk)
    )


@login_required
@require_POST
def idea_assess(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "labs.assess_ideas")
    idea = get_object_or_404(Idea, pk=pk)
    form = IdeaAssessForm(request.POST, prefix="assess")
    if form.is_valid() and is_done(
        run_service(form, services.idea_assess, actor=request.user, idea=idea, **form.cleaned_data)
    ):
        messages.success(request, _("The idea has been updated and the submitter can see your feedback."))
        return redirect("labs:idea", pk=idea.pk)
    return _idea_page(request, idea, status=400, assess_form=form)


@login_required
@require_POST
def idea_to_initiative(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "labs.assess_ideas")
    idea = get_object_or_404(Idea, pk=pk)
    form = IdeaToInitiativeForm(request.POST, prefix="initiative")
    if form.is_valid():
        data = form.cleaned_data
        initiative = run_service(
            form,
            services.idea_to_initiative,
            actor=request.user,
            idea=idea,
            message=data["message"],
            title=data["title"],
            lab=data["lab"],
            contact_name=data["contact_name"],
            what=idea.idea,
            why=idea.problem,
            how=_("To be planned."),
            area=idea.area,
        )
        if initiative is not None:
            messages.success(request, _("The idea is now an initiative. Describe how it will be done."))
            return redirect("labs:initiative_edit", slug=initiative.slug)
    return _idea_page(request, idea, status=400, initiative_form=form)
