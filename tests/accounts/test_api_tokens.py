"""API tokens under “My account”: the key is shown once, only its hash is kept, and revoking stops it."""

import hashlib
import re

import pytest
from django.test import Client

from tests.organisation.factories import PersonFactory
from tillit.accounts import services
from tillit.accounts.models import ApiToken, User
from tillit.core.models import HistoryEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(client: Client) -> User:
    person: User = PersonFactory(full_name="Anna Andersson", email="anna@exempel.test")
    client.force_login(person)
    return person


def create_token(client: Client, name: str = "Diariet") -> str:
    response = client.post("/mitt-konto/", {"name": name})
    assert response.status_code == 200
    found = re.search(r"tlt_[A-Za-z0-9_-]{40,}", response.content.decode())
    assert found, "the new key is shown"
    return found.group(0)


def api(key: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_my_account_needs_a_login() -> None:
    response = Client().get("/mitt-konto/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")


def test_my_account_shows_who_i_am(client: Client, anna: User) -> None:
    page = client.get("/mitt-konto/").content.decode()
    assert "Anna Andersson" in page
    assert "anna@exempel.test" in page
    assert "You have no API tokens." in page


def test_a_new_key_is_shown_once_and_only_its_hash_is_kept(client: Client, anna: User) -> None:
    key = create_token(client)
    token = ApiToken.objects.get(user=anna)
    assert token.name == "Diariet"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in [str(value) for value in ApiToken.objects.values().get().values()]
    assert key.startswith("tlt_" + token.prefix)

    page = client.get("/mitt-konto/").content.decode()
    assert key not in page
    assert "Diariet" in page
    assert f"tlt_{token.prefix}" in page


def test_creating_a_token_writes_history(client: Client, anna: User) -> None:
    create_token(client)
    entry = HistoryEntry.objects.get(action="api_token.created")
    assert entry.actor == anna
    assert entry.changes == {"name": "Diariet"}


def test_a_token_needs_a_name(client: Client, anna: User) -> None:
    response = client.post("/mitt-konto/", {"name": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()
    assert "tlt_" not in response.content.decode()


def test_the_new_key_works_for_the_api(client: Client, anna: User) -> None:
    key = create_token(client)
    assert api(key).get("/api/people").status_code == 200


def test_revoking_a_token_stops_it(client: Client, anna: User) -> None:
    key = create_token(client)
    keep = create_token(client, name="BI")
    token = ApiToken.objects.get(name="Diariet")
    response = client.post(f"/mitt-konto/api-nycklar/{token.pk}/aterkalla/")
    assert response.status_code == 302
    assert response["Location"] == "/mitt-konto/"
    page = client.get("/mitt-konto/").content.decode()
    assert "The token “Diariet” no longer works." in page
    assert f"/mitt-konto/api-nycklar/{token.pk}/aterkalla/" not in page
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert HistoryEntry.objects.filter(action="api_token.revoked", actor=anna).exists()

    response = api(key).get("/api/people")
    assert response.status_code == 401
    assert api(keep).get("/api/people").status_code == 200


def test_revoking_is_only_by_post(client: Client, anna: User) -> None:
    create_token(client)
    token = ApiToken.objects.get()
    assert client.get(f"/mitt-konto/api-nycklar/{token.pk}/aterkalla/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_nobody_can_revoke_someone_elses_token(client: Client, anna: User) -> None:
    other = PersonFactory()
    token, other_key = services.api_token_create(actor=other, user=other, name="Annans")
    response = client.post(f"/mitt-konto/api-nycklar/{token.pk}/aterkalla/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api(other_key).get("/api/people").status_code == 200


def test_the_list_shows_only_my_tokens(client: Client, anna: User) -> None:
    other = PersonFactory()
    services.api_token_create(actor=other, user=other, name="Någon annans nyckel")
    create_token(client, name="Min nyckel")
    page = client.get("/mitt-konto/").content.decode()
    assert "Min nyckel" in page
    assert "Någon annans nyckel" not in page
