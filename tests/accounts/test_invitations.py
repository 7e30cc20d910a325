"""Invitations: an administrator invites someone by e-mail; the link creates their account once, in time."""

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation

from tests.organisation.factories import PersonFactory, TeamFactory
from tillit.accounts import services
from tillit.accounts.models import Invitation, User
from tillit.core.models import HistoryEntry
from tillit.organisation.models import Membership, Team
from tillit.organisation.services import person_create

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "mitt-eget-lösenord-2026"
IDENTITY_NUMBER = "19121212-1212"


@pytest.fixture
def team() -> Team:
    team: Team = TeamFactory(name="Team Norr", slug="team-norr")
    return team


@pytest.fixture
def invite(administrator: User, team: Team) -> Callable[..., tuple[Invitation, str]]:
    def invite(**fields: Any) -> tuple[Invitation, str]:
        values = {
            "email": "ny.person@exempel.test",
            "full_name": "Ny Person",
            "team": team,
            "team_role": "coach",
        }
        values.update(fields)
        with translation.override("en"):
            return services.invitation_create(
                actor=administrator, base_url="https://tillit.exempel.test/", **values
            )

    return invite


def accept(client: Client, token: str, full_name: str = "Ny Person", password: str = NEW_PASSWORD) -> Any:
    return client.post(
        f"/inbjudan/{token}/", {"full_name": full_name, "password1": password, "password2": password}
    )


def can_log_in(email: str, password: str) -> bool:
    browser = Client()
    browser.post("/logga-in/", {"username": email, "password": password})
    return browser.session.get(SESSION_KEY) is not None


# --- Sending ----------------------------------------------------------------------------------------


def test_the_invitation_is_mailed_once_the_transaction_commits(
    invite: Callable[..., tuple[Invitation, str]],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        invitation, token = invite(email="Ny.Person@Exempel.TEST")
        assert mailoutbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ny.person@exempel.test"]
    assert message.subject == "You are invited to Tillit"
    assert f"https://tillit.exempel.test/inbjudan/{token}/" in message.body
    assert "Ada Admin" in message.body
    assert invitation.email == "ny.person@exempel.test"


def test_no_mail_when_the_transaction_is_rolled_back(
    invite: Callable[..., tuple[Invitation, str]],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        invite()
        raise RuntimeError("something later failed")
    assert callbacks == []
    assert mailoutbox == []
    assert not Invitation.objects.exists()


def test_only_a_hash_of_the_token_is_stored(invite: Callable[..., tuple[Invitation, str]]) -> None:
    invitation, token = invite()
    invitation.refresh_from_db()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert len(token) >= 40
    stored = [str(value) for value in Invitation.objects.values().get().values()]
    assert token not in stored


def test_sending_writes_history(invite: Callable[..., tuple[Invitation, str]], administrator: User) -> None:
    invitation, _token = invite()
    entry = HistoryEntry.objects.get(action="invitation.sent")
    assert entry.object_id == str(invitation.pk)
    assert entry.actor == administrator


def test_an_email_that_already_has_an_account_is_refused(
    invite: Callable[..., tuple[Invitation, str]],
) -> None:
    PersonFactory(email="ny.person@exempel.test")
    with pytest.raises(ValidationError) as error, translation.override("en"):
        invite(email="Ny.Person@exempel.test")
    assert error.value.message_dict == {"email": ["Someone with this e-mail address already has an account."]}
    assert not Invitation.objects.exists()


def test_the_administrator_sees_why_an_invitation_was_refused(
    client: Client, administrator: User, mailoutbox: list[Any]
) -> None:
    PersonFactory(email="finns@exempel.test")
    client.force_login(administrator)
    response = client.post(
        "/administration/inbjudningar/",
        {"full_name": "Finns Redan", "email": "finns@exempel.test", "team": "", "team_role": "member"},
    )
    assert response.status_code in {200, 400}
    page = response.content.decode()
    assert "Someone with this e-mail address already has an account." in page
    assert 'value="Finns Redan"' in page
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_a_person_added_without_a_password_can_be_invited(
    client: Client, administrator: User, invite: Callable[..., tuple[Invitation, str]], team: Team
) -> None:
    """Adding someone to the organisation tells the administrator to invite them so they can log in."""
    person = person_create(actor=administrator, email="ny.person@exempel.test", full_name="Ny Person")
    _invitation, token = invite()
    response = accept(client, token, full_name="Ny Persson")
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="ny.person@exempel.test").count() == 1
    person.refresh_from_db()
    assert person.full_name == "Ny Persson"
    assert client.session[SESSION_KEY] == str(person.pk)
    assert can_log_in(person.email, NEW_PASSWORD)
    assert Membership.objects.filter(team=team, person=person, role="coach").exists()


# --- Accepting --------------------------------------------------------------------------------------


def test_the_link_shows_who_invited_and_to_which_team(
    client: Client, invite: Callable[..., tuple[Invitation, str]]
) -> None:
    _invitation, token = invite()
    response = client.get(f"/inbjudan/{token}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ada Admin has invited you" in page
    assert "ny.person@exempel.test" in page
    assert "Team Norr" in page
    assert 'value="Ny Person"' in page


def test_accepting_creates_the_account_and_joins_the_team(
    client: Client, invite: Callable[..., tuple[Invitation, str]], team: Team
) -> None:
    invitation, token = invite()
    response = accept(client, token, full_name="Ny Persson")
    assert response.status_code == 302
    assert response["Location"] == "/"
    person = User.objects.get(email="ny.person@exempel.test")
    assert person.full_name == "Ny Persson"
    assert client.session[SESSION_KEY] == str(person.pk)
    assert "Welcome to Tillit" in client.get("/").content.decode()
    assert Membership.objects.filter(team=team, person=person, role=Membership.Role.COACH).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.user == person
    actions = set(HistoryEntry.objects.filter(actor=person).values_list("action", flat=True))
    assert {"invitation.accepted", "person.created", "team.member_added"} <= actions

    client.post("/logga-ut/")
    assert can_log_in("ny.person@exempel.test", NEW_PASSWORD)


def test_an_invitation_without_a_team(client: Client, invite: Callable[..., tuple[Invitation, str]]) -> None:
    _invitation, token = invite(team=None)
    assert accept(client, token).status_code == 302
    assert not Membership.objects.filter(person__email="ny.person@exempel.test").exists()


def test_an_identity_number_in_the_name_is_refused_and_the_input_kept(
    client: Client, invite: Callable[..., tuple[Invitation, str]]
) -> None:
    _invitation, token = invite()
    response = accept(client, token, full_name=f"Ny Person {IDENTITY_NUMBER}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "personal identity number" in page
    assert f'value="Ny Person {IDENTITY_NUMBER}"' in page
    assert not User.objects.filter(email="ny.person@exempel.test").exists()


def test_passwords_that_differ_are_refused(
    client: Client, invite: Callable[..., tuple[Invitation, str]]
) -> None:
    _invitation, token = invite()
    response = client.post(
        f"/inbjudan/{token}/",
        {"full_name": "Ny Person", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )
    assert response.status_code == 200
    assert "The two passwords are not the same." in response.content.decode()
    assert not User.objects.filter(email="ny.person@exempel.test").exists()


def test_a_weak_password_is_refused(client: Client, invite: Callable[..., tuple[Invitation, str]]) -> None:
    _invitation, token = invite()
    response = accept(client, token, password="ny.person")
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="ny.person@exempel.test").exists()


def test_an_account_created_meanwhile_is_explained(
    client: Client, invite: Callable[..., tuple[Invitation, str]]
) -> None:
    _invitation, token = invite()
    PersonFactory(email="ny.person@exempel.test")
    response = accept(client, token)
    assert response.status_code == 200
    assert "Someone with this e-mail address already has an account." in response.content.decode()
    assert SESSION_KEY not in client.session


# --- Links that no longer work ----------------------------------------------------------------------


def test_an_expired_link_answers_410(client: Client, invite: Callable[..., tuple[Invitation, str]]) -> None:
    invitation, token = invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(f"/inbjudan/{token}/")
    assert response.status_code == 410
    assert "The link is too old, has been withdrawn or is incomplete." in response.content.decode()
    assert accept(client, token).status_code == 410
    assert not User.objects.filter(email="ny.person@exempel.test").exists()


def test_the_link_expires_after_the_configured_days(
    invite: Callable[..., tuple[Invitation, str]], settings: Any
) -> None:
    settings.INVITATION_VALID_DAYS = 3
    invitation, _token = invite()
    assert (
        timedelta(days=3) - timedelta(minutes=1) < invitation.expires_at - timezone.now() <= timedelta(days=3)
    )


def test_a_withdrawn_link_answers_410(
    client: Client, invite: Callable[..., tuple[Invitation, str]], administrator: User
) -> None:
    invitation, token = invite()
    services.invitation_revoke(actor=administrator, invitation=invitation)
    assert HistoryEntry.objects.filter(action="invitation.revoked", object_id=str(invitation.pk)).exists()
    response = client.get(f"/inbjudan/{token}/")
    assert response.status_code == 410
    assert "has been withdrawn" in response.content.decode()
    assert accept(client, token).status_code == 410


def test_a_used_link_answers_410_and_points_to_the_login(
    client: Client, invite: Callable[..., tuple[Invitation, str]]
) -> None:
    _invitation, token = invite()
    accept(client, token)
    client.post("/logga-ut/")
    response = client.get(f"/inbjudan/{token}/")
    assert response.status_code == 410
    page = response.content.decode()
    assert "This invitation has already been used." in page
    assert 'href="/logga-in/"' in page
    assert accept(client, token, password="ett-annat-lösenord-99").status_code == 410
    assert can_log_in("ny.person@exempel.test", NEW_PASSWORD)


def test_an_unknown_link_answers_410(client: Client) -> None:
    response = client.get("/inbjudan/inte-en-riktig-inbjudan/")
    assert response.status_code == 410
    assert "The invitation does not work" in response.content.decode()


def test_the_service_refuses_a_used_token_too(invite: Callable[..., tuple[Invitation, str]]) -> None:
    _invitation, token = invite()
    services.invitation_accept(token=token, full_name="Ny Person", password=NEW_PASSWORD)
    with pytest.raises(ValidationError):
        services.invitation_accept(token=token, full_name="Ny Person", password=NEW_PASSWORD)
    assert User.objects.filter(email="ny.person@exempel.test").count() == 1


def test_the_invitation_email_is_plain_text_with_the_link_alone_on_a_line(
    invite: Callable[..., tuple[Invitation, str]],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, token = invite(full_name="Åsa Öberg & Co")
    body = mailoutbox[0].body
    assert "Åsa Öberg & Co" in body  # not HTML-escaped
    assert re.search(rf"^https://tillit\.exempel\.test/inbjudan/{re.escape(token)}/$", body, re.MULTILINE)


def test_a_new_invitation_replaces_the_open_one(administrator):
    from tillit.accounts import services

    first, first_token = services.invitation_create(
        actor=administrator, email="ny@exempel.test", full_name="Ny", base_url="http://testserver"
    )
    second, second_token = services.invitation_create(
        actor=administrator, email="NY@exempel.test", full_name="Ny", base_url="http://testserver"
    )
    first.refresh_from_db()
    assert first.revoked_at is not None and not first.is_open
    assert second.is_open
    with pytest.raises(ValidationError):
        services.invitation_accept(token=first_token, full_name="Ny", password="ett-bra-lösenord-2026")
    assert services.invitation_accept(token=second_token, full_name="Ny", password="ett-bra-lösenord-2026")
