"""The economy pages: who gets which page, forms that come back with their errors (400) and save nothing, the
attestation through the transaction's page, the CSV exports, and query counts that do not grow with the data."""

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.decisions.factories import mandate
from tests.organisation.factories import PersonFactory, TeamFactory
from tillit.economy import services
from tillit.economy.models import (
    Absence,
    Attestant,
    Attestation,
    AttestConflict,
    BudgetLine,
    CloseRelation,
    CostCentre,
    DeviationExplanation,
    Forecast,
    Outcome,
    OutcomeImport,
    Transaction,
)

from .factories import (
    DECISION,
    PERSONNUMMER,
    REVIEW,
    Economy,
    absence,
    account_group,
    approve,
    attestant,
    cost_centre,
    days_from_today,
    economy,
    fresh,
    manager_of,
    member_of,
    reject,
    this_year,
    transaction,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def eco() -> Economy:
    for code in ("30", "50", "64"):
        account_group(code, f"Grupp {code}")
    return economy()


@pytest.fixture
def people(eco: Economy) -> dict[str, Any]:
    outside_attestant = PersonFactory.create()
    attestant(outside_attestant, eco.centre, REVIEW)
    return {
        "member": eco.reviewer,
        "manager": manager_of(eco.unit),
        "parent_manager": manager_of(eco.administration),
        "unrelated_manager": manager_of(TeamFactory.create().unit),
        "outside_attestant": outside_attestant,
        "admin": eco.admin,
        "other": PersonFactory.create(),
    }


def as_person(client: Any, person: Any) -> Any:
    client.force_login(person)
    return client


def english(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


def login_redirect(response: Any) -> bool:
    return bool(response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")))


# Who gets which page.

CENTRE = "/ekonomi/1410/"
YEAR = this_year()
PAGES: dict[str, dict[str, int]] = {
    "/ekonomi/": {"member": 200, "other": 200, "admin": 200},
    CENTRE: {
        "member": 200,
        "manager": 200,
        "parent_manager": 200,
        "unrelated_manager": 403,
        "outside_attestant": 200,
        "admin": 200,
        "other": 403,
    },
    CENTRE + "budget/": {
        "member": 403,
        "manager": 200,
        "parent_manager": 200,
        "unrelated_manager": 403,
        "outside_attestant": 403,
        "admin": 200,
        "other": 403,
    },
    f"{CENTRE}{YEAR}/5/": {
        "member": 200,
        "manager": 200,
        "outside_attestant": 403,
        "admin": 200,
        "other": 403,
    },
    "/ekonomi/utfall/": {"member": 403, "manager": 403, "admin": 200},
    "/ekonomi/attest/": {"member": 200, "other": 200},
    "/ekonomi/attest/ny/": {"member": 200, "outside_attestant": 200, "manager": 200, "other": 403},
    "/ekonomi/attest/importera/": {"member": 200, "outside_attestant": 200, "other": 403},
    "/ekonomi/attestanter/": {"member": 200, "other": 200, "manager": 200},
    "/ekonomi/franvaro/": {"member": 200, "other": 200},
}
PAGE_CASES = [(url, role, status) for url, statuses in PAGES.items() for role, status in statuses.items()]


@pytest.mark.parametrize(("url", "role", "status"), PAGE_CASES)
def test_page_status(client: Any, people: dict[str, Any], url: str, role: str, status: int) -> None:
    response = as_person(client, people[role]).get(url)
    assert response.status_code == status


@pytest.mark.parametrize("url", [*PAGES, "/ekonomi/attest/export.csv"])
def test_logged_out_goes_to_the_login(client: Any, eco: Economy, url: str) -> None:
    assert login_redirect(client.get(url))


@pytest.mark.parametrize(
    "url", ["/ekonomi/9999/", "/ekonomi/9999/budget/", f"/ekonomi/1410/{YEAR}/13/", "/ekonomi/attest/999999/"]
)
def test_unknown_things_are_not_found(client: Any, eco: Economy, url: str) -> None:
    assert as_person(client, eco.admin).get(url).status_code == 404


def test_the_transaction_page_is_for_those_who_see_the_cost_centre(
    client: Any, people: dict[str, Any], eco: Economy
) -> None:
    made = transaction(eco.centre)
    url = made.get_absolute_url()
    assert url == f"/ekonomi/attest/{made.pk}/"
    for role, status in {
        "member": 200,
        "outside_attestant": 200,
        "manager": 200,
        "other": 403,
        "unrelated_manager": 403,
    }.items():
        client.logout()
        assert as_person(client, people[role]).get(url).status_code == status, role


def test_the_home_page_lists_the_person_s_cost_centres(
    client: Any, people: dict[str, Any], eco: Economy
) -> None:
    cost_centre("1420", team=TeamFactory.create())
    shown = text(as_person(client, people["member"]).get("/ekonomi/"))
    assert 'href="/ekonomi/1410/' in shown and 'href="/ekonomi/1420/' not in shown
    client.logout()
    shown = text(as_person(client, people["admin"]).get("/ekonomi/"))
    assert 'href="/ekonomi/1410/' in shown and 'href="/ekonomi/1420/' in shown


def test_the_cost_centre_page_shows_the_figures_chart_and_table(client: Any, eco: Economy) -> None:
    services.budget_set(
        actor=eco.admin, cost_centre=eco.centre, year=YEAR, amounts={account_group("50"): Decimal("120000")}
    )
    response = as_person(client, eco.reviewer).get(CENTRE)
    shown = text(response)
    assert response.status_code == 200
    assert 'class="chart"' in shown and 'role="img"' in shown and "<polyline" in shown
    assert 'id="accumulated-caption"' in shown and 'id="month-12"' in shown
    # 120 000 for the year in Swedish figures, 10 000 a month.
    assert "120\u00a0000" in shown or "120 000" in shown
    assert f'href="/ekonomi/1410/{YEAR}/1/"' in shown  # the team plans its months
    assert 'href="/ekonomi/1410/budget/' not in shown  # but does not set the budget


def test_the_queue_puts_what_one_may_attest_first_and_says_why_not_for_the_rest(
    client: Any, eco: Economy
) -> None:
    small = transaction(eco.centre, counterparty="Pappershuset AB", amount=900)
    transaction(eco.centre, counterparty="Möbelhuset AB", amount=74_000)
    reviewed = transaction(eco.centre, counterparty="Städbolaget AB")
    approve(eco.decider, reviewed)
    shown = text(english(as_person(client, eco.decider)).get("/ekonomi/attest/"))
    mine, others = shown.split('id="others"')
    mine = mine.split('id="mine"')[1]
    assert "Pappershuset AB" in mine and "Möbelhuset AB" not in mine
    assert "Möbelhuset AB" in others and "above your limit" in others
    assert "Städbolaget AB" in others and "already attested" in others
    assert f'href="{small.get_absolute_url()}"' in mine
    everything = text(client.get("/ekonomi/attest/?visa=alla"))
    reject(eco.reviewer, fresh(reviewed), "Fel.")
    assert 'id="closed"' not in everything
    assert 'id="closed"' in text(client.get("/ekonomi/attest/?visa=alla"))


# Budget.


def test_budget_form_saves_and_bad_input_comes_back_with_400(
    client: Any, people: dict[str, Any], eco: Economy
) -> None:
    staff, income = account_group("50"), account_group("30")
    url = f"{CENTRE}budget/?ar={YEAR}"
    client = as_person(client, people["manager"])
    response = client.post(url, {f"group_{staff.pk}": "tolv", f"group_{income.pk}": "-12 000"})
    assert response.status_code == 400
    assert 'value="tolv"' in text(response)
    assert not BudgetLine.objects.exists()
    response = client.post(url, {f"group_{staff.pk}": "6 240 000", f"group_{income.pk}": "-12 000,50"})
    assert response.status_code == 302 and response["Location"] == f"/ekonomi/1410/?ar={YEAR}"
    lines = dict(BudgetLine.objects.values_list("account_group__code", "amount"))
    assert lines == {"50": Decimal("6240000.00"), "30": Decimal("-12000.50")}


def test_a_team_member_cannot_post_a_budget(client: Any, eco: Economy) -> None:
    staff = account_group("50")
    response = as_person(client, eco.reviewer).post(f"{CENTRE}budget/", {f"group_{staff.pk}": "100"})
    assert response.status_code == 403
    assert not BudgetLine.objects.exists()


# The month: forecast and explanation.


def test_forecast_form(client: Any, eco: Economy) -> None:
    url = f"{CENTRE}{YEAR}/11/"
    client = as_person(client, eco.reviewer)
    response = client.post(
        url, {"form": "forecast", "forecast-amount": "sex", "forecast-comment": "Vikarier."}
    )
    assert response.status_code == 400
    assert "Vikarier." in text(response) and not Forecast.objects.exists()
    response = client.post(
        url, {"form": "forecast", "forecast-amount": "580 000", "forecast-comment": f"Om {PERSONNUMMER}"}
    )
    assert response.status_code == 400 and not Forecast.objects.exists()
    response = client.post(
        url, {"form": "forecast", "forecast-amount": "580 000,50", "forecast-comment": "Vikarier."}
    )
    assert response.status_code == 302 and response["Location"] == f"/ekonomi/1410/?ar={YEAR}#month-11"
    saved = Forecast.objects.get()
    assert (saved.month, saved.amount, saved.comment) == (11, Decimal("580000.50"), "Vikarier.")


def test_explanation_form(client: Any, eco: Economy) -> None:
    services.budget_set(
        actor=eco.admin, cost_centre=eco.centre, year=YEAR, amounts={account_group("50"): Decimal("120000")}
    )
    services.outcomes_import(
        actor=eco.admin,
        file_name="utfall.csv",
        content=f"kostnadsstalle;kontogrupp;ar;manad;belopp\n1410;50;{YEAR};3;15000\n".encode(),
    )
    url = f"{CENTRE}{YEAR}/3/"
    client = as_person(client, eco.reviewer)
    response = client.post(url, {"form": "explanation", "explanation-text": ""})
    assert response.status_code == 400 and not DeviationExplanation.objects.exists()
    written = f"Ny kollega, personnummer {PERSONNUMMER}."
    response = client.post(url, {"form": "explanation", "explanation-text": written})
    assert response.status_code == 400 and not DeviationExplanation.objects.exists()
    assert written in text(response)  # the text is kept for the person to correct
    response = client.post(url, {"form": "explanation", "explanation-text": "Två nya kollegor började."})
    assert response.status_code == 302
    assert DeviationExplanation.objects.get().text == "Två nya kollegor började."


def test_an_attestant_outside_the_team_cannot_post_a_forecast(client: Any, people: dict[str, Any]) -> None:
    response = as_person(client, people["outside_attestant"]).post(
        f"{CENTRE}{YEAR}/11/", {"form": "forecast", "forecast-amount": "1"}
    )
    assert response.status_code == 403 and not Forecast.objects.exists()


# Outcomes import.


def upload(content: str | bytes, name: str = "utfall.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content, "text/csv")


def test_outcomes_import_page(client: Any, eco: Economy) -> None:
    client = as_person(client, eco.admin)
    bad = "kostnadsstalle;kontogrupp;ar;manad;belopp\n1410;50;2026;1;100\n9999;50;2026;1;100\n1410;50;2026;14;1\n"
    response = client.post("/ekonomi/utfall/", {"file": upload(bad)})
    assert response.status_code == 400
    shown = text(response)
    assert "9999" in shown and "14" in shown
    assert not Outcome.objects.exists() and not OutcomeImport.objects.exists()
    good = "kostnadsstalle;kontogrupp;ar;manad;belopp\n1410;50;2026;1;412 300,00\n1410;30;2026;1;-25 000\n"
    response = client.post("/ekonomi/utfall/", {"file": upload(good)})
    source = OutcomeImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ekonomi/utfall/?klar={source.pk}"
    assert Outcome.objects.count() == 2
    assert "utfall.csv" in text(client.get(response["Location"]))


def test_outcomes_import_refused_to_a_manager(client: Any, people: dict[str, Any]) -> None:
    good = "kostnadsstalle;kontogrupp;ar;manad;belopp\n1410;50;2026;1;1\n"
    response = as_person(client, people["manager"]).post("/ekonomi/utfall/", {"file": upload(good)})
    assert response.status_code == 403 and not Outcome.objects.exists()


# Transactions: registering and importing.


def transaction_form(eco: Economy, **fields: Any) -> dict[str, Any]:
    values = {
        "cost_centre": eco.centre.pk,
        "account_group": account_group("64").pk,
        "kind": "invoice",
        "counterparty": "Kontorsvaror AB",
        "reference": "F-88231",
        "payee": "",
        "description": "Pärmar och papper",
        "amount": "4 320,00",
        "dated": "2026-11-02",
        "due_on": "2026-12-02",
    }
    values.update(fields)
    return values


def test_registering_a_transaction(client: Any, eco: Economy) -> None:
    client = as_person(client, eco.reviewer)
    response = client.post("/ekonomi/attest/ny/", transaction_form(eco))
    made = Transaction.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert made.amount == Decimal("4320.00") and made.created_by == eco.reviewer
    assert made.status == Transaction.Status.AWAITING_DECISION
    # The same invoice again is refused on the form.
    response = client.post("/ekonomi/attest/ny/", transaction_form(eco))
    assert response.status_code == 400 and Transaction.objects.count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"amount": "0"},
        {"amount": "fyra"},
        {"due_on": "2026-11-01"},
        {"description": f"Gäller {PERSONNUMMER}"},
        {"reference": ""},
    ],
)
def test_registering_a_transaction_with_bad_input(client: Any, eco: Economy, fields: dict[str, str]) -> None:
    response = as_person(client, eco.reviewer).post("/ekonomi/attest/ny/", transaction_form(eco, **fields))
    assert response.status_code == 400
    assert "Kontorsvaror AB" in text(response)  # what was written is kept
    assert not Transaction.objects.exists()


def test_no_transaction_for_a_cost_centre_one_does_not_work_with(client: Any, eco: Economy) -> None:
    other = cost_centre("1420", team=TeamFactory.create())
    response = as_person(client, eco.reviewer).post(
        "/ekonomi/attest/ny/", transaction_form(eco, cost_centre=other.pk)
    )
    assert response.status_code == 400 and not Transaction.objects.exists()


def test_importing_transactions(client: Any, eco: Economy) -> None:
    other = cost_centre("1420", team=TeamFactory.create())
    header = (
        "kostnadsstalle;kontogrupp;typ;referens;motpart;medarbetare;beskrivning;belopp;datum;forfallodag\n"
    )
    client = as_person(client, eco.reviewer)
    bad = (
        header
        + "1410;64;faktura;F-1;Kontorsvaror AB;;Papper;100;2026-11-02;\n1420;64;faktura;F-2;X AB;;Y;1;2026-11-02;\n"
    )
    response = client.post("/ekonomi/attest/importera/", {"file": upload(bad)})
    assert response.status_code == 400 and "1420" in text(response)
    assert not Transaction.objects.exists()
    good = header + "1410;64;faktura;F-1;Kontorsvaror AB;;Papper;100;2026-11-02;\n"
    response = client.post("/ekonomi/attest/importera/", {"file": upload(good)})
    assert response.status_code == 302 and response["Location"] == "/ekonomi/attest/"
    assert Transaction.objects.get().cost_centre == eco.centre
    assert not other.transactions.exists()


# Attesting through the transaction's page.


def test_attesting_through_the_page(client: Any, eco: Economy) -> None:
    made = transaction(eco.centre, amount=12_500)
    url = made.get_absolute_url()
    client = as_person(client, eco.decider)
    page = text(client.get(url))
    assert 'name="outcome" value="approve"' in page and 'name="outcome" value="reject"' in page
    response = client.post(url, {"outcome": "approve", "comment": ""})
    assert response.status_code == 302 and response["Location"] == url
    assert fresh(made).status == Transaction.Status.AWAITING_REVIEW
    # The decision attestant is refused the second step: the page says why and has no button.
    page = text(english(client).get(url))
    assert 'value="approve"' not in page and "already attested" in page
    response = client.post(url, {"outcome": "approve"})
    assert response.status_code == 400
    assert fresh(made).status == Transaction.Status.AWAITING_REVIEW and Attestation.objects.count() == 1
    client.logout()
    client = as_person(client, eco.reviewer)
    response = client.post(url, {"outcome": "approve"})
    assert response.status_code == 302
    attested = fresh(made)
    assert attested.status == Transaction.Status.ATTESTED
    assert list(attested.attestations.values_list("person", flat=True)) == [eco.decider.pk, eco.reviewer.pk]
    page = text(client.get(url))
    assert str(eco.decider) in page and str(eco.reviewer) in page and 'value="approve"' not in page


def test_rejecting_through_the_page_needs_a_comment(client: Any, eco: Economy) -> None:
    made = transaction(eco.centre)
    url = made.get_absolute_url()
    client = as_person(client, eco.decider)
    response = client.post(url, {"outcome": "reject", "comment": ""})
    assert response.status_code == 400 and fresh(made).status == Transaction.Status.AWAITING_DECISION
    response = client.post(url, {"outcome": "reject", "comment": "Inte beställd."})
    assert response.status_code == 302 and fresh(made).status == Transaction.Status.REJECTED
    assert fresh(made).attestations.get().comment == "Inte beställd."


def test_an_expense_to_oneself_has_no_attest_button(client: Any, eco: Economy) -> None:
    expense = transaction(eco.centre, payee=eco.decider, amount=640)
    url = expense.get_absolute_url()
    client = english(as_person(client, eco.decider))
    page = text(client.get(url))
    assert 'value="approve"' not in page and "payment to themselves" in page
    assert client.post(url, {"outcome": "approve"}).status_code == 400
    assert not Attestation.objects.exists()


def test_someone_who_only_sees_the_centre_cannot_attest(
    client: Any, people: dict[str, Any], eco: Economy
) -> None:
    made = transaction(eco.centre)
    response = as_person(client, people["manager"]).post(made.get_absolute_url(), {"outcome": "approve"})
    assert response.status_code == 400 and not Attestation.objects.exists()
    client.logout()
    response = as_person(client, people["other"]).post(made.get_absolute_url(), {"outcome": "approve"})
    assert response.status_code == 403 and not Attestation.objects.exists()


def test_declaring_a_conflict_through_the_page(client: Any, eco: Economy) -> None:
    made = transaction(eco.centre)
    url = reverse("economy:transaction_conflict", args=[made.pk])
    client = as_person(client, eco.decider)
    assert client.get(url).status_code == 405
    assert client.post(url, {"reason": ""}).status_code == 400
    assert not AttestConflict.objects.exists()
    response = client.post(url, {"reason": "Min bror äger firman."})
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert AttestConflict.objects.get().person == eco.decider
    assert 'value="approve"' not in text(client.get(made.get_absolute_url()))


def test_an_attestation_comment_with_a_personal_identity_number_comes_back(client: Any, eco: Economy) -> None:
    made = transaction(eco.centre)
    written = f"Gäller klient {PERSONNUMMER}"
    response = as_person(client, eco.decider).post(
        made.get_absolute_url(), {"outcome": "reject", "comment": written}
    )
    assert response.status_code == 400 and written in text(response)
    assert not Attestation.objects.exists() and fresh(made).status == Transaction.Status.AWAITING_DECISION


def test_a_conflict_reason_with_a_personal_identity_number_is_told_why(client: Any, eco: Economy) -> None:
    made = transaction(eco.centre)
    url = reverse("economy:transaction_conflict", args=[made.pk])
    response = english(as_person(client, eco.decider)).post(
        url, {"reason": f"Min bror {PERSONNUMMER}"}, follow=True
    )
    assert not AttestConflict.objects.exists()
    assert "personal identity number" in text(response)


# The list of attestants.


def test_the_list_of_attestants_as_csv(client: Any, eco: Economy) -> None:
    delegate, stand_in = (
        member_of(eco.team, full_name="Alva Delegat"),
        member_of(eco.team, full_name="Ulf Ersättare"),
    )
    mandate(eco.team, delegate, deputy=stand_in, amount_limit=30_000)
    attestant(PersonFactory.create(full_name="Förra Året"), eco.centre, REVIEW, year=YEAR - 1)
    response = as_person(client, eco.reviewer).get(f"/ekonomi/attestanter/?ar={YEAR}&format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert f"attestanter-{YEAR}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["kostnadsstalle", "namn", "e-post", "steg", "belopp_max", "ersattare_for", "grund"]
    body = {(r[0], r[1], r[2], r[4], r[5]) for r in rows[1:]}
    assert body == {
        ("1410", "Alva Delegat", delegate.email, "30000.00", ""),
        ("1410", "Bo Budget", eco.decider.email, "50000.00", ""),
        ("1410", "Ulf Ersättare", stand_in.email, "30000.00", "Alva Delegat"),
        ("1410", "Greta Granskare", eco.reviewer.email, "50000.00", ""),
    }
    last_year = as_person(client, eco.reviewer).get(f"/ekonomi/attestanter/?ar={YEAR - 1}&format=csv")
    assert "Förra Året" in last_year.content.decode("utf-8-sig")


def test_a_manager_adds_and_removes_an_attestant(client: Any, people: dict[str, Any], eco: Economy) -> None:
    person = member_of(eco.team)
    client = as_person(client, people["manager"])
    form = {
        "cost_centre": eco.centre.pk,
        "person": person.pk,
        "step": REVIEW,
        "amount_limit": "0",
        "deputy_for": "",
    }
    response = client.post(f"/ekonomi/attestanter/?ar={YEAR}", form)
    assert response.status_code == 400 and not Attestant.objects.filter(person=person).exists()
    response = client.post(f"/ekonomi/attestanter/?ar={YEAR}", {**form, "amount_limit": "20 000"})
    assert response.status_code == 302
    line = Attestant.objects.get(person=person)
    assert (line.year, line.step, line.amount_limit, line.added_by) == (
        YEAR,
        REVIEW,
        Decimal("20000.00"),
        people["manager"],
    )
    response = client.post(reverse("economy:attestant_remove", args=[line.pk]))
    assert response.status_code == 302
    assert Attestant.objects.get(pk=line.pk).removed_at is not None


def test_a_team_member_cannot_keep_the_list(client: Any, eco: Economy) -> None:
    person = member_of(eco.team)
    client = as_person(client, eco.reviewer)
    form = {
        "cost_centre": eco.centre.pk,
        "person": person.pk,
        "step": DECISION,
        "amount_limit": "",
        "deputy_for": "",
    }
    assert client.post("/ekonomi/attestanter/", form).status_code == 403
    line = Attestant.objects.get(person=eco.decider)
    assert client.post(reverse("economy:attestant_remove", args=[line.pk])).status_code == 403
    assert not Attestant.objects.filter(person=person).exists()
    assert Attestant.objects.get(pk=line.pk).removed_at is None


def test_a_manager_of_another_unit_cannot_add_to_this_centre(
    client: Any, people: dict[str, Any], eco: Economy
) -> None:
    cost_centre("1420", unit=people["unrelated_manager"].role_assignments.get().unit)
    form = {
        "cost_centre": eco.centre.pk,
        "person": eco.reviewer.pk,
        "step": DECISION,
        "amount_limit": "",
        "deputy_for": "",
    }
    response = as_person(client, people["unrelated_manager"]).post("/ekonomi/attestanter/", form)
    assert response.status_code == 400
    assert not Attestant.objects.filter(person=eco.reviewer, step=DECISION).exists()


# Absences and close relatives.


def absence_form(person: Any, starts: datetime.date, ends: datetime.date) -> dict[str, Any]:
    return {
        "form": "absence",
        "absence-person": person.pk,
        "absence-starts_on": starts.isoformat(),
        "absence-ends_on": ends.isoformat(),
    }


def test_recording_one_s_own_absence(client: Any, eco: Economy) -> None:
    client = as_person(client, eco.decider)
    response = client.post(
        "/ekonomi/franvaro/", absence_form(eco.decider, days_from_today(5), days_from_today(2))
    )
    assert response.status_code == 400 and not Absence.objects.exists()
    response = client.post(
        "/ekonomi/franvaro/", absence_form(eco.decider, days_from_today(2), days_from_today(5))
    )
    assert response.status_code == 302 and Absence.objects.get().person == eco.decider
    response = client.post(
        "/ekonomi/franvaro/", absence_form(eco.decider, days_from_today(4), days_from_today(9))
    )
    assert response.status_code == 400 and Absence.objects.count() == 1


def test_a_member_cannot_record_a_colleague_s_absence_but_their_manager_can(
    client: Any, people: dict[str, Any], eco: Economy
) -> None:
    form = absence_form(eco.decider, days_from_today(1), days_from_today(3))
    assert as_person(client, eco.reviewer).post("/ekonomi/franvaro/", form).status_code in (400, 403)
    assert not Absence.objects.exists()
    client.logout()
    assert as_person(client, people["manager"]).post("/ekonomi/franvaro/", form).status_code == 302
    assert Absence.objects.get().recorded_by == people["manager"]


def test_a_manager_of_a_parent_unit_records_an_absence_below(
    client: Any, people: dict[str, Any], eco: Economy
) -> None:
    assert people["parent_manager"].has_perm("economy.record_absence", eco.decider)
    form = absence_form(eco.decider, days_from_today(1), days_from_today(3))
    assert as_person(client, people["parent_manager"]).post("/ekonomi/franvaro/", form).status_code == 302


def test_removing_an_absence(client: Any, people: dict[str, Any], eco: Economy) -> None:
    made = absence(eco.decider, 1, 3)
    url = reverse("economy:absence_remove", args=[made.pk])
    assert as_person(client, eco.reviewer).post(url).status_code == 403
    assert Absence.objects.exists()
    client.logout()
    assert as_person(client, eco.decider).post(url).status_code == 302
    assert not Absence.objects.exists()


def test_declaring_a_close_relative(client: Any, eco: Economy) -> None:
    client = as_person(client, eco.decider)
    response = client.post("/ekonomi/franvaro/", {"form": "relation", "relation-relative": eco.decider.pk})
    assert response.status_code == 400 and not CloseRelation.objects.exists()
    response = client.post("/ekonomi/franvaro/", {"form": "relation", "relation-relative": eco.reviewer.pk})
    assert response.status_code == 302
    assert CloseRelation.objects.get().relative == eco.reviewer
    assert str(eco.reviewer) in text(client.get("/ekonomi/franvaro/"))


# The attested transactions for the financial system.


def test_the_attested_export_has_both_attestants(client: Any, people: dict[str, Any], eco: Economy) -> None:
    done = transaction(eco.centre, reference="F-88102", counterparty="Kontorsvaror AB", amount="2860.50")
    approve(eco.decider, done)
    approve(eco.reviewer, fresh(done))
    halfway = transaction(eco.centre, reference="F-1203")
    approve(eco.decider, halfway)
    elsewhere = cost_centre("1420", team=TeamFactory.create())
    other_decider, other_reviewer = member_of(elsewhere.team), member_of(elsewhere.team)
    attestant(other_decider, elsewhere, DECISION)
    attestant(other_reviewer, elsewhere, REVIEW)
    hidden = transaction(elsewhere, reference="F-9")
    approve(other_decider, hidden)
    approve(other_reviewer, fresh(hidden))
    response = as_person(client, eco.reviewer).get(f"/ekonomi/attest/export.csv?ar={YEAR}")
    assert response.status_code == 200 and f"attesterade-{YEAR}.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1
    row = rows[0]
    assert (row["kostnadsstalle"], row["kontogrupp"], row["motpart"], row["referens"], row["belopp"]) == (
        "1410",
        "64",
        "Kontorsvaror AB",
        "F-88102",
        "2860.50",
    )
    assert row["beslutsattest"] == eco.decider.email and row["granskningsattest"] == eco.reviewer.email
    assert row["beslutsattest_tid"] and row["granskningsattest_tid"] and row["tillit_id"] == str(done.pk)
    # The administrator's export has both cost centres; another year has none.
    client.logout()
    rows = list(
        csv.DictReader(
            io.StringIO(
                as_person(client, eco.admin).get("/ekonomi/attest/export.csv").content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert {r["referens"] for r in rows} == {"F-88102", "F-9"}
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/ekonomi/attest/export.csv?ar={YEAR - 1}").content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert rows == []


# Query counts that do not grow with the data.


def query_count(client: Any, url: str) -> int:
    """The queries of a page as it is shown again and again (Django's content types are cached after the first)."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def more_transactions(eco: Economy, count: int) -> None:
    """Invoices at each step, with conflicts, and expenses paid to a colleague, a close relative and a manager,
    in another cost centre the person attests for too."""
    second = CostCentre.objects.filter(code="1411").first() or cost_centre("1411", team=eco.team)
    if not second.attestants.filter(person=eco.decider).exists():
        attestant(eco.decider, second, DECISION, deputy_for=eco.reviewer)
    for n in range(count):
        payee = (None, member_of(eco.team), manager_of(eco.unit))[n % 3]
        if n % 3 == 1:
            services.close_relation_declare(actor=eco.decider, relative=payee)
        made = transaction(eco.centre if n % 2 else second, amount=1000 + n, payee=payee)
        if n % 4 == 1 and made.cost_centre == eco.centre and payee is None:
            approve(eco.decider, made)
        if n % 4 == 2:
            services.attest_conflict_declare(actor=eco.reviewer, transaction=made, reason="Jäv.")
    if not eco.reviewer.absences.exists():
        absence(eco.reviewer, -1, 1)


def more_attestants(eco: Economy, count: int) -> None:
    for _n in range(count):
        person = member_of(eco.team)
        attestant(person, eco.centre, REVIEW, limit=10_000, deputy_for=eco.reviewer)
    mandate(eco.team, member_of(eco.team), deputy=member_of(eco.team))


@pytest.mark.parametrize("url", [CENTRE, "/ekonomi/attestanter/"])
def test_pages_take_the_same_queries_for_more_transactions_and_attestants(
    client: Any, eco: Economy, url: str
) -> None:
    client = as_person(client, eco.decider)
    more_transactions(eco, 2)
    more_attestants(eco, 1)
    few = query_count(client, url)
    more_transactions(eco, 8)
    more_attestants(eco, 6)
    assert query_count(client, url) == few


@pytest.mark.parametrize("url", ["/ekonomi/", "/ekonomi/attest/"])
def test_the_queue_takes_the_same_queries_for_more_transactions(client: Any, eco: Economy, url: str) -> None:
    client = as_person(client, eco.decider)
    more_transactions(eco, 2)
    few = query_count(client, url)
    more_transactions(eco, 8)
    assert query_count(client, url) == few


@pytest.mark.parametrize("url", ["/ekonomi/", "/ekonomi/attest/"])
def test_the_queue_pages_take_the_same_queries_for_more_attestants(
    client: Any, eco: Economy, url: str
) -> None:
    client = as_person(client, eco.decider)
    more_transactions(eco, 3)
    more_attestants(eco, 1)
    few = query_count(client, url)
    more_attestants(eco, 6)
    assert query_count(client, url) == few


def test_the_start_page_takes_the_same_queries_for_more_cost_centres(client: Any, eco: Economy) -> None:
    client = as_person(client, eco.admin)
    few = query_count(client, "/ekonomi/")
    for n in range(5):
        cost_centre(f"15{n}0", unit=eco.unit)
    assert query_count(client, "/ekonomi/") == few
