"""The portfolio as open data: the JSON and CSV exports, and importing another municipality's export."""

import csv
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.organisation.factories import UnitFactory
from tillit.core.models import HistoryEntry
from tillit.labs import services
from tillit.labs.models import EffectGoal, Indicator, Initiative, Link, Measurement
from tillit.labs.portfolio import CSV_COLUMNS, SCHEMA, PortfolioImportError, portfolio_import
from tillit.organisation.models import Unit

from .factories import (
    LEARNINGS,
    PERSONNUMMER,
    LabFactory,
    development_lead,
    ended,
    full_initiative,
    initiative,
    team_member,
)

pytestmark = pytest.mark.django_db

HOST = "helsingborg.example.se"


@pytest.fixture
def lead() -> Any:
    return development_lead()


@pytest.fixture
def site(settings: Any) -> None:
    """A municipality with a real host name, as its exports name it."""
    settings.ALLOWED_HOSTS = [HOST, "testserver"]
    settings.MUNICIPALITY_NAME = "Helsingborg"


@pytest.fixture
def portfolio(lead: Any, site: None) -> dict[str, Initiative]:
    lab = LabFactory.create(name="Självstyrande team")
    unit = UnitFactory.create(name="Socialförvaltningen", kind=Unit.Kind.ADMINISTRATION)
    stopped = full_initiative("Självorganiserat arbetssätt", actor=lead)
    services.initiative_update(
        actor=lead,
        initiative=stopped,
        lab=lab,
        administration=unit,
        hypothesis="Med större mandat hittar teamet rätt insats.",
        success_factors="Kundens perspektiv\nLedarskapet",
    )
    stopped = ended(stopped)
    ongoing = initiative(actor=lead, title="Ökad delaktighet", published=True)
    draft = initiative(actor=lead, title="Hemligt utkast")
    return {"stopped": stopped, "ongoing": ongoing, "draft": draft}


def export(client: Any, path: str = "/portfolj/export.json") -> Any:
    response = client.get(path, HTTP_HOST=HOST)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


def test_the_json_export_holds_the_published_initiatives(
    client: Any, portfolio: dict[str, Initiative]
) -> None:
    response = export(client)
    assert response["Content-Type"].startswith("application/json")
    document = json.loads(response.content)
    assert document["schema"] == SCHEMA == "tillit-portfolio/1"
    assert document["municipality"] == "Helsingborg"
    assert [item["title"] for item in document["initiatives"]] == [
        "Självorganiserat arbetssätt",
        "Ökad delaktighet",
    ]
    stopped = portfolio["stopped"]
    item = document["initiatives"][0]
    assert item["id"] == stopped.slug
    assert item["url"] == f"http://{HOST}/initiativ/{stopped.slug}/"
    assert (item["what"], item["why"], item["how"]) == (stopped.what, stopped.why, stopped.how)
    assert (item["status"], item["stage"]) == ("stopped", "explore_idea")
    assert item["lab"] == "Självstyrande team" and item["administration"] == "Socialförvaltningen"
    assert item["success_factors"] == ["Kundens perspektiv", "Ledarskapet"]
    assert item["lessons_learned"] == {
        "what_worked": LEARNINGS["learned_worked"],
        "what_did_not_work": LEARNINGS["learned_not_worked"],
        "for_others": LEARNINGS["learned_for_others"],
    }
    assert item["effect_goals"] == [
        {
            "title": "Ökat medarbetarinflytande",
            "description": "",
            "indicators": [
                {
                    "name": "Medarbetarinflytande",
                    "unit": "index 1–5",
                    "direction": "increase",
                    "baseline": {"value": 3, "date": "2025-03-15"},
                    "target": {"value": 4, "date": "2026-10-31"},
                    "measurements": [
                        {"date": "2025-10-15", "value": 3.4},
                        {"date": "2026-04-15", "value": 3.7},
                    ],
                }
            ],
        }
    ]
    assert item["links"] == [{"title": "Rapport", "url": "https://example.org/r"}]
    assert item["ended"] == str(stopped.ended_on) and document["initiatives"][1]["ended"] is None
    assert "Hemligt utkast" not in response.content.decode()


def test_the_csv_export_has_a_header_and_a_row_per_published_initiative(
    client: Any, portfolio: dict[str, Initiative]
) -> None:
    response = export(client, "/portfolj/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == CSV_COLUMNS
    by_title = {row[CSV_COLUMNS.index("title")]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]}
    assert set(by_title) == {"Självorganiserat arbetssätt", "Ökad delaktighet"}
    stopped = by_title["Självorganiserat arbetssätt"]
    assert stopped["status"] == "stopped"
    assert stopped["effect_goals"] == "Ökat medarbetarinflytande"
    assert stopped["lessons_for_others"] == LEARNINGS["learned_for_others"]
    assert stopped["url"] == f"http://{HOST}/initiativ/{portfolio['stopped'].slug}/"


def snapshot() -> list[tuple[Any, ...]]:
    """What the portfolio holds, independent of primary keys and slugs."""
    rows = []
    for item in Initiative.objects.order_by("title"):
        goals = [
            (
                goal.title,
                [
                    (
                        indicator.name,
                        indicator.direction,
                        indicator.baseline,
                        indicator.target,
                        [(m.measured_on, m.value) for m in indicator.measurements.all()],
                    )
                    for indicator in goal.indicators.all()
                ],
            )
            for goal in item.effect_goals.all()
        ]
        rows.append(
            (
                item.title,
                item.status,
                item.what,
                item.learned_worked,
                item.learned_not_worked,
                item.learned_for_others,
                goals,
                [(link.title, link.url) for link in item.links.all()],
            )
        )
    return rows


def test_a_round_trip_brings_back_the_same_portfolio_marked_with_its_source(
    client: Any, lead: Any, portfolio: dict[str, Initiative], settings: Any
) -> None:
    raw = export(client).content
    portfolio["draft"].delete()  # not exported, so not brought back
    before = snapshot()
    urls = {item.title: f"http://{HOST}{item.get_absolute_url()}" for item in Initiative.objects.all()}
    Initiative.objects.all().delete()
    assert not EffectGoal.objects.exists()
    settings.MUNICIPALITY_NAME = "Exempelstad"  # importing in another municipality
    assert portfolio_import(actor=lead, raw=raw) == (2, 0)
    assert snapshot() == before
    for item in Initiative.objects.all():
        assert item.source_municipality == "Helsingborg"
        assert item.source_url == urls[item.title]
        assert item.is_published
    stopped = Initiative.objects.get(title="Självorganiserat arbetssätt")
    assert stopped.ended_on == portfolio["stopped"].ended_on
    assert HistoryEntry.objects.filter(action="initiative.imported").count() == 2
    # The same file again brings them up to date, without duplicates.
    assert portfolio_import(actor=lead, raw=raw) == (0, 2)
    assert snapshot() == before
    assert Initiative.objects.count() == 2 and Measurement.objects.count() == 2 and Link.objects.count() == 1
    # Imported initiatives are in the portfolio and the learnings library, marked with where they come from.
    shown = client.get("/portfolj/lardomar/").content.decode()
    assert "Självorganiserat arbetssätt" in shown and "Helsingborg" in shown


def record(title: str = "Läxhjälp på biblioteket", **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "laxhjalp",
        "url": f"https://{HOST}/initiativ/{len(title)}-{title[:3].lower()}/",
        "municipality": "Helsingborg",
        "title": title,
        "status": "ongoing",
        "stage": "pilot",
        "what": "Läxhjälp två kvällar i veckan.",
        "why": "Barnen får ingen hjälp hemma.",
        "how": "Volontärer och lärarstudenter.",
        "effect_goals": [
            {
                "title": "Fler barn klarar skolan",
                "indicators": [
                    {
                        "name": "Godkända betyg",
                        "unit": "%",
                        "direction": "increase",
                        "baseline": {"value": 70, "date": "2025-06-30"},
                        "target": {"value": 85, "date": "2027-06-30"},
                        "measurements": [{"date": "2026-06-30", "value": 76.5}],
                    }
                ],
            }
        ],
    }
    data.update(changes)
    return data


def document(*records: dict[str, Any]) -> bytes:
    return json.dumps(
        {"schema": SCHEMA, "municipality": "Helsingborg", "initiatives": list(records)}
    ).encode()


def test_swedish_status_and_stage_words_are_read(lead: Any) -> None:
    raw = document(
        record(
            status="Avbruten",
            stage="Utveckla pilot",
            lessons_learned={
                "what_worked": "Volontärerna kom.",
                "what_did_not_work": "Lokalen var för liten.",
                "for_others": "Boka en större lokal.",
            },
        ),
        record("Fritidsgården", status="Pågående", stage="Skala upp"),
    )
    assert portfolio_import(actor=lead, raw=raw) == (2, 0)
    stopped = Initiative.objects.get(title="Läxhjälp på biblioteket")
    assert (stopped.status, stopped.stage, stopped.learned_for_others) == (
        "stopped",
        "pilot",
        "Boka en större lokal.",
    )
    assert stopped.ended_on is not None
    assert Initiative.objects.get(title="Fritidsgården").stage == "scale"
    assert Measurement.objects.filter(value=Decimal("76.5")).count() == 2


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"{inte json", "JSON"),
        (b"\xff\xfe\x00", "UTF-8"),
        (json.dumps({"schema": SCHEMA}).encode(), "initiatives"),
        (json.dumps([record()]).encode(), "initiatives"),
        (json.dumps({"schema": "annat/2", "initiatives": []}).encode(), "annat/2"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused(lead: Any, raw: bytes, expected: str) -> None:
    with pytest.raises(PortfolioImportError) as error:
        portfolio_import(actor=lead, raw=raw)
    assert expected in " ".join(error.value.messages)
    assert not Initiative.objects.exists()


BAD_RECORDS: list[tuple[dict[str, Any], str]] = [
    ({"status": "stopped"}, "initiatives[2]"),  # ended without learnings
    ({"status": "Avbruten", "lessons_learned": {"what_worked": "Bra"}}, "initiatives[2]"),
    ({"status": "kanske"}, "initiatives[2]: "),
    ({"stage": "fundera"}, "initiatives[2]: "),
    ({"pilot_period": {"start": "2026-13-01"}}, "pilot_period.start"),
    ({"pilot_period": {"start": "2026-05-01", "end": "2026-04-01"}}, "initiatives[2]"),
    ({"ended": "igår"}, "initiatives[2]"),
    ({"what": ""}, "initiatives[2]"),
    ({"url": "inte en adress"}, "initiatives[2]"),
    ({"contact": {"email": "inte-en-adress"}}, "initiatives[2]"),
    ({"links": [{"title": "Ingen adress"}]}, "initiatives[2].links[0]"),
    (
        {
            "effect_goals": [
                {
                    "title": "Mål",
                    "indicators": [
                        {
                            "name": "Mått",
                            "direction": "increase",
                            "baseline": {"value": 1, "date": "2025-01-01"},
                            "target": {"value": 2, "date": "2026-01-01"},
                            "measurements": [
                                {"date": "2025-06-01", "value": 1.2},
                                {"date": "2025-06-01", "value": 1.3},
                            ],
                        }
                    ],
                }
            ]
        },
        "initiatives[2].effect_goals[0].indicators[0].measurements[1]",
    ),
    (
        {
            "effect_goals": [
                {
                    "title": "Mål",
                    "indicators": [
                        {
                            "name": "Mått",
                            "direction": "sideways",
                            "baseline": {"value": "mycket", "date": "2025-01-01"},
                            "target": {"value": 2, "date": "2025-02-30"},
                        }
                    ],
                }
            ]
        },
        "initiatives[2].effect_goals[0].indicators[0]",
    ),
]


@pytest.mark.parametrize(("changes", "place"), BAD_RECORDS)
def test_a_file_with_a_problem_in_its_last_initiative_imports_nothing(
    lead: Any, changes: dict[str, Any], place: str
) -> None:
    initiative(actor=lead, title="Vårt eget initiativ")
    counts = (Initiative.objects.count(), EffectGoal.objects.count(), Indicator.objects.count())
    raw = document(record("Första"), record("Andra"), record("Tredje", **changes))
    with pytest.raises(PortfolioImportError) as error:
        portfolio_import(actor=lead, raw=raw)
    assert any(place in message for message in error.value.messages), error.value.messages
    assert all("initiatives[2]" in message for message in error.value.messages)
    assert (Initiative.objects.count(), EffectGoal.objects.count(), Indicator.objects.count()) == counts
    assert not Initiative.objects.filter(title__in=["Första", "Andra"]).exists()
    assert not HistoryEntry.objects.filter(action="initiative.imported").exists()


def test_every_problem_is_reported_at_once(lead: Any) -> None:
    raw = document(record("Första", status="kanske"), record("Andra"), record("Tredje", ended="igår"), "text")  # type: ignore[arg-type]
    with pytest.raises(PortfolioImportError) as error:
        portfolio_import(actor=lead, raw=raw)
    text = " ".join(error.value.messages)
    assert "initiatives[0]" in text and "initiatives[2]" in text and "initiatives[3]" in text
    assert "initiatives[1]" not in text
    assert not Initiative.objects.exists()


def test_a_failed_re_import_leaves_the_earlier_import_as_it_was(lead: Any) -> None:
    portfolio_import(actor=lead, raw=document(record("Första"), record("Andra")))
    before = snapshot()
    changed = record("Första", what="Ändrad text")
    with pytest.raises(PortfolioImportError):
        portfolio_import(actor=lead, raw=document(changed, record("Andra", status="stopped")))
    assert snapshot() == before


def test_the_import_page(client: Any, lead: Any) -> None:
    url = "/labb/importera/"
    client.force_login(team_member())
    assert client.get(url).status_code == 403
    client.force_login(lead)
    assert client.get(url).status_code == 200
    bad = document(record("Första"), record("Andra", status="kanske"))
    response = client.post(url, {"file": SimpleUploadedFile("export.json", bad)})
    assert response.status_code == 400
    shown = response.content.decode()
    assert "initiatives[1]: okänd status ”kanske”." in shown
    assert "Ingenting importerades." in shown
    assert not Initiative.objects.exists()
    good = document(record("Första"), record("Andra"))
    response = client.post(url, {"file": SimpleUploadedFile("export.json", good)})
    assert response["Location"] == "/portfolj/"
    assert set(Initiative.objects.values_list("title", flat=True)) == {"Första", "Andra"}
    shown = client.get("/portfolj/").content.decode()
    assert "Första" in shown and "Andra" in shown


def with_goal_text(title: str, field: str, text: str) -> dict[str, Any]:
    data = record(title)
    data["effect_goals"][0][field] = text
    return data


def test_a_personal_identity_number_in_an_imported_initiative_is_refused(lead: Any) -> None:
    raw = document(record("Första"), record("Andra", why=f"Barnet {PERSONNUMMER} fick vänta."))
    with pytest.raises(PortfolioImportError) as error:
        portfolio_import(actor=lead, raw=raw)
    assert any("initiatives[1]" in message for message in error.value.messages)
    assert not Initiative.objects.exists()


@pytest.mark.parametrize("field", ["title", "description"])
def test_a_personal_identity_number_in_an_imported_effect_goal_is_refused(lead: Any, field: str) -> None:
    raw = document(record("Första"), with_goal_text("Andra", field, f"Gäller barnet {PERSONNUMMER}"))
    with pytest.raises(PortfolioImportError) as error:
        portfolio_import(actor=lead, raw=raw)
    assert any("initiatives[1]" in message for message in error.value.messages)
    assert not EffectGoal.objects.filter(**{f"{field}__contains": PERSONNUMMER}).exists()
    assert not Initiative.objects.exists()


def test_a_measurement_too_large_for_its_field_is_refused(client: Any, lead: Any) -> None:
    data = record("Andra")
    data["effect_goals"][0]["indicators"][0]["measurements"] = [{"date": "2026-01-01", "value": 1e15}]
    with pytest.raises(PortfolioImportError) as error:
        portfolio_import(actor=lead, raw=document(record("Första"), data))
    assert any("initiatives[1].effect_goals[0]" in message for message in error.value.messages)
    assert not Initiative.objects.exists()
