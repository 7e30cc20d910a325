"""The team economy through the API, for the financial system and BI: a cost centre's year in figures, the
list of attestants, and the transactions with their attestations. The caller sees what the pages show them."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from tillit.economy import selectors
from tillit.economy.models import Transaction

router = Router(tags=["economy"])


class MonthOut(Schema):
    month: int
    budget: Decimal
    outcome: Decimal | None = Field(description="null until the month is imported")
    forecast: Decimal | None = Field(description="The team's forecast, if it has written one")
    needs_explanation: bool
    explanation: str | None


class YearOut(Schema):
    cost_centre: str
    year: int
    budget: Decimal
    outcome: Decimal
    year_forecast: Decimal = Field(
        description="Outcome of the months booked, then the forecast or the budget"
    )
    months: list[MonthOut]


class AttestantOut(Schema):
    cost_centre: str
    email: str
    name: str
    step: str = Field(description="`decision` or `review`")
    amount_limit: Decimal | None = Field(description="null: no limit")
    deputy_for: str | None = Field(description="The e-mail address of the person this one stands in for")
    mandate: int | None = Field(description="The mandate that gives the authority, if any")


class AttestationOut(Schema):
    step: str
    outcome: str
    by: str = Field(alias="person.email")
    deputy_for: str | None = Field(alias="deputy_for.email", default=None)
    at: datetime


class TransactionOut(Schema):
    id: int
    cost_centre: str = Field(alias="cost_centre.code")
    account_group: str = Field(alias="account_group.code")
    kind: str
    counterparty: str
    reference: str
    amount: Decimal
    dated: date
    due_on: date | None
    status: str
    attestations: list[AttestationOut] = Field(alias="attestations.all")


@router.get(
    "/economy/{code}/{year}", response=YearOut, summary="A cost centre's budget, outcome and forecast"
)
def cost_centre_year(request: HttpRequest, code: str, year: int) -> dict[str, object]:
    centre = selectors.cost_centre_get_for(user=request.user, code=code)
    figures = selectors.year_figures(centre, year)
    return {
        "cost_centre": centre.code,
        "year": year,
        "budget": figures.budget,
        "outcome": figures.outcome,
        "year_forecast": figures.year_forecast,
        "months": [
            {
                "month": m.month,
                "budget": m.budget,
                "outcome": m.outcome,
                "forecast": m.forecast.amount if m.forecast else None,
                "needs_explanation": m.needs_explanation,
                "explanation": m.explanation.text if m.explanation else None,
            }
            for m in figures.months
        ],
    }


@router.get("/attestants/{year}", response=list[AttestantOut], summary="The year's list of attestants")
def attestants(request: HttpRequest, year: int) -> list[dict[str, object]]:
    centres = list(selectors.cost_centre_queryset_for(request.user))
    return [
        {
            "cost_centre": line.cost_centre.code,
            "email": line.person.email,
            "name": line.person.full_name,
            "step": line.step,
            "amount_limit": line.amount_limit,
            "deputy_for": line.deputy_for.email if line.deputy_for else None,
            "mandate": line.mandate.pk if line.mandate else None,
        }
        for line in selectors.attestant_lines(centres, year)
    ]


@router.get(
    "/transactions",
    response=list[TransactionOut],
    summary="Transactions of the caller's cost centres, with their attestations (newest 500)",
)
def transactions(request: HttpRequest, status: str | None = None) -> list[Transaction]:
    found = Transaction.objects.filter(cost_centre__in=selectors.cost_centre_queryset_for(request.user))
    if status:
        found = found.filter(status=status)
    return list(
        found.select_related("cost_centre", "account_group")
        .prefetch_related("attestations__person", "attestations__deputy_for")
        .order_by("-created_at")[:500]
    )
