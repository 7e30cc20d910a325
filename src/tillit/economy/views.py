from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.accounts.models import User
from tillit.core.exports import csv_response
from tillit.core.forms import is_done, render_form, run_action, run_service
from tillit.core.history import history_of
from tillit.core.permissions import require
from tillit.economy import selectors, services
from tillit.economy.charts import accumulated, year_chart
from tillit.economy.forms import (
    AbsenceForm,
    AttestantForm,
    AttestForm,
    BudgetForm,
    CloseRelationForm,
    ConflictForm,
    CsvForm,
    ExplanationForm,
    ForecastForm,
    TransactionForm,
)
from tillit.economy.models import (
    Absence,
    AccountGroup,
    Attestant,
    BudgetLine,
    CloseRelation,
    CostCentre,
    OutcomeImport,
    Transaction,
)
from tillit.organisation.models import Membership
from tillit.organisation.selectors import managed_unit_ids

# The kinds as the import reads them, whatever the exporter's language.
EXPORT_KINDS: dict[str, str] = {Transaction.Kind.INVOICE: "faktura", Transaction.Kind.EXPENSE: "utlägg"}


def _year(request: HttpRequest) -> int:
    text = request.GET.get("ar", "")
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    return timezone.localdate().year


# The team's economy.


@login_required
def home(request: HttpRequest) -> HttpResponse:
    require(request.user, "economy.view")
    year = _year(request)
    centres = list(selectors.cost_centre_queryset_for(request.user))
    overview = selectors.year_figures_for(centres[:30], year)
    waiting = [item for item in selectors.attest_queue_for(user=request.user) if item.can_attest]
    return render(
        request,
        "economy/home.html",
        {
            "nav": "economy",
            "year": year,
            "overview": overview,
            "more": len(centres) > 30,
            "waiting": len(waiting),
            "can_import": request.user.has_perm("economy.import_outcomes"),
        },
    )


@login_required
def cost_centre(request: HttpRequest, code: str) -> HttpResponse:
    centre = selectors.cost_centre_get_for(user=request.user, code=code)
    year = _year(request)
    figures = selectors.year_figures(centre, year)
    return render(
        request,
        "economy/cost_centre.html",
        {
            "nav": "economy",
            "centre": centre,
            "year": year,
            "figures": figures,
            "chart": year_chart(figures),
            "rows": list(zip(figures.months, accumulated(figures), strict=True)),
            "can_plan": request.user.has_perm("economy.plan", centre),
            "can_budget": request.user.has_perm("economy.set_budget", centre),
            "history": history_of(centre, limit=10),
        },
    )


@login_required
def budget_edit(request: HttpRequest, code: str) -> HttpResponse:
    centre = selectors.cost_centre_get_for(user=request.user, code=code)
    require(request.user, "economy.set_budget", centre)
    year = _year(request)
    groups = list(AccountGroup.objects.all())
    current = dict(
        BudgetLine.objects.filter(cost_centre=centre, year=year).values_list("account_group_id", "amount")
    )
    form = BudgetForm(request.POST or None, groups=groups, initial_amounts=current)
    if request.method == "POST" and form.is_valid():
        result = run_service(
            form,
            services.budget_set,
            actor=request.user,
            cost_centre=centre,
            year=year,
            amounts=form.amounts(),
        )
        if is_done(result):
            return redirect(f"{centre.get_absolute_url()}?ar={year}")
    context = {"nav": "economy", "centre": centre, "year": year, "form": form}
    return render_form(request, "economy/budget_form.html", context, form)


@login_required
def month_edit(request: HttpRequest, code: str, year: int, month: int) -> HttpResponse:
    centre = selectors.cost_centre_get_for(user=request.user, code=code)
    require(request.user, "economy.plan", centre)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise Http404
    figures = selectors.year_figures(centre, year)
    figure = figures.months[month - 1]
    forecast_form = ForecastForm(
        request.POST if request.POST.get("form") == "forecast" else None,
        initial={
            "amount": figure.forecast.amount if figure.forecast else figure.budget,
            "comment": figure.forecast.comment if figure.forecast else "",
        },
        prefix="forecast",
    )
    explanation_form = ExplanationForm(
        request.POST if request.POST.get("form") == "explanation" else None,
        initial={"text": figure.explanation.text if figure.explanation else ""},
        prefix="explanation",
    )
    bound = (
        forecast_form if forecast_form.is_bound else explanation_form if explanation_form.is_bound else None
    )
    if bound is not None and bound.is_valid():
        if bound is forecast_form:
            result: Any = run_service(
                bound,
                services.forecast_set,
                actor=request.user,
                cost_centre=centre,
                year=year,
                month=month,
                amount=bound.cleaned_data["amount"],
                comment=bound.cleaned_data["comment"],
            )
        else:
            result = run_service(
                bound,
                services.deviation_explain,
                actor=request.user,
                cost_centre=centre,
                year=year,
                month=month,
                text=bound.cleaned_data["text"],
            )
        if is_done(result):
            return redirect(f"{centre.get_absolute_url()}?ar={year}#month-{month}")
    context = {
        "nav": "economy",
        "centre": centre,
        "year": year,
        "figure": figure,
        "forecast_form": forecast_form,
        "explanation_form": explanation_form,
    }
    return render_form(request, "economy/month.html", context, bound)


@login_required
def outcomes_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "economy.import_outcomes")
    form = CsvForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        source = run_service(
            form, services.outcomes_import, actor=request.user, file_name=upload.name, content=upload.read()
        )
        if source is not None:
            return redirect(reverse("economy:outcomes_import") + f"?klar={source.pk}")
    done = OutcomeImport.objects.filter(
        pk=request.GET.get("klar", "0") if request.GET.get("klar", "").isdigit() else 0
    ).first()
    context = {
        "nav": "economy",
        "form": form,
        "done": done,
        "imports": OutcomeImport.objects.select_related("imported_by")[:10],
    }
    return render_form(request, "economy/outcomes_import.html", context, form)


# Attestation.


@login_required
def attest_queue(request: HttpRequest) -> HttpResponse:
    require(request.user, "economy.view")
    show_all = request.GET.get("visa") == "alla"
    items = selectors.attest_queue_for(user=request.user, include_closed=show_all)
    return render(
        request,
        "economy/queue.html",
        {
            "nav": "economy",
            "mine": [item for item in items if item.transaction.open and item.can_attest],
            "others": [item for item in items if item.transaction.open and not item.can_attest],
            "closed": [item for item in items if not item.transaction.open],
            "show_all": show_all,
            "can_register": selectors.cost_centre_queryset_for(request.user).exists(),
        },
    )


@login_required
def transaction_create(request: HttpRequest) -> HttpResponse:
    centres = selectors.cost_centre_queryset_for(request.user)
    if not centres.exists():
        raise PermissionDenied
    form = TransactionForm(request.POST or None, cost_centres=centres)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.TRANSACTION_FIELDS}
        require(request.user, "economy.enter_transaction", fields["cost_centre"])
        transaction = run_service(form, services.transaction_register, actor=request.user, **fields)
        if transaction is not None:
            return redirect(transaction)
    return render_form(request, "economy/transaction_form.html", {"nav": "economy", "form": form}, form)


@login_required
def transactions_import(request: HttpRequest) -> HttpResponse:
    centres = selectors.cost_centre_queryset_for(request.user)
    allowed = {c.pk for c in centres if request.user.has_perm("economy.enter_transaction", c)}
    if not allowed:
        raise PermissionDenied
    form = CsvForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        created = run_service(
            form,
            services.transactions_import,
            actor=request.user,
            content=form.cleaned_data["file"].read(),
            allowed=allowed,
        )
        if is_done(created):
            messages.success(request, _("%(count)s transactions registered.") % {"count": len(created or [])})
            return redirect("economy:queue")
    return render_form(request, "economy/transactions_import.html", {"nav": "economy", "form": form}, form)


def _transaction_page(
    request: HttpRequest, transaction: Transaction, form: AttestForm, conflict_form: ConflictForm
) -> HttpResponse:
    transaction.refresh_from_db()
    context = {
        "nav": "economy",
        "transaction": transaction,
        "attestations": transaction.attestations.select_related("person", "deputy_for"),
        "conflicts": transaction.conflicts.select_related("person"),
        "refusal": selectors.attest_refusal(request.user, transaction),
        "form": form,
        "conflict_form": conflict_form,
        "history": history_of(transaction),
    }
    bound = conflict_form if conflict_form.is_bound else form
    return render_form(request, "economy/transaction.html", context, bound)


@login_required
def transaction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transaction = selectors.transaction_get_for(user=request.user, pk=pk)
    form = AttestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attestation = run_service(
            form,
            services.transaction_attest,
            actor=request.user,
            transaction=transaction,
            approve=request.POST.get("outcome") == "approve",
            comment=form.cleaned_data["comment"],
        )
        if is_done(attestation):
            messages.success(request, _("Your attestation is recorded."))
            return redirect(transaction)
    return _transaction_page(request, transaction, form, ConflictForm())


@login_required
@require_POST
def transaction_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    transaction = selectors.transaction_get_for(user=request.user, pk=pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        conflict = run_service(
            form,
            services.attest_conflict_declare,
            actor=request.user,
            transaction=transaction,
            reason=form.cleaned_data["reason"],
        )
        if is_done(conflict):
            messages.success(
                request, _("Your conflict of interest is recorded: you will not attest this transaction.")
            )
            return redirect(transaction)
    return _transaction_page(request, transaction, AttestForm(), form)


@login_required
def attested_export(request: HttpRequest) -> HttpResponse:
    """Attested transactions for the financial system: one row each, with both attestations."""
    require(request.user, "economy.view")
    year = _year(request)
    transactions = (
        Transaction.objects.filter(
            cost_centre__in=selectors.cost_centre_queryset_for(request.user),
            status=Transaction.Status.ATTESTED,
            attested_at__year=year,
        )
        .select_related("cost_centre", "account_group", "payee")
        .prefetch_related("attestations__person")
        .order_by("attested_at", "pk")
    )
    rows: list[list[Any]] = [
        [
            "kostnadsstalle",
            "kontogrupp",
            "typ",
            "motpart",
            "referens",
            "belopp",
            "datum",
            "forfallodag",
            "beslutsattest",
            "beslutsattest_tid",
            "granskningsattest",
            "granskningsattest_tid",
            "tillit_id",
        ]
    ]
    for t in transactions:
        steps = {a.step: a for a in t.attestations.all() if a.outcome == "approved"}
        decision, review = steps.get(Attestant.Step.DECISION), steps.get(Attestant.Step.REVIEW)
        rows.append(
            [
                t.cost_centre.code,
                t.account_group.code,
                EXPORT_KINDS[t.kind],
                t.counterparty,
                t.reference,
                t.amount,
                t.dated.isoformat(),
                t.due_on.isoformat() if t.due_on else "",
                decision.person.email if decision else "",
                timezone.localtime(decision.at).isoformat(timespec="minutes") if decision else "",
                review.person.email if review else "",
                timezone.localtime(review.at).isoformat(timespec="minutes") if review else "",
                t.pk,
            ]
        )
    return csv_response(rows, f"attesterade-{year}.csv")


# The list of attestants, absences and close relatives.


def _kept_centres(user: Any) -> Any:
    centres = selectors.cost_centre_queryset_for(user)
    return [c for c in centres if user.has_perm("economy.keep_attestants", c)]


@login_required
def attestants(request: HttpRequest) -> HttpResponse:
    require(request.user, "economy.view")
    year = _year(request)
    centres = list(CostCentre.objects.select_related("team", "unit"))
    lines = selectors.attestant_lines(centres, year)
    if request.GET.get("format") == "csv":
        rows: list[list[Any]] = [
            ["kostnadsstalle", "namn", "e-post", "steg", "belopp_max", "ersattare_for", "grund"]
        ]
        for line in lines:
            rows.append(
                [
                    line.cost_centre.code,
                    line.person.full_name,
                    line.person.email,
                    line.step_label,
                    "" if line.amount_limit is None else line.amount_limit,
                    line.deputy_for.full_name if line.deputy_for else "",
                    str(line.mandate) if line.mandate else _("List of attestants"),
                ]
            )
        return csv_response(rows, f"attestanter-{year}.csv")
    kept = _kept_centres(request.user)
    form = AttestantForm(
        request.POST or None, cost_centres=CostCentre.objects.filter(pk__in=[c.pk for c in kept])
    )
    if request.method == "POST":
        if not kept:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            added = run_service(
                form,
                services.attestant_add,
                actor=request.user,
                cost_centre=data["cost_centre"],
                year=year,
                person=data["person"],
                step=data["step"],
                amount_limit=data["amount_limit"],
                deputy_for=data["deputy_for"],
            )
            if is_done(added):
                return redirect(reverse("economy:attestants") + f"?ar={year}")
    by_centre: dict[CostCentre, list[selectors.AttestantLine]] = {c: [] for c in centres}
    for line in lines:
        by_centre[line.cost_centre].append(line)
    context = {
        "nav": "economy",
        "year": year,
        "by_centre": by_centre.items(),
        "form": form if kept else None,
        "kept": {c.pk for c in kept},
    }
    return render_form(
        request, "economy/attestants.html", context, form if request.method == "POST" else None
    )


@login_required
@require_POST
def attestant_remove(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(Attestant.objects.select_related("cost_centre", "person"), pk=pk)
    require(request.user, "economy.keep_attestants", line.cost_centre)
    run_action(
        request,
        services.attestant_remove,
        _("The attestant is taken off the list."),
        actor=request.user,
        attestant=line,
    )
    return redirect(reverse("economy:attestants") + f"?ar={line.year}")


def _absence_people(user: Any) -> Any:
    """Whose absence the person may record: their own, and, for a manager, their staff's."""
    people = User.objects.filter(is_active=True).order_by("full_name")
    if user.has_perm("economy.keep_any_attestants"):
        return people
    managed = managed_unit_ids(user)
    if managed is None:
        return people
    staff = Membership.objects.filter(team__unit__in=managed).values("person_id")
    return people.filter(Q(pk=user.pk) | Q(pk__in=staff))


@login_required
def absences(request: HttpRequest) -> HttpResponse:
    """Recorded absences (a deputy acts only during them) and one's own close relatives."""
    require(request.user, "economy.view")
    people = _absence_people(request.user)
    absence_form = AbsenceForm(
        request.POST if request.POST.get("form") == "absence" else None,
        people=people,
        initial={"person": request.user.pk},
        prefix="absence",
    )
    relation_form = CloseRelationForm(
        request.POST if request.POST.get("form") == "relation" else None, prefix="relation"
    )
    bound = absence_form if absence_form.is_bound else relation_form if relation_form.is_bound else None
    if bound is not None and bound.is_valid():
        if bound is absence_form:
            person = bound.cleaned_data["person"]
            require(request.user, "economy.record_absence", person)
            result: Any = run_service(
                bound,
                services.absence_record,
                actor=request.user,
                person=person,
                starts_on=bound.cleaned_data["starts_on"],
                ends_on=bound.cleaned_data["ends_on"],
            )
        else:
            result = run_service(
                bound,
                services.close_relation_declare,
                actor=request.user,
                relative=bound.cleaned_data["relative"],
            )
        if is_done(result):
            return redirect("economy:absences")
    today = timezone.localdate()
    context = {
        "nav": "economy",
        "absence_form": absence_form,
        "relation_form": relation_form,
        "absences": Absence.objects.filter(person__in=people, ends_on__gte=today).select_related("person")[
            :100
        ],
        "relations": CloseRelation.objects.filter(person_id=request.user.pk).select_related("relative"),
    }
    return render_form(request, "economy/absences.html", context, bound)


@login_required
@require_POST
def absence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    absence = get_object_or_404(Absence.objects.select_related("person"), pk=pk)
    require(request.user, "economy.record_absence", absence.person)
    run_action(
        request, services.absence_remove, _("The absence is removed."), actor=request.user, absence=absence
    )
    return redirect("economy:absences")
