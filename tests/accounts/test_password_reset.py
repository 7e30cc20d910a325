"""Choosing a new password with a link sent by e-mail."""

import re
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.mail import EmailMessage
from django.test import Client

from tests.organisation.factories import PASSWORD, PersonFactory
from tillit.accounts.models import User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "ett-nytt-bättre-lösenord-2027"


@pytest.fixture
def anna() -> User:
    person: User = PersonFactory(full_name="Anna Andersson", email="anna@exempel.test")
    return person


def ask_for_link(client: Client, email: str) -> Any:
    return client.post("/losenord/glomt/", {"email": email})


def link_in(message: EmailMessage) -> str:
    found = re.search(r"http://testserver(/losenord/nytt/[^/\s]+/[^/\s]+/)", str(message.body))
    assert found, message.body
    return found.group(1)


def can_log_in(email: str, password: str) -> bool:
    browser = Client()
    browser.post("/logga-in/", {"username": email, "password": password})
    return browser.session.get(SESSION_KEY) is not None


def test_the_page_asks_for_the_email_address(client: Client) -> None:
    response = client.get("/losenord/glomt/")
    assert response.status_code == 200
    assert 'type="email"' in response.content.decode()


def test_a_reset_sends_a_link_that_sets_a_new_password(
    client: Client, mailoutbox: list[Any], anna: User
) -> None:
    response = ask_for_link(client, "Anna@Exempel.test")
    assert response.status_code == 302
    assert response["Location"] == "/losenord/skickat/"
    assert "Check your e-mail" in client.get("/losenord/skickat/").content.decode()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["anna@exempel.test"]
    assert message.subject
    assert "\n" not in message.subject

    form_page = client.get(link_in(message), follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/losenord/klart/"
    assert "Your password has been changed" in client.get("/losenord/klart/").content.decode()

    assert can_log_in("anna@exempel.test", NEW_PASSWORD)
    assert not can_log_in("anna@exempel.test", PASSWORD)


def test_the_link_works_once(client: Client, mailoutbox: list[Any], anna: User) -> None:
    ask_for_link(client, anna.email)
    link = link_in(mailoutbox[0])
    page = client.get(link, follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = Client()
    again.cookies["django_language"] = "en"
    response = again.get(link, follow=True)
    assert response.context["validlink"] is False
    assert "The link does not work" in response.content.decode()


def test_a_tampered_link_does_not_work(client: Client, mailoutbox: list[Any], anna: User) -> None:
    ask_for_link(client, anna.email)
    link = link_in(mailoutbox[0])
    response = client.get(link[:-3] + "xx/", follow=True)
    assert response.context["validlink"] is False


def test_a_weak_new_password_is_refused_with_an_explanation(
    client: Client, mailoutbox: list[Any], anna: User
) -> None:
    ask_for_link(client, anna.email)
    page = client.get(link_in(mailoutbox[0]), follow=True)
    response = client.post(page.redirect_chain[-1][0], {"new_password1": "12345", "new_password2": "12345"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert can_log_in(anna.email, PASSWORD)


def test_a_reset_for_an_unknown_email_reveals_nothing(
    client: Client, mailoutbox: list[Any], anna: User
) -> None:
    known = ask_for_link(client, anna.email)
    unknown = ask_for_link(client, "okand@exempel.test")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [message.to for message in mailoutbox] == [[anna.email]]


def test_no_link_is_sent_to_a_deactivated_person(client: Client, mailoutbox: list[Any], anna: User) -> None:
    User.objects.filter(pk=anna.pk).update(is_active=False)
    assert ask_for_link(client, anna.email).status_code == 302
    assert mailoutbox == []
