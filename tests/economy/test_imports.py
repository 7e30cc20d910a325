"""CSV files from the financial system: the outcomes per month, and invoices and expenses to attest. Every row is
checked first; a file with any wrong row changes nothing and every wrong row is named with its number."""

import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.organisation.factories import PersonFactory, TeamFactory
from tillit.core.models import HistoryEntry
from tillit.economy import services
from tillit.economy.models import Outcome, OutcomeImport, Transaction

from .factories import PERSONNUMMER, account_group, administrator, cost_centre, transaction

pytestmark = pytest.mark.django_db

HEADER = "kostnadsstalle;kontogrupp;ar;manad;belopp"


@pytest.fixture
def admin() -> Any:
    return administrator()


@pytest.fixture
def centres() -> dict[str, Any]:
    account_group("50", "Personalkostnader")
    account_group("64", "Förbrukningsmaterial")
    account_group("30", "Intäkter")
    return {"1410": cost_centre("1410", team=TeamFactory.create()), "1420": cost_centre("1420")}


def outcomes(admin: Any, text: str, *, encoding: str = "utf-8", name: str = "utfall.csv") -> OutcomeImport:
    return services.outcomes_import(actor=admin, file_name=name, content=text.encode(encoding))


def booked() -> dict[tuple[str, str, int, int], Decimal]:
    return {
        (o.cost_centre.code, o.account_group.code, o.year, o.month): o.amount
        for o in Outcome.objects.select_related("cost_centre", "account_group")
    }


def row_number(message: str) -> int:
    """The row a message names: its first number, before the colon ("Row 3: …", in any language)."""
    found = re.search(r"\d+", message.split(":")[0])
    assert found, message
    return int(found.group())


def errors_of(call: Any) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.messages


# The outcome file.


def test_the_documented_format_is_imported(admin: Any, centres: dict[str, Any]) -> None:
    source = outcomes(
        admin,
        f"{HEADER}\n1410;50;2026;1;412 300,00\n1410;30;2026;1;-25 000\n1420;64;2026;2;12500.50\n",
    )
    assert source.rows == 3 and source.file_name == "utfall.csv" and source.imported_by == admin
    assert booked() == {
        ("1410", "50", 2026, 1): Decimal("412300.00"),
        ("1410", "30", 2026, 1): Decimal("-25000.00"),
        ("1420", "64", 2026, 2): Decimal("12500.50"),
    }
    entry = HistoryEntry.objects.for_object(source).get(action="outcomes.imported")
    assert entry.actor == admin and entry.changes["rows"] == 3
    assert entry.changes["periods"] == "2026-01, 2026-02"


@pytest.mark.parametrize(
    ("separator", "encoding", "bom"),
    [
        (";", "utf-8", False),
        (";", "utf-8", True),
        (",", "utf-8", False),
        ("\t", "utf-8", True),
        (";", "cp1252", False),
        ("\t", "cp1252", False),
    ],
)
def test_separators_and_encodings(
    admin: Any, centres: dict[str, Any], separator: str, encoding: str, bom: bool
) -> None:
    amount = '"12 500,50"' if separator == "," else "12 500,50"
    lines = [
        separator.join(["Kostnadsställe", "Kontogrupp", "År", "Månad", "Belopp"]),
        separator.join(["1410", "64", "2026", "3", amount]),
        separator.join(["1410", "50", "2026", "3", "-300"]),
    ]
    content = "\r\n".join(lines).encode(encoding)
    if bom:
        content = b"\xef\xbb\xbf" + content
    services.outcomes_import(actor=admin, file_name="utfall.csv", content=content)
    assert booked() == {
        ("1410", "64", 2026, 3): Decimal("12500.50"),
        ("1410", "50", 2026, 3): Decimal("-300.00"),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 500,50", "12500.50"),
        ("12500.50", "12500.50"),
        ("12500,5", "12500.50"),
        ("-300", "-300.00"),
        ("\u2212300", "-300.00"),
        ("1.234,50", "1234.50"),
        ("12\u00a0500", "12500.00"),
        ("0", "0.00"),
    ],
)
def test_amounts_as_people_write_them(admin: Any, centres: dict[str, Any], text: str, expected: str) -> None:
    outcomes(admin, f"{HEADER}\n1410;64;2026;4;{text}\n")
    assert booked() == {("1410", "64", 2026, 4): Decimal(expected)}


@pytest.mark.parametrize("period", ["2026-05", "202605"])
def test_one_period_column(admin: Any, centres: dict[str, Any], period: str) -> None:
    outcomes(admin, f"kostnadsstalle;kontogrupp;period;belopp\n1410;64;{period};100\n")
    assert booked() == {("1410", "64", 2026, 5): Decimal("100.00")}


@pytest.mark.parametrize(
    ("row", "why"),
    [
        ("9999;64;2026;1;100", "9999"),
        ("1410;99;2026;1;100", "99"),
        ("1410;64;2026;13;100", "13"),
        ("1410;64;2026;0;100", "0"),
        ("1410;64;2026;mars;100", "mars"),
        ("1410;64;26;1;100", "26"),
        ("1410;64;2026;1;tolv", "tolv"),
        ("1410;64;2026;1;12,345", "12,345"),
        ("1410;64;2026;1;", ""),  # no amount
    ],
)
def test_a_wrong_row_is_named_with_its_number_and_why(
    admin: Any, centres: dict[str, Any], row: str, why: str
) -> None:
    messages = errors_of(lambda: outcomes(admin, f"{HEADER}\n1410;50;2026;1;100\n{row}\n"))
    assert len(messages) == 1
    assert row_number(messages[0]) == 3 and why in messages[0]
    assert not Outcome.objects.exists() and not OutcomeImport.objects.exists()


def test_every_wrong_row_is_reported_at_once_and_nothing_changes(admin: Any, centres: dict[str, Any]) -> None:
    outcomes(admin, f"{HEADER}\n1410;64;2026;1;100\n")
    before = (booked(), OutcomeImport.objects.count())
    text = (
        f"{HEADER}\n"
        "1410;64;2026;1;999\n"  # row 2: fine, and a replacement of January
        "9999;64;2026;2;100\n"  # row 3: unknown cost centre
        "1410;77;2026;2;100\n"  # row 4: unknown account group
        "1410;64;2026;14;100\n"  # row 5: bad month
        "1410;64;2026;3;sju\n"  # row 6: bad amount
        "1410;64;2026;1;5\n"  # row 7: the same as row 2
    )
    messages = errors_of(lambda: outcomes(admin, text))
    assert [row_number(m) for m in messages] == [3, 4, 5, 6, 7]
    assert "9999" in messages[0] and "77" in messages[1] and "14" in messages[2] and "sju" in messages[3]
    assert "2" in messages[4].split(":", 1)[1]  # the duplicate names the first row
    assert (booked(), OutcomeImport.objects.count()) == before


def test_one_row_with_several_problems_lists_them_all(admin: Any, centres: dict[str, Any]) -> None:
    messages = errors_of(lambda: outcomes(admin, f"{HEADER}\n9999;77;2026;13;x\n"))
    assert len(messages) == 1
    assert all(part in messages[0] for part in ("9999", "77", "13", "x"))


def test_reimporting_a_month_replaces_it(admin: Any, centres: dict[str, Any]) -> None:
    outcomes(admin, f"{HEADER}\n1410;64;2026;3;100\n1410;64;2026;4;400\n")
    second = outcomes(admin, f"{HEADER}\n1410;64;2026;3;250,50\n", name="rattelse.csv")
    assert booked() == {
        ("1410", "64", 2026, 3): Decimal("250.50"),
        ("1410", "64", 2026, 4): Decimal("400.00"),
    }
    assert Outcome.objects.get(month=3).source == second
    assert OutcomeImport.objects.count() == 2


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"   \n",
        HEADER.encode() + b"\n",
        b"kostnadsstalle;belopp\n1410;100\n",
        b"utan;rubriker\n1410;64\n",
    ],
)
def test_an_empty_or_headless_file_is_refused(admin: Any, centres: dict[str, Any], content: bytes) -> None:
    with pytest.raises(ValidationError):
        services.outcomes_import(actor=admin, file_name="utfall.csv", content=content)
    assert not OutcomeImport.objects.exists()


def test_the_missing_headings_are_named(admin: Any, centres: dict[str, Any]) -> None:
    messages = errors_of(lambda: outcomes(admin, "kostnadsstalle;ar;manad\n1410;2026;1\n"))
    assert "kontogrupp" in messages[0] and "belopp" in messages[0]


# The transactions file.

TX_HEADER = "kostnadsstalle;kontogrupp;typ;referens;motpart;medarbetare;beskrivning;belopp;datum;forfallodag"


def transactions(admin: Any, text: str, **kwargs: Any) -> list[Transaction]:
    return services.transactions_import(actor=admin, content=text.encode(), **kwargs)


def test_transactions_are_registered_from_the_documented_format(admin: Any, centres: dict[str, Any]) -> None:
    payee = PersonFactory.create(email="karin@exempelstad.se")
    made = transactions(
        admin,
        f"{TX_HEADER}\n"
        "1410;64;faktura;F-88231;Kontorsvaror AB;;Pärmar och papper;4 320,00;2026-11-02;2026-12-02\n"
        "1410;64;utlägg;U-1;Karin Sundberg;Karin@Exempelstad.se;Tågbiljett;640;2026-11-03;\n"
        "1420;64;;F-9;Städbolaget AB;;Städning;1200.50;2026-11-04;\n",
    )
    assert len(made) == 3 and Transaction.objects.count() == 3
    invoice = Transaction.objects.get(reference="F-88231")
    assert invoice.amount == Decimal("4320.00") and invoice.kind == Transaction.Kind.INVOICE
    assert invoice.due_on is not None and invoice.due_on.isoformat() == "2026-12-02"
    assert invoice.status == Transaction.Status.AWAITING_DECISION and invoice.created_by == admin
    expense = Transaction.objects.get(reference="U-1")
    assert expense.kind == Transaction.Kind.EXPENSE and expense.payee == payee and expense.due_on is None
    assert Transaction.objects.get(reference="F-9").kind == Transaction.Kind.INVOICE
    assert HistoryEntry.objects.filter(action="transaction.registered").count() == 3


def test_every_wrong_transaction_row_is_reported_and_nothing_registered(
    admin: Any, centres: dict[str, Any]
) -> None:
    transaction(centres["1410"], reference="F-1", counterparty="Kontorsvaror AB")
    text = (
        f"{TX_HEADER}\n"
        "1410;64;faktura;F-2;Kontorsvaror AB;;Papper;100;2026-11-02;\n"  # row 2: fine
        f"1410;64;faktura;F-3;Kontorsvaror AB;;Gäller {PERSONNUMMER};100;2026-11-02;\n"  # 3: identity number
        "1410;64;faktura;F-1;Kontorsvaror AB;;Papper;100;2026-11-02;\n"  # 4: already registered
        "1410;64;faktura;F-2;Kontorsvaror AB;;Papper;100;2026-11-02;\n"  # 5: the same as row 2
        "1410;64;utlägg;U-1;Ola;ingen@exempelstad.se;Tåg;100;2026-11-02;\n"  # 6: unknown e-mail
        "1410;64;kvitto;K-1;Ola;;Tåg;100;2026-11-02;\n"  # 7: unknown kind
        "1410;64;faktura;F-4;Kontorsvaror AB;;Papper;-5;2026-11-02;\n"  # 8: not more than zero
        "1410;64;faktura;F-5;Kontorsvaror AB;;Papper;5;2/11/2026;\n"  # 9: bad date
        "8888;64;faktura;F-6;Kontorsvaror AB;;Papper;5;2026-11-02;\n"  # 10: unknown cost centre
        "1410;64;faktura;;Kontorsvaror AB;;Papper;5;2026-11-02;\n"  # 11: no reference
    )
    messages = errors_of(lambda: transactions(admin, text))
    assert [row_number(m) for m in messages] == list(range(3, 12))
    assert "ingen@exempelstad.se" in messages[3] and "kvitto" in messages[4] and "8888" in messages[7]
    assert "2" in messages[2].split(":", 1)[1]  # the duplicate names the first row
    assert Transaction.objects.count() == 1


def test_a_personal_identity_number_in_the_description_is_refused(
    admin: Any, centres: dict[str, Any]
) -> None:
    messages = errors_of(
        lambda: transactions(
            admin,
            f"{TX_HEADER}\n1410;64;faktura;F-3;Kontorsvaror AB;;Gäller {PERSONNUMMER};100;2026-11-02;\n",
        )
    )
    assert len(messages) == 1 and row_number(messages[0]) == 2
    assert not Transaction.objects.exists()


def test_only_the_allowed_cost_centres_are_registered(admin: Any, centres: dict[str, Any]) -> None:
    text = f"{TX_HEADER}\n1420;64;faktura;F-1;Städbolaget AB;;Städning;100;2026-11-02;\n"
    messages = errors_of(lambda: transactions(admin, text, allowed={centres["1410"].pk}))
    assert "1420" in messages[0]
    assert not Transaction.objects.exists()
    transactions(admin, text, allowed={centres["1420"].pk})
    assert Transaction.objects.get().cost_centre == centres["1420"]


def test_a_file_with_very_many_wrong_rows_lists_the_first_fifty_and_how_many_more(
    admin: Any, centres: dict[str, Any]
) -> None:
    rows = "".join(f"9999;64;2026;1;{n}\n" for n in range(60))
    messages = errors_of(lambda: outcomes(admin, f"{HEADER}\n{rows}"))
    assert len(messages) == 51
    assert [row_number(m) for m in messages[:50]] == list(range(2, 52))
    assert "10" in messages[50]
    assert not OutcomeImport.objects.exists()
