"""Logging in and out with e-mail and password, and the lock-out after too many wrong passwords."""

from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from pytest_django import Settings

from tests.organisation.factories import PASSWORD, PersonFactory
from tillit.accounts.models import User

pytestmark = pytest.mark.django_db

WRONG = "inte-mitt-lösenord-1"


@pytest.fixture
def anna() -> User:
    person: User = PersonFactory(full_name="Anna Andersson", email="anna@exempel.test")
    return person


@pytest.fixture
def bo() -> User:
    person: User = PersonFactory(full_name="Bo Berg", email="bo@exempel.test")
    return person


def logged_in_as(client: Client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def log_in(client: Client, email: str, password: str, **extra: str) -> Any:
    return client.post("/logga-in/", {"username": email, "password": password}, **extra)


# --- Logging in and out -----------------------------------------------------------------------------


def test_the_login_page_asks_for_email_and_password(client: Client) -> None:
    response = client.get("/logga-in/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="email"' in page
    assert 'name="username"' in page
    assert 'autocomplete="email"' in page
    assert 'type="password"' in page
    assert 'href="/losenord/glomt/"' in page


def test_logging_in_with_email_and_password(client: Client, anna: User) -> None:
    response = log_in(client, "anna@exempel.test", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_as(client) == anna.pk


def test_the_email_address_may_be_written_in_any_case(client: Client, anna: User) -> None:
    log_in(client, "  Anna@Exempel.TEST ", PASSWORD)
    assert logged_in_as(client) == anna.pk


def test_logging_in_returns_to_the_page_asked_for(client: Client, anna: User) -> None:
    response = client.get("/mitt-konto/")
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/?next=/mitt-konto/"
    response = client.post(
        "/logga-in/", {"username": anna.email, "password": PASSWORD, "next": "/mitt-konto/"}
    )
    assert response["Location"] == "/mitt-konto/"


def test_a_next_address_on_another_site_is_ignored(client: Client, anna: User) -> None:
    response = client.post(
        "/logga-in/", {"username": anna.email, "password": PASSWORD, "next": "https://elak.example/"}
    )
    assert response["Location"] == "/"


def test_a_wrong_password_explains_and_keeps_the_email(client: Client, anna: User) -> None:
    response = log_in(client, "anna@exempel.test", WRONG)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The e-mail address or password is wrong" in page
    assert 'value="anna@exempel.test"' in page
    assert WRONG not in page
    assert logged_in_as(client) is None


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(client: Client, anna: User) -> None:
    response = log_in(client, "okand@exempel.test", WRONG)
    assert response.status_code == 200
    assert "The e-mail address or password is wrong" in response.content.decode()


def test_a_deactivated_person_cannot_log_in(client: Client, anna: User) -> None:
    User.objects.filter(pk=anna.pk).update(is_active=False)
    response = log_in(client, anna.email, PASSWORD)
    assert response.status_code == 200
    assert logged_in_as(client) is None


def test_someone_logged_in_is_sent_on_from_the_login_page(client: Client, anna: User) -> None:
    client.force_login(anna)
    response = client.get("/logga-in/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logout_is_only_by_post(client: Client, anna: User) -> None:
    client.force_login(anna)
    assert client.get("/logga-ut/").status_code == 405
    assert logged_in_as(client) == anna.pk
    response = client.post("/logga-ut/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_as(client) is None
    assert client.get("/mitt-konto/").status_code == 302


def test_logout_needs_the_csrf_token(anna: User) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(anna)
    assert browser.post("/logga-ut/").status_code == 403
    assert logged_in_as(browser) == anna.pk


def test_the_page_header_logs_out_with_a_form(client: Client, anna: User) -> None:
    client.force_login(anna)
    page = client.get("/").content.decode()
    assert 'action="/logga-ut/" method="post"' in page


# --- Lock-out after wrong passwords -----------------------------------------------------------------


def fail(client: Client, email: str, times: int, address: str = "127.0.0.1") -> list[int]:
    return [log_in(client, email, WRONG, REMOTE_ADDR=address).status_code for _ in range(times)]


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client: Client, anna: User) -> None:
    assert fail(client, anna.email, 4) == [200, 200, 200, 200]
    assert fail(client, anna.email, 1) == [429]
    response = log_in(client, anna.email, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed attempts" in page
    assert 'href="/losenord/glomt/"' in page
    assert logged_in_as(client) is None


def test_the_lock_out_counts_any_spelling_of_the_address(client: Client, anna: User) -> None:
    for spelling in ["anna@exempel.test", "Anna@exempel.test", "ANNA@EXEMPEL.TEST", "anna@Exempel.test"]:
        log_in(client, spelling, WRONG)
    assert log_in(client, " Anna@Exempel.Test", WRONG).status_code == 429
    assert log_in(client, anna.email, PASSWORD).status_code == 429


def test_other_accounts_are_not_locked(client: Client, anna: User, bo: User) -> None:
    fail(client, anna.email, 5)
    assert log_in(client, anna.email, PASSWORD).status_code == 429
    response = log_in(client, bo.email, PASSWORD)
    assert response.status_code == 302
    assert logged_in_as(client) == bo.pk


def test_the_same_account_from_another_address_is_not_locked(client: Client, anna: User) -> None:
    fail(client, anna.email, 5, address="10.0.0.1")
    assert log_in(client, anna.email, PASSWORD, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert log_in(client, anna.email, PASSWORD, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_a_success_resets_the_count(client: Client, anna: User) -> None:
    fail(client, anna.email, 4)
    assert log_in(client, anna.email, PASSWORD).status_code == 302
    client.post("/logga-ut/")
    assert fail(client, anna.email, 4) == [200, 200, 200, 200]
    assert log_in(client, anna.email, PASSWORD).status_code == 302
    assert logged_in_as(client) == anna.pk


def test_the_limit_comes_from_the_settings(client: Client, anna: User, settings: Settings) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    assert fail(client, anna.email, 2) == [200, 429]
