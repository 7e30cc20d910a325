from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.core.forms import run_service
from tillit.core.live import last_event_ids, sse_response
from tillit.dialogue import live, results, selectors, services
from tillit.dialogue.forms import (
    DialogueCreateForm,
    JoinCodeForm,
    JoinForm,
    NoteForm,
    OnwardForm,
    StepForm,
    SummaryForm,
    ThemeEditForm,
)
from tillit.dialogue.models import Dialogue, Note, Participant, Statement, Step, Table, Vote
from tillit.dialogue.participant_view import statement_card, step_context
from tillit.dialogue.templates_data import TEMPLATES
from tillit.organisation.models import Membership

COOKIE_MAX_AGE = 60 * 60 * 24 * 2
CONSOLE_NOTES = 50
NOTES_PER_PAGE = 100


def _partial(request: HttpRequest, template: str, name: str) -> str:
    """The whole page, or only one named partial of it when htmx asks for that part."""
    wanted = request.GET.get("part", "")
    return f"{template}#{name}" if getattr(request, "htmx", False) and wanted == name else template


# Facilitator


@login_required
def dialogue_list(request: HttpRequest) -> HttpResponse:
    context = {
        "dialogues": selectors.dialogue_list_for(user=request.user),
        "can_create": request.user.has_perm("dialogue.create"),
        "nav": "dialogue",
    }
    return render(request, "dialogue/list.html", context)


@login_required
def dialogue_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("dialogue.create"):
        raise PermissionDenied
    form = DialogueCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        dialogue = run_service(form, services.dialogue_create, actor=request.user, **form.cleaned_data)
        if dialogue is not None:
            messages.success(request, _("The dialogue is ready. Check the questions, then open it."))
            return redirect(dialogue)
    return render(request, "dialogue/create.html", {"form": form, "templates": TEMPLATES, "nav": "dialogue"})


def _console_context(request: HttpRequest, dialogue: Dialogue) -> dict[str, Any]:
    steps = list(dialogue.steps.order_by("order"))
    notes = selectors.all_notes(dialogue)
    return {
        "dialogue": dialogue,
        "steps": steps,
        "step_forms": [
            (
                step,
                StepForm(
                    prefix=f"step{step.pk}",
                    initial={"question": step.question, "minutes": step.minutes},
                ),
            )
            for step in steps
        ],
        "tables": selectors.tables_for_console(dialogue),
        "participant_count": dialogue.participants.count(),
        # A hall writes thousands of notes: the console keeps to the newest, the notes page has them all.
        "note_count": notes.count(),
        "notes": list(notes.order_by("-created_at", "-pk")[:CONSOLE_NOTES]),
        "statements": selectors.statements_with_votes(dialogue, include_hidden=True),
        "join_url": _join_url(request, dialogue),
        "nav": "dialogue",
    }


def _join_url(request: HttpRequest, dialogue: Dialogue, table: Table | None = None) -> str:
    url = request.build_absolute_uri(reverse("dialogue:join_code", args=[dialogue.join_code]))
    return f"{url}?bord={table.number}" if table else url


@login_required
def console(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = selectors.dialogue_get_for(user=request.user, pk=pk)
    return render(
        request, _partial(request, "dialogue/console.html", "live"), _console_context(request, dialogue)
    )


@login_required
@require_POST
def console_action(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = selectors.dialogue_get_for(user=request.user, pk=pk)
    action = request.POST.get("action", "")
    actor = request.user
    try:
        if action == "open":
            services.dialogue_open(actor=actor, dialogue=dialogue)
        elif action == "advance":
            services.dialogue_advance(actor=actor, dialogue=dialogue)
        elif action == "extend":
            services.dialogue_extend(actor=actor, dialogue=dialogue, seconds=60)
        elif action == "pause":
            services.dialogue_pause(actor=actor, dialogue=dialogue)
        elif action == "spotlight":
            table = dialogue.tables.filter(pk=request.POST.get("table") or 0).first()
            services.dialogue_spotlight(actor=actor, dialogue=dialogue, table=table)
        elif action in ("hide_note", "show_note"):
            note = get_object_or_404(Note, pk=request.POST.get("note"), step__dialogue=dialogue)
            services.note_hide(actor=actor, note=note, hidden=action == "hide_note")
        elif action in ("hide_statement", "show_statement"):
            statement = get_object_or_404(
                Statement.objects.select_related("table"), pk=request.POST.get("statement"), dialogue=dialogue
            )
            services.statement_hide(actor=actor, statement=statement, hidden=action == "hide_statement")
        elif action == "step":
            step = get_object_or_404(Step, pk=request.POST.get("step"), dialogue=dialogue)
            form = StepForm(request.POST, prefix=f"step{step.pk}")
            if not form.is_valid():
                context = _console_context(request, dialogue)
                context["step_forms"] = [
                    (s, form if s.pk == step.pk else f) for s, f in context["step_forms"]
                ]
                return render(request, "dialogue/console.html", context, status=400)
            services.step_update(actor=actor, step=step, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if getattr(request, "htmx", False):
        dialogue.refresh_from_db()
        return render(request, "dialogue/console.html#live", _console_context(request, dialogue))
    return redirect("dialogue:console", pk=dialogue.pk)


@login_required
def notes_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Every note of the dialogue, newest first, to search and to hide or show again."""
    dialogue = selectors.dialogue_get_for(user=request.user, pk=pk)
    if request.method == "POST":
        note = get_object_or_404(Note, pk=request.POST.get("note"), step__dialogue=dialogue)
        services.note_hide(actor=request.user, note=note, hidden=request.POST.get("action") == "hide_note")
        return redirect(request.get_full_path())
    query = request.GET.get("q", "").strip()
    notes = selectors.all_notes(dialogue).order_by("-created_at", "-pk")
    if query:
        # Matched in Python: SQLite's LIKE folds the case of A-Z only, and a search for "ökad" should find "Ökad".
        wanted = query.casefold()
        texts = Note.objects.filter(step__dialogue=dialogue).values_list("pk", "text")
        notes = notes.filter(pk__in=[pk for pk, text in texts if wanted in text.casefold()])
    page = Paginator(notes, NOTES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "dialogue/notes.html",
        {"dialogue": dialogue, "page": page, "query": query, "nav": "dialogue"},
    )


@login_required
def big_screen(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = selectors.dialogue_get_for(user=request.user, pk=pk)
    context = {
        "dialogue": dialogue,
        "join_url": _join_url(request, dialogue),
        # What people type when they cannot scan: the address without its scheme, as a hall reads it.
        "join_address": request.build_absolute_uri(reverse("dialogue:join")).split("://", 1)[1].rstrip("/"),
        **results.live_results(dialogue),
    }
    return render(request, _partial(request, "dialogue/big_screen.html", "screen"), context)


def _onward_form(statement: Statement, data: Any = None) -> OnwardForm:
    """The form under one statement; ids carry the statement, since every row of the table has one."""
    return OnwardForm(data, initial={"onward": statement.onward}, auto_id=f"onward-{statement.pk}-%s")


def _results(
    request: HttpRequest,
    dialogue: Dialogue,
    status: int = 200,
    *,
    theme_form: ThemeEditForm | None = None,
    onward_form: OnwardForm | None = None,
    onward_statement: int | None = None,
) -> HttpResponse:
    context = {
        "dialogue": dialogue,
        "nav": "dialogue",
        "can_edit": request.user.has_perm("dialogue.manage", dialogue),
        "theme_form": theme_form,
        **results.full_results(dialogue),
    }
    if context["can_edit"]:
        context["statements"] = statements = list(context["statements"])
        for statement in statements:
            failed = onward_form is not None and statement.pk == onward_statement
            statement.onward_form = onward_form if failed else _onward_form(statement)
    return render(request, "dialogue/results.html", context, status=status)


@login_required
def results_page(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = selectors.dialogue_get_for(user=request.user, pk=pk, perm="dialogue.view_results")
    return _results(request, dialogue)


@login_required
def results_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The results as a document to print or save as PDF: everything, and no buttons."""
    dialogue = selectors.dialogue_get_for(user=request.user, pk=pk, perm="dialogue.view_results")
    context = {
        "dialogue": dialogue,
        "steps": dialogue.steps.order_by("order"),
        "printed_at": timezone.now(),
        **results.full_results(dialogue),
    }
    return render(request, "dialogue/report.html", context)


@login_required
@require_POST
def themes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = selectors.dialogue_get_for(user=request.user, pk=pk)
    action = request.POST.get("action", "")
    if action == "undo":
        if services.theme_edit_undo(actor=request.user, dialogue=dialogue):
            messages.success(request, _("The latest change to the themes was taken back."))
    elif action == "reset":
        if services.theme_edits_reset(actor=request.user, dialogue=dialogue):
            messages.success(request, _("The themes are back to the automatic grouping."))
    else:
        form = ThemeEditForm(request.POST, themes=results.themes_for(dialogue).themes)
        edit = None
        if form.is_valid():
            edit = run_service(
                form, services.theme_edit, actor=request.user, dialogue=dialogue, **form.cleaned_data
            )
        if edit is None:
            messages.error(request, _("The themes were not changed. See the message by the theme."))
            return _results(request, dialogue, status=400, theme_form=form)
        messages.success(request, _("The themes were changed."))
    return redirect(reverse("dialogue:results", args=[dialogue.pk]) + "#themes")


@login_required
@require_POST
def statement_onward(request: HttpRequest, pk: int, statement: int) -> HttpResponse:
    dialogue = selectors.dialogue_get_for(user=request.user, pk=pk)
    chosen = get_object_or_404(Statement, pk=statement, dialogue=dialogue)
    form = _onward_form(chosen, request.POST)
    saved = None
    if form.is_valid():
        saved = run_service(
            form, services.statement_carry_onward, actor=request.user, statement=chosen, **form.cleaned_data
        )
    if saved is None:
        return _results(request, dialogue, status=400, onward_form=form, onward_statement=chosen.pk)
    messages.success(
        request,
        _("The statement is carried onward.")
        if chosen.onward
        else _("The statement is no longer carried onward."),
    )
    return redirect(reverse("dialogue:results", args=[dialogue.pk]) + f"#statement-{chosen.pk}")


@login_required
def results_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    dialogue = selectors.dialogue_get_for(user=request.user, pk=pk, perm="dialogue.view_results")
    if fmt == "csv":
        return results.export_csv(dialogue)
    if fmt == "xlsx":
        return results.export_xlsx(dialogue)
    raise PermissionDenied


@login_required
def facilitator_events(request: HttpRequest, pk: int) -> HttpResponseBase:
    dialogue = selectors.dialogue_get_for(user=request.user, pk=pk)
    return sse_response(request, [live.dialogue_channel(dialogue.pk), live.results_channel(dialogue.pk)])


# Participant (no account needed)


def join(request: HttpRequest) -> HttpResponse:
    form = JoinCodeForm(request.POST or request.GET or None)
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["code"]
        if Dialogue.objects.filter(join_code=code).exists():
            return redirect("dialogue:join_code", code=code)
        form.add_error(
            "code", _("No dialogue has the code %(code)s. Check the code on the big screen.") % {"code": code}
        )
    return render(request, "dialogue/join.html", {"form": form, "nav": "join"})


def _may_join(request: HttpRequest, dialogue: Dialogue) -> bool:
    if dialogue.audience == Dialogue.Audience.ANYONE:
        return True
    user = request.user
    if not user.is_authenticated:
        return False
    if dialogue.audience == Dialogue.Audience.TEAM:
        return Membership.objects.filter(person_id=user.pk, team_id=dialogue.team_id or 0).exists()
    from tillit.organisation.selectors import unit_descendant_ids

    if dialogue.unit is None:
        return False
    units = {dialogue.unit.pk, *unit_descendant_ids(dialogue.unit)}
    return Membership.objects.filter(person_id=user.pk, team__unit_id__in=units).exists()


def join_code(request: HttpRequest, code: str) -> HttpResponse:
    dialogue, participant = selectors.dialogue_and_participant(request, code)
    if participant is not None:
        return redirect("dialogue:participate", code=dialogue.join_code)
    if not _may_join(request, dialogue):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        raise PermissionDenied
    table = dialogue.tables.filter(number=request.GET.get("bord") or 0).first()
    form = JoinForm(
        request.POST if request.method == "POST" else None, dialogue=dialogue, initial={"table": table}
    )
    if request.method == "POST" and form.is_valid():
        result = run_service(
            form,
            services.participant_join,
            dialogue=dialogue,
            name=form.cleaned_data.get("name", ""),
            user=request.user,
            table=form.cleaned_data.get("table"),
        )
        if result is not None:
            participant, token = result
            response = redirect("dialogue:participate", code=dialogue.join_code)
            response.set_cookie(
                selectors.PARTICIPANT_COOKIE.format(dialogue.pk),
                token,
                max_age=COOKIE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=not settings.DEBUG and not settings.TESTING,
            )
            return response
    return render(
        request, "dialogue/join_dialogue.html", {"dialogue": dialogue, "form": form, "table": table}
    )


def participate(request: HttpRequest, code: str) -> HttpResponse:
    dialogue, participant = selectors.dialogue_and_participant(request, code)
    if participant is None:
        return redirect("dialogue:join_code", code=dialogue.join_code)
    forms: dict[str, Any] = {}
    status = 200
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None:
        if action == "note":
            form = NoteForm(request.POST)
            if (
                form.is_valid()
                and run_service(
                    form,
                    services.note_add,
                    participant=participant,
                    text=form.cleaned_data["text"],
                    dialogue=dialogue,
                )
                is not None
            ):
                form = NoteForm()
            else:
                status = 400
            forms["note_form"] = form
        elif action == "summary":
            summary_form = SummaryForm(request.POST)
            if not (
                summary_form.is_valid()
                and run_service(
                    summary_form,
                    services.summary_save,
                    participant=participant,
                    dialogue=dialogue,
                    **summary_form.cleaned_data,
                )
                is not None
            ):
                status = 400
                forms["summary_form"] = summary_form
        elif action == "vote":
            card, failed = _vote(request, dialogue, participant)
            if card is not None:
                return card
            status = 400 if failed else 200
        elif action == "table":
            table = get_object_or_404(Table, pk=request.POST.get("table"), dialogue=dialogue)
            services.participant_choose_table(participant=participant, table=table)
        if action == "table" and getattr(request, "htmx", False):
            # The page reloads, so that its live stream follows the person to the new table.
            return HttpResponse(status=204, headers={"HX-Refresh": "true"})
        if status == 200 and not getattr(request, "htmx", False):
            return redirect("dialogue:participate", code=dialogue.join_code)
    context: dict[str, Any] = {}
    if not getattr(request, "htmx", False):
        # Read before the page's data, so that the live stream replays whatever happens in between.
        context["last_event_ids"] = last_event_ids(live.participant_channels(dialogue, participant))
        dialogue.refresh_from_db()
    context.update(
        step_context(dialogue, table=participant.table, participant=participant, request=request, **forms)
    )
    return render(request, _partial(request, "dialogue/participate.html", "step"), context, status=status)


def _vote(
    request: HttpRequest, dialogue: Dialogue, participant: Participant
) -> tuple[HttpResponse | None, bool]:
    """Casts the vote; returns the response, if any, and whether the vote failed. With htmx only the card
    voted on is redrawn, since a hall votes thousands of times a minute; otherwise an error waits as a
    message for the redrawn page."""
    statement = get_object_or_404(
        Statement.objects.select_related("table"), pk=request.POST.get("statement"), dialogue=dialogue
    )
    error_text, mine = "", None
    try:
        value = int(request.POST.get("value", ""))
        mine = services.vote_cast(
            participant=participant, statement=statement, value=value, dialogue=dialogue
        ).value
    except (ValidationError, ValueError) as error:
        error_text = " ".join(getattr(error, "messages", [str(error)]))
    if getattr(request, "htmx", False) and request.GET.get("part") == "statement":
        if error_text:
            mine = (
                Vote.objects.filter(statement=statement, participant=participant)
                .values_list("value", flat=True)
                .first()
            )
        card = statement_card(dialogue, statement, mine, request=request, error=error_text)
        return HttpResponse(card, status=400 if error_text else 200), bool(error_text)
    if error_text:
        messages.error(request, error_text)
    return None, bool(error_text)


def participant_events(request: HttpRequest, code: str) -> HttpResponseBase:
    dialogue, participant = selectors.dialogue_and_participant(request, code)
    if participant is None:
        raise PermissionDenied
    return sse_response(request, live.participant_channels(dialogue, participant))


@login_required
def table_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable sheet of QR codes, one per named table."""
    dialogue = selectors.dialogue_get_for(user=request.user, pk=pk)
    tables = [(table, _join_url(request, dialogue, table)) for table in dialogue.tables.order_by("number")]
    return render(
        request, "dialogue/table_qr.html", {"dialogue": dialogue, "tables": tables, "nav": "dialogue"}
    )
