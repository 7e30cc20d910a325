"""The JSON API as an integration sees it: token authentication, the organisation's data, paging, schema."""

from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.organisation.factories import (
    MembershipFactory,
    PersonFactory,
    RoleAssignmentFactory,
    TeamFactory,
    UnitFactory,
)
from tillit.accounts import services
from tillit.accounts.models import User
from tillit.organisation.models import Membership, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader() -> User:
    person: User = PersonFactory(full_name="Rita Läsare", email="rita@exempel.test")
    return person


@pytest.fixture
def key(reader: User) -> str:
    _token, key = services.api_token_create(actor=reader, user=reader, name="Diariet")
    return key


@pytest.fixture
def api(client: Client, key: str) -> Client:
    """A client that sends the bearer token with every request, as an integration does."""
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.fixture
def organisation() -> dict[str, Any]:
    municipality = UnitFactory(name="Exempelstad", slug="exempelstad", kind=Unit.Kind.MUNICIPALITY)
    social = UnitFactory(
        name="Socialförvaltningen", slug="social", kind=Unit.Kind.ADMINISTRATION, parent=municipality
    )
    school = UnitFactory(
        name="Skolförvaltningen", slug="skola", kind=Unit.Kind.ADMINISTRATION, parent=municipality
    )
    north = TeamFactory(name="Team Norr", slug="team-norr", unit=social, purpose="Stöd i norra delen.")
    south = TeamFactory(name="Team Syd", slug="team-syd", unit=social)
    reading = TeamFactory(name="Läsfrämjarna", slug="lasframjarna", unit=school)
    anna = PersonFactory(full_name="Anna Andersson", email="anna@exempel.test", title="Socialsekreterare")
    bo = PersonFactory(full_name="Bo Berg", email="bo@exempel.test", title="Enhetschef")
    MembershipFactory(team=north, person=anna, role=Membership.Role.MEMBER)
    MembershipFactory(team=north, person=bo, role=Membership.Role.COACH)
    MembershipFactory(team=reading, person=anna)
    RoleAssignmentFactory(person=bo, role="facilitator")
    return {
        "municipality": municipality,
        "social": social,
        "school": school,
        "north": north,
        "south": south,
        "reading": reading,
        "anna": anna,
        "bo": bo,
    }


API_PATHS = ["/api/units", "/api/teams", "/api/people"]


# --- Authentication ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [*API_PATHS, "/api/units/exempelstad", "/api/teams/team-norr", "/api/people/1"]
)
def test_without_credentials_the_api_answers_401(
    client: Client, organisation: dict[str, Any], path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


@pytest.mark.parametrize("header", ["Bearer tlt_not-a-real-key", "Basic cml0YTpsw7ZzZW4=", "Bearer "])
def test_a_wrong_or_malformed_token_answers_401(key: str, header: str) -> None:
    response = Client(headers={"Authorization": header}).get("/api/units")
    assert response.status_code == 401


def test_a_valid_token_reads_the_api(api: Client, organisation: dict[str, Any]) -> None:
    response = api.get("/api/units")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


def test_a_token_is_recorded_as_used(api: Client, reader: User) -> None:
    token = reader.api_tokens.get()
    assert token.last_used_at is None
    api.get("/api/units")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_answers_401(api: Client, reader: User) -> None:
    assert api.get("/api/units").status_code == 200
    services.api_token_revoke(actor=reader, token=reader.api_tokens.get())
    assert api.get("/api/units").status_code == 401


def test_a_deactivated_persons_token_no_longer_works(api: Client, reader: User, administrator: User) -> None:
    from tillit.organisation.services import person_set_active

    assert api.get("/api/people").status_code == 200
    person_set_active(actor=administrator, person=reader, active=False)
    assert api.get("/api/people").status_code == 401


def test_a_logged_in_browser_reads_the_api_with_its_session(
    client: Client, reader: User, organisation: dict[str, Any]
) -> None:
    client.force_login(reader)
    response = client.get("/api/teams/team-norr")
    assert response.status_code == 200
    assert response.json()["name"] == "Team Norr"


def test_a_deactivated_persons_session_cannot_read_the_api(client: Client, reader: User) -> None:
    client.force_login(reader)
    User.objects.filter(pk=reader.pk).update(is_active=False)
    assert client.get("/api/units").status_code == 401


# --- Units ------------------------------------------------------------------------------------------


def test_units_lists_the_tree_flat_with_parents(api: Client, organisation: dict[str, Any]) -> None:
    body = api.get("/api/units").json()
    assert body["count"] == 3
    by_slug = {item["slug"]: item for item in body["items"]}
    assert by_slug["exempelstad"]["parent"] is None
    assert by_slug["exempelstad"]["kind"] == "municipality"
    assert by_slug["social"] == {
        "id": organisation["social"].pk,
        "slug": "social",
        "name": "Socialförvaltningen",
        "kind": "administration",
        "parent": "exempelstad",
        "description": "",
    }


def test_one_unit(api: Client, organisation: dict[str, Any]) -> None:
    response = api.get("/api/units/skola")
    assert response.status_code == 200
    assert response.json()["name"] == "Skolförvaltningen"
    assert response.json()["parent"] == "exempelstad"
    assert api.get("/api/units/finns-inte").status_code == 404


# --- Teams ------------------------------------------------------------------------------------------


def test_teams_lists_every_team(api: Client, organisation: dict[str, Any]) -> None:
    body = api.get("/api/teams").json()
    assert body["count"] == 3
    assert [team["slug"] for team in body["items"]] == ["lasframjarna", "team-norr", "team-syd"]
    north = next(team for team in body["items"] if team["slug"] == "team-norr")
    assert north == {
        "id": organisation["north"].pk,
        "slug": "team-norr",
        "name": "Team Norr",
        "unit": "social",
        "purpose": "Stöd i norra delen.",
    }


def test_teams_of_one_unit(api: Client, organisation: dict[str, Any]) -> None:
    body = api.get("/api/teams", {"unit": "social"}).json()
    assert body["count"] == 2
    assert {team["slug"] for team in body["items"]} == {"team-norr", "team-syd"}
    assert api.get("/api/teams", {"unit": "skola"}).json()["count"] == 1
    assert api.get("/api/teams", {"unit": "finns-inte"}).status_code == 404


def test_one_team_with_members_and_their_roles(api: Client, organisation: dict[str, Any]) -> None:
    response = api.get("/api/teams/team-norr")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Team Norr"
    assert body["unit"] == "social"
    members = {member["name"]: member for member in body["members"]}
    assert set(members) == {"Anna Andersson", "Bo Berg"}
    assert members["Anna Andersson"]["role"] == "member"
    assert members["Bo Berg"]["role"] == "coach"
    assert members["Bo Berg"]["person_id"] == organisation["bo"].pk
    assert members["Bo Berg"]["since"]  # an ISO date
    assert api.get("/api/teams/team-syd").json()["members"] == []
    assert api.get("/api/teams/finns-inte").status_code == 404


# --- People -----------------------------------------------------------------------------------------


def test_people_search(api: Client, organisation: dict[str, Any]) -> None:
    body = api.get("/api/people", {"q": "anna"}).json()
    assert body["count"] == 1
    assert body["items"] == [
        {
            "id": organisation["anna"].pk,
            "name": "Anna Andersson",
            "email": "anna@exempel.test",
            "title": "Socialsekreterare",
        }
    ]
    assert api.get("/api/people", {"q": "enhetschef"}).json()["items"][0]["name"] == "Bo Berg"
    assert api.get("/api/people", {"q": "ingen sådan"}).json() == {"items": [], "count": 0}


def test_people_leaves_out_deactivated_people(api: Client, organisation: dict[str, Any]) -> None:
    User.objects.filter(pk=organisation["anna"].pk).update(is_active=False)
    names = [person["name"] for person in api.get("/api/people").json()["items"]]
    assert "Anna Andersson" not in names
    assert "Bo Berg" in names
    assert api.get(f"/api/people/{organisation['anna'].pk}").status_code == 404


def test_one_person_with_teams_and_roles(api: Client, organisation: dict[str, Any]) -> None:
    bo = organisation["bo"]
    body = api.get(f"/api/people/{bo.pk}").json()
    assert body == {
        "id": bo.pk,
        "name": "Bo Berg",
        "email": "bo@exempel.test",
        "title": "Enhetschef",
        "teams": [{"team": "team-norr", "role": "coach"}],
        "roles": ["facilitator"],
    }
    anna = api.get(f"/api/people/{organisation['anna'].pk}").json()
    assert anna["teams"] == [
        {"team": "lasframjarna", "role": "member"},
        {"team": "team-norr", "role": "member"},
    ]
    assert anna["roles"] == []
    assert api.get("/api/people/999999").status_code == 404


# --- Paging -----------------------------------------------------------------------------------------


def test_lists_are_paged_with_limit_and_offset(api: Client, reader: User) -> None:
    unit = UnitFactory()
    for n in range(7):
        TeamFactory(name=f"Team {n:02d}", slug=f"team-{n:02d}", unit=unit)
    first = api.get("/api/teams", {"limit": 3}).json()
    assert first["count"] == 7
    assert [team["slug"] for team in first["items"]] == ["team-00", "team-01", "team-02"]
    last = api.get("/api/teams", {"limit": 3, "offset": 6}).json()
    assert last["count"] == 7
    assert [team["slug"] for team in last["items"]] == ["team-06"]
    assert api.get("/api/teams", {"offset": 10}).json() == {"items": [], "count": 7}


@pytest.mark.parametrize("params", [{"limit": 0}, {"offset": -1}, {"limit": "many"}])
def test_bad_paging_parameters_answer_422(api: Client, params: dict[str, Any]) -> None:
    response = api.get("/api/teams", params)
    assert response.status_code == 422
    assert "detail" in response.json()


def test_a_page_is_at_most_200_items(api: Client, reader: User) -> None:
    unit = UnitFactory()
    TeamFactory.create_batch(205, unit=unit)
    body = api.get("/api/teams", {"limit": 1000}).json()
    assert body["count"] == 205
    assert len(body["items"]) == 200


# --- Query counts -----------------------------------------------------------------------------------


def _queries(api: Client, path: str) -> int:
    api.get(path)  # the first call of a token also records when it was used
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200
    return len(queries)


def _grow(rows: int) -> None:
    unit = UnitFactory(parent=UnitFactory())
    for _ in range(rows):
        team = TeamFactory(unit=unit)
        MembershipFactory(team=team, role=Membership.Role.COACH)
        MembershipFactory(team=team)
        UnitFactory(parent=unit)


@pytest.mark.parametrize("path", [*API_PATHS, "/api/teams?unit=", "/api/people?q=person"])
def test_list_queries_do_not_grow_with_the_data(api: Client, reader: User, path: str) -> None:
    _grow(3)
    few = _queries(api, path)
    _grow(30)
    assert _queries(api, path) == few
    assert few <= 3  # the token, the count, the page


def test_team_detail_queries_do_not_grow_with_its_members(api: Client, reader: User) -> None:
    team = TeamFactory(slug="stort-team")
    MembershipFactory.create_batch(3, team=team)
    few = _queries(api, "/api/teams/stort-team")
    MembershipFactory.create_batch(30, team=team)
    assert _queries(api, "/api/teams/stort-team") == few


def test_person_detail_queries_do_not_grow_with_their_teams(api: Client, reader: User) -> None:
    MembershipFactory.create_batch(3, person=reader)
    few = _queries(api, f"/api/people/{reader.pk}")
    MembershipFactory.create_batch(30, person=reader)
    assert _queries(api, f"/api/people/{reader.pk}") == few


# --- Schema and documentation -----------------------------------------------------------------------


def _resolve_refs(node: Any, schema: dict[str, Any]) -> None:
    """Every $ref in the schema points at something that exists."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref is not None:
            assert ref.startswith("#/"), ref
            target: Any = schema
            for part in ref[2:].split("/"):
                assert part in target, f"unresolved {ref}"
                target = target[part]
        for value in node.values():
            _resolve_refs(value, schema)
    elif isinstance(node, list):
        for value in node:
            _resolve_refs(value, schema)


def test_openapi_schema_is_openapi_3_with_the_paths_and_bearer_security(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Tillit API"
    assert schema["info"]["version"]
    expected = {
        "/api/units",
        "/api/units/{slug}",
        "/api/teams",
        "/api/teams/{slug}",
        "/api/people",
        "/api/people/{person_id}",
    }
    assert expected <= set(schema["paths"])
    schemes = schema["components"]["securitySchemes"]
    bearer = [
        name for name, scheme in schemes.items() if scheme == {**scheme, "type": "http", "scheme": "bearer"}
    ]
    assert bearer
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert method in {"get", "put", "post", "delete", "patch", "options", "head", "trace"}
            assert operation["responses"], f"{method} {path} has no responses"
            if path.startswith("/api/portfolio/"):  # open data: the published portfolio, for anyone
                assert not operation.get("security"), f"{method} {path} should be open"
            else:
                assert {bearer[0]: []} in operation["security"], f"{method} {path} is not behind the token"
            for parameter in operation.get("parameters", []):
                assert parameter["in"] in {"query", "path", "header", "cookie"}
                if parameter["in"] == "path":
                    assert parameter["required"] is True
                    assert "{" + parameter["name"] + "}" in path
    _resolve_refs(schema, schema)
    paged = schema["paths"]["/api/teams"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    name = paged["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][name]["properties"]) == {"items", "count"}


def test_api_documentation_page_lists_the_endpoints(client: Client) -> None:
    response = client.get("/api-dokumentation/")
    assert response.status_code == 200
    page = response.content.decode()
    for path in [
        "/api/units",
        "/api/units/{slug}",
        "/api/teams",
        "/api/teams/{slug}",
        "/api/people/{person_id}",
    ]:
        assert f"<code>{path}</code>" in page
    assert "Authorization: Bearer tlt_" in page
    assert 'href="/api/openapi.json"' in page


# --- Health -----------------------------------------------------------------------------------------


def test_healthz_reports_a_working_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_fails(client: Client) -> None:
    broken = mock.MagicMock()
    broken.cursor.side_effect = OperationalError("connection refused")
    with mock.patch("tillit.core.views.connection", broken):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["database"] == "unavailable"


def test_the_session_must_bring_the_csrf_token_to_change_anything(reader: User) -> None:
    """No endpoint writes yet; when one does, a page on another site must not be able to use the session."""
    from django.test import RequestFactory
    from ninja.errors import HttpError

    from tillit.core.api import session_auth

    factory = RequestFactory()  # requests made by hand carry no CSRF exemption
    reading = factory.get("/api/units")
    reading.user = reader
    reading.COOKIES["sessionid"] = "x"
    assert session_auth(reading) == reader
    writing = factory.post("/api/units")
    writing.user = reader
    writing.COOKIES["sessionid"] = "x"
    with pytest.raises(HttpError) as refused:
        session_auth(writing)
    assert refused.value.status_code == 403
