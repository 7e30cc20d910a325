"""A team's economy as its people click it, each in their own browser: an invoice registered and attested by two
members within their limits; the same person refused the second step; no one attesting a payment to themselves;
and the cost centre's chart with its figures as a table. The pages are in English (one click on the language
switch), so that the checks read what a person reads."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    ANNA,
    COACH,
    TIMEOUT_MS,
    click_through,
    login,
    path_of,
    visit,
    watch_for_problems,
)

PASSWORD = "ett-bra-lösenord-2026"
IMPORT_HEADER = (
    "kostnadsstalle;kontogrupp;typ;referens;motpart;medarbetare;beskrivning;belopp;datum;forfallodag"
)


@pytest.fixture
def economy_demo(exempelstad: Any) -> dict[str, Any]:
    """Exempelstad with the demo economy of team Norr (cost centre 1410), loaded here unless the demo
    municipality already has it; the team's budget holder, who decides purchases by the team's purchase mandate,
    can log in."""
    from tillit.accounts.models import User
    from tillit.decisions.models import Mandate
    from tillit.economy.demo import load_demo_economy
    from tillit.economy.models import CostCentre

    if not CostCentre.objects.filter(code="1410").exists():
        load_demo_economy()
    holder = Mandate.objects.get(
        team__cost_centres__code="1410", category=Mandate.Category.PURCHASE, active=True
    ).delegate
    holder.set_password(PASSWORD)
    holder.save()
    return {"holder": holder, "anna": User.objects.get(email=ANNA), "coach": User.objects.get(email=COACH)}


@pytest.fixture
def browser_for(
    browser: Browser, browser_context_args: dict[str, Any]
) -> Iterator[Callable[[str, str | None], Page]]:
    """A browser window of one's own for each person, logged in and switched to English."""
    contexts = []

    def open_as(email: str, password: str | None = None) -> Page:
        context = browser.new_context(**browser_context_args)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = watch_for_problems(context.new_page())
        login(page, email, password)
        click_through(page, page.locator("header form.language-switch button[name=language][value=en]"))
        expect(page.locator("html")).to_have_attribute("lang", "en")
        return page

    yield open_as
    for context in contexts:
        context.close()


def attest_button(page: Page) -> Any:
    return page.locator("main form button[name=outcome][value=approve]")


def status(page: Page) -> Any:
    return page.locator("main .page-header .tags .tag")


def refusal(page: Page) -> Any:
    return page.locator("main section[aria-labelledby=steps-title] p.notice")


def steps(page: Page) -> Any:
    return page.locator("main section[aria-labelledby=steps-title] ol > li")


def test_an_invoice_attested_by_two_members_within_their_limits(
    economy_demo: dict[str, Any], browser_for: Callable[..., Page]
) -> None:
    from tillit.economy.models import Transaction

    holder, anna = economy_demo["holder"], economy_demo["anna"]

    # Member A, the team's budget holder, registers an invoice from the supplier's file.
    a = browser_for(holder.email, PASSWORD)
    visit(a, "/ekonomi/attest/")
    click_through(a, a.locator("main .page-header").get_by_role("link", name="Import from a file"))
    assert path_of(a) == "/ekonomi/attest/importera/"
    row = "1410;64;faktura;F-7731;Pappershuset AB;;Block och pennor till teamets möten;8 400,00;2026-11-20;2026-12-20"
    a.locator("main input[name=file]").set_input_files(
        {"name": "fakturor.csv", "mimeType": "text/csv", "buffer": f"{IMPORT_HEADER}\n{row}\n".encode()}
    )
    click_through(a, a.locator("main form").get_by_role("button", name="Check and import"))
    assert path_of(a) == "/ekonomi/attest/"
    invoice = Transaction.objects.get(reference="F-7731")
    assert invoice.amount == 8400 and invoice.created_by == holder
    mine = a.locator("main table").filter(has=a.locator("caption#mine"))
    expect(mine.get_by_role("link", name="Pappershuset AB")).to_be_visible()

    # A takes the decision step.
    click_through(a, mine.get_by_role("link", name="Pappershuset AB"))
    assert path_of(a) == invoice.get_absolute_url()
    expect(status(a)).to_have_text("Awaiting decision attestation")
    expect(a.locator("main form h3")).to_have_text("Decision attestation")
    click_through(a, attest_button(a))
    assert path_of(a) == invoice.get_absolute_url()
    expect(status(a)).to_have_text("Awaiting review attestation")
    expect(steps(a)).to_have_count(1)
    expect(steps(a).first).to_contain_text(holder.full_name)

    # A is refused the review step, and sees why.
    expect(attest_button(a)).to_have_count(0)
    expect(refusal(a)).to_contain_text("You have already attested this transaction")

    # Member B, Anna, reviews it from her queue in her own browser: attested.
    b = browser_for(anna.email)
    visit(b, "/ekonomi/attest/")
    waiting = b.locator("main table").filter(has=b.locator("caption#mine"))
    click_through(b, waiting.get_by_role("link", name="Pappershuset AB"))
    expect(status(b)).to_have_text("Awaiting review attestation")
    expect(b.locator("main form h3")).to_have_text("Review attestation")
    b.locator("main form textarea[name=comment]").fill("Levererat och stämmer med beställningen.")
    click_through(b, attest_button(b))
    expect(status(b)).to_have_text("Attested")
    expect(steps(b)).to_have_count(2)
    expect(steps(b).nth(0)).to_contain_text(holder.full_name)
    expect(steps(b).nth(1)).to_contain_text(anna.full_name)
    expect(steps(b).nth(1)).to_contain_text("Levererat och stämmer med beställningen.")
    expect(attest_button(b)).to_have_count(0)
    invoice.refresh_from_db()
    assert invoice.status == Transaction.Status.ATTESTED
    assert list(invoice.attestations.values_list("person", flat=True)) == [holder.pk, anna.pk]

    # A sees it attested too.
    visit(a, invoice.get_absolute_url())
    expect(status(a)).to_have_text("Attested")


def test_an_invoice_registered_through_the_form(
    economy_demo: dict[str, Any], browser_for: Callable[..., Page]
) -> None:
    from tillit.economy.models import Transaction

    a = browser_for(economy_demo["holder"].email, PASSWORD)
    visit(a, "/ekonomi/attest/")
    click_through(
        a, a.locator("main .page-header").get_by_role("link", name="Register an invoice or expense")
    )
    form = a.locator("main form")
    form.locator("[name=cost_centre]").select_option(label="1410 Team Norr")
    form.locator("[name=account_group]").select_option(label="64 Förbrukningsmaterial")
    form.locator("[name=counterparty]").fill("Pappershuset AB")
    form.locator("[name=reference]").fill("F-7732")
    form.locator("[name=description]").fill("Block och pennor")
    form.locator("[name=amount]").fill("8 400")
    form.locator("[name=dated]").fill("2026-11-20")
    click_through(a, form.get_by_role("button", name="Register for attestation"))
    invoice = Transaction.objects.get(reference="F-7732")
    assert path_of(a) == invoice.get_absolute_url()


def test_one_person_is_refused_both_steps(
    economy_demo: dict[str, Any], browser_for: Callable[..., Page]
) -> None:
    from tillit.economy.models import Transaction

    coach = economy_demo["coach"]
    invoice = Transaction.objects.get(reference="F-2026-118")
    coach_page = browser_for(coach.email)
    visit(coach_page, invoice.get_absolute_url())
    click_through(coach_page, attest_button(coach_page))
    expect(status(coach_page)).to_have_text("Awaiting review attestation")
    expect(attest_button(coach_page)).to_have_count(0)
    expect(refusal(coach_page)).to_contain_text("the second step must be taken by someone else")

    # In the queue it waits for someone else, with the reason.
    visit(coach_page, "/ekonomi/attest/")
    others = coach_page.locator("main table").filter(has=coach_page.locator("caption#others"))
    row = others.locator("tr").filter(has=coach_page.get_by_role("link", name=str(invoice.counterparty)))
    expect(row).to_contain_text("You have already attested this transaction")
    invoice.refresh_from_db()
    assert invoice.status == Transaction.Status.AWAITING_REVIEW and invoice.attestations.count() == 1


def test_no_one_attests_a_payment_to_themselves(
    economy_demo: dict[str, Any], browser_for: Callable[..., Page]
) -> None:
    from tillit.economy.models import Transaction

    coach, holder = economy_demo["coach"], economy_demo["holder"]
    expense = Transaction.objects.get(reference="U-0412")
    assert expense.payee == coach

    # The coach is a decision attestant without a limit, but the expense is paid to her.
    coach_page = browser_for(coach.email)
    visit(coach_page, expense.get_absolute_url())
    expect(status(coach_page)).to_have_text("Awaiting decision attestation")
    expect(attest_button(coach_page)).to_have_count(0)
    expect(refusal(coach_page)).to_contain_text("No one may attest a payment to themselves.")

    # The team's budget holder may not either: the coach manages the team's unit and is the holder's superior.
    holder_page = browser_for(holder.email, PASSWORD)
    visit(holder_page, expense.get_absolute_url())
    expect(attest_button(holder_page)).to_have_count(0)
    expect(refusal(holder_page)).to_contain_text("The payment goes to your own superior.")
    # A supplier's invoice of the team is the holder's to attest.
    other = Transaction.objects.get(reference="F-88231")
    visit(holder_page, other.get_absolute_url())
    expect(attest_button(holder_page)).to_be_visible()
    expect(refusal(holder_page)).to_have_count(0)
    expense.refresh_from_db()
    assert not expense.attestations.exists()


def test_the_cost_centre_shows_its_chart_with_a_data_table(
    economy_demo: dict[str, Any], browser_for: Callable[..., Page]
) -> None:
    coach_page = browser_for(COACH)
    visit(coach_page, "/ekonomi/")
    click_through(coach_page, coach_page.locator("main table").get_by_role("link", name="1410 Team Norr"))
    assert path_of(coach_page).startswith("/ekonomi/1410/")
    chart = coach_page.locator("main figure svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart.locator("polyline.chart__budget")).to_have_count(1)
    expect(chart.locator("polyline.chart__line")).to_have_count(1)
    table = coach_page.locator("main details.chart-figures table")
    expect(table).to_be_hidden()
    coach_page.locator("main details.chart-figures summary").click()
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(12)
    expect(
        coach_page.locator("main table")
        .filter(has=coach_page.locator("caption#months-caption"))
        .locator("tbody tr")
    ).to_have_count(12)

    # The coach manages the unit: she sets the budget.
    click_through(
        coach_page, coach_page.locator("main .page-header").get_by_role("link", name="Set the budget")
    )
    assert path_of(coach_page).startswith("/ekonomi/1410/budget/")
    expect(coach_page.locator("main form input[name^=group_]")).to_have_count(5)
