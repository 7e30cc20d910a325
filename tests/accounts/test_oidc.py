"""Single sign-on by OpenID Connect, end to end against a stand-in identity provider."""

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY, authenticate
from django.test import Client, RequestFactory
from django.test.client import MULTIPART_CONTENT
from pytest_django import Settings

from tests.accounts.oidc_provider import CLIENT_ID, StandInProvider
from tests.organisation.factories import PASSWORD, PersonFactory
from tillit.accounts.models import User
from tillit.core.models import HistoryEntry

pytestmark = pytest.mark.django_db

REFUSED = "Logging in with single sign-on did not succeed"


@pytest.fixture
def provider() -> Iterator[StandInProvider]:
    stand_in = StandInProvider().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def sso(provider: StandInProvider, settings: Settings) -> StandInProvider:
    """Tillit configured, as an operator would, to log in through the stand-in provider."""
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    settings.OIDC_CREATE_USER = False
    return provider


@pytest.fixture
def anna() -> User:
    person: User = PersonFactory(full_name="Anna Andersson", email="anna.andersson@exempel.test")
    return person


def start_login(client: Client, query: str = "") -> str:
    """Tillit's half of the first leg: the browser is sent to the provider. Returns where to."""
    response = client.get("/oidc/authenticate/" + query)
    assert response.status_code == 302
    return str(response["Location"])


def through_provider(provider_url: str) -> str:
    """The provider's half: the person logs in there and is sent back with a code. Returns Tillit's path."""
    answer = requests.get(provider_url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    assert (back.scheme, back.netloc, back.path) == ("http", "testserver", "/oidc/callback/")
    return f"{back.path}?{back.query}"


def sso_login(client: Client, query: str = "") -> Any:
    """The whole round trip; returns Tillit's answer to the callback."""
    return client.get(through_provider(start_login(client, query)))


def logged_in_as(client: Client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def refused(client: Client, response: Any) -> bool:
    """Sent back to the login page with an explanation, and not logged in."""
    if (
        response.status_code != 302
        or response["Location"] != "/logga-in/"
        or logged_in_as(client) is not None
    ):
        return False
    page = client.get("/logga-in/")
    return REFUSED in page.content.decode()


# --- The flow ---------------------------------------------------------------------------------------


def test_authenticate_sends_the_browser_to_the_provider_with_state_nonce_and_pkce(
    client: Client, sso: StandInProvider
) -> None:
    location = urlsplit(start_login(client))
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{sso.url}/authorize"
    params = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert params["response_type"] == "code"
    assert params["client_id"] == CLIENT_ID
    assert params["redirect_uri"] == "http://testserver/oidc/callback/"
    assert {"openid", "email"} <= set(params["scope"].split())
    assert len(params["state"]) >= 32
    assert len(params["nonce"]) >= 32
    assert params["code_challenge_method"] == "S256"
    remembered = client.session["oidc_states"][params["state"]]
    assert remembered["nonce"] == params["nonce"]
    assert remembered["code_verifier"]


def test_a_known_person_is_logged_in_whatever_the_case_of_the_email(
    client: Client, sso: StandInProvider, anna: User
) -> None:
    sso.login_as(email="Anna.Andersson@EXEMPEL.test", name="Anna Andersson")
    response = sso_login(client)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_as(client) == anna.pk
    assert client.get("/mitt-konto/").status_code == 200
    token_request = sso.token_requests[-1]
    assert token_request["client_secret"]
    assert token_request["code_verifier"]


def test_the_person_returns_to_the_page_they_asked_for(
    client: Client, sso: StandInProvider, anna: User
) -> None:
    sso.login_as(email=anna.email)
    response = sso_login(client, "?next=/mitt-konto/")
    assert response["Location"] == "/mitt-konto/"


def test_a_next_address_on_another_site_is_ignored(client: Client, sso: StandInProvider, anna: User) -> None:
    sso.login_as(email=anna.email)
    response = sso_login(client, "?next=https://elak.example/")
    assert response["Location"] == "/"
    assert logged_in_as(client) == anna.pk


def test_works_with_hs256_signed_by_the_client_secret(
    client: Client, sso: StandInProvider, settings: Settings, anna: User
) -> None:
    sso.algorithm = settings.OIDC_RP_SIGN_ALGO = "HS256"
    sso.login_as(email=anna.email)
    sso_login(client)
    assert logged_in_as(client) == anna.pk


def test_password_login_never_reaches_the_provider(client: Client, sso: StandInProvider, anna: User) -> None:
    response = client.post("/logga-in/", {"username": anna.email, "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_as(client) == anna.pk
    request = RequestFactory().get("/oidc/callback/?code=x&state=y")
    assert authenticate(request, username=anna.email, password="fel-lösenord-123") is None
    assert sso.token_requests == []


# --- Refusals ---------------------------------------------------------------------------------------


def test_an_unknown_email_is_refused(client: Client, sso: StandInProvider) -> None:
    sso.login_as(email="okand@exempel.test", name="Okänd Person")
    assert refused(client, sso_login(client))
    assert not User.objects.filter(email="okand@exempel.test").exists()


def test_an_unknown_email_gets_an_account_when_configured_to(
    client: Client, sso: StandInProvider, settings: Settings
) -> None:
    settings.OIDC_CREATE_USER = True
    sso.login_as(email="Ny.Person@Exempel.test", given_name="Ny", family_name="Person")
    sso_login(client)
    person = User.objects.get(email="ny.person@exempel.test")
    assert logged_in_as(client) == person.pk
    assert person.full_name == "Ny Person"
    assert not person.has_usable_password()
    assert HistoryEntry.objects.filter(object_id=str(person.pk), action="person.created").exists()


def test_claims_that_do_not_make_a_valid_person_are_refused(
    client: Client, sso: StandInProvider, settings: Settings
) -> None:
    settings.OIDC_CREATE_USER = True
    sso.login_as(email="not an address")
    assert refused(client, sso_login(client))
    assert User.objects.count() == 0


@pytest.mark.parametrize("create_user", [False, True])
def test_a_deactivated_person_is_refused(
    client: Client, sso: StandInProvider, settings: Settings, anna: User, create_user: bool
) -> None:
    settings.OIDC_CREATE_USER = create_user
    User.objects.filter(pk=anna.pk).update(is_active=False)
    sso.login_as(email=anna.email)
    assert refused(client, sso_login(client))
    assert User.objects.filter(email__iexact=anna.email).count() == 1


def test_a_person_deactivated_after_logging_in_loses_the_session(
    client: Client, sso: StandInProvider, anna: User
) -> None:
    sso.login_as(email=anna.email)
    sso_login(client)
    assert client.get("/mitt-konto/").status_code == 200
    User.objects.filter(pk=anna.pk).update(is_active=False)
    response = client.get("/mitt-konto/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")


def test_an_unverified_email_is_refused(client: Client, sso: StandInProvider, anna: User) -> None:
    sso.login_as(email=anna.email, email_verified=False)
    assert refused(client, sso_login(client))


def test_claims_without_an_email_are_refused(client: Client, sso: StandInProvider, anna: User) -> None:
    sso.login_as(name="Anna Andersson")
    assert refused(client, sso_login(client))


@pytest.mark.parametrize("algorithm", ["RS256", "HS256"])
def test_an_id_token_with_a_wrong_signature_is_refused(
    client: Client, sso: StandInProvider, settings: Settings, anna: User, algorithm: str
) -> None:
    sso.algorithm = settings.OIDC_RP_SIGN_ALGO = algorithm
    sso.sign_with_other_key = True
    sso.login_as(email=anna.email)
    assert refused(client, sso_login(client))


def test_an_id_token_signed_with_another_algorithm_is_refused(
    client: Client, sso: StandInProvider, anna: User
) -> None:
    sso.algorithm = "HS256"  # Tillit expects RS256
    sso.login_as(email=anna.email)
    assert refused(client, sso_login(client))


def test_an_id_token_with_a_wrong_nonce_is_refused(client: Client, sso: StandInProvider, anna: User) -> None:
    sso.wrong_nonce = True
    sso.login_as(email=anna.email)
    assert refused(client, sso_login(client))


def test_an_id_token_for_another_client_is_refused(client: Client, sso: StandInProvider, anna: User) -> None:
    sso.wrong_audience = True
    sso.login_as(email=anna.email)
    assert refused(client, sso_login(client))


def test_an_expired_id_token_is_refused(client: Client, sso: StandInProvider, anna: User) -> None:
    sso.expired = True
    sso.login_as(email=anna.email)
    assert refused(client, sso_login(client))


def test_a_callback_with_a_state_tillit_did_not_issue_is_refused(
    client: Client, sso: StandInProvider, anna: User
) -> None:
    start_login(client)
    sso.login_as(email=anna.email)
    forged = through_provider(
        f"{sso.url}/authorize?response_type=code&scope=openid&client_id={CLIENT_ID}"
        "&redirect_uri=http://testserver/oidc/callback/&state=forged&nonce=n"
    )
    assert refused(client, client.get(forged))


def test_a_callback_in_a_browser_that_never_started_a_login_is_refused(
    client: Client, sso: StandInProvider, anna: User
) -> None:
    victim = Client()
    sso.login_as(email=anna.email)
    callback = through_provider(start_login(victim))
    assert refused(client, client.get(callback))


def test_a_callback_cannot_be_replayed(client: Client, sso: StandInProvider, anna: User) -> None:
    sso.login_as(email=anna.email)
    callback = through_provider(start_login(client))
    client.get(callback)
    assert logged_in_as(client) == anna.pk
    client.post("/logga-ut/")
    assert refused(client, client.get(callback))


def test_a_refusal_at_the_provider_is_explained(client: Client, sso: StandInProvider) -> None:
    start_login(client)
    state = next(iter(client.session["oidc_states"]))
    assert refused(client, client.get(f"/oidc/callback/?error=access_denied&state={state}"))


def test_a_provider_that_does_not_answer_is_explained(
    client: Client, sso: StandInProvider, anna: User
) -> None:
    sso.login_as(email=anna.email)
    callback = through_provider(start_login(client))
    sso.stop()
    assert refused(client, client.get(callback))


# --- On or off --------------------------------------------------------------------------------------


def test_without_configuration_the_sso_routes_answer_404(client: Client, settings: Settings) -> None:
    settings.OIDC_ENABLED = False
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_without_configuration_the_backend_does_nothing(
    sso: StandInProvider, settings: Settings, anna: User
) -> None:
    settings.OIDC_ENABLED = False
    from tillit.accounts.oidc import TillitOIDCBackend

    request = RequestFactory().get("/oidc/callback/?code=x&state=y")
    assert TillitOIDCBackend().authenticate(request, nonce="n", code_verifier=None) is None
    assert sso.token_requests == []


def test_the_login_page_offers_sso_only_when_configured(client: Client, settings: Settings) -> None:
    settings.OIDC_ENABLED = False
    page = client.get("/logga-in/").content.decode()
    assert "/oidc/authenticate/" not in page
    assert "single sign-on" not in page
    settings.OIDC_ENABLED = True
    page = client.get("/logga-in/?next=/mitt-konto/").content.decode()
    assert 'href="/oidc/authenticate/?next=/mitt-konto/"' in page
    assert "Log in with single sign-on" in page


def test_the_sso_button_leads_into_the_flow(client: Client, sso: StandInProvider, anna: User) -> None:
    page = client.get("/logga-in/").content.decode()
    assert 'href="/oidc/authenticate/"' in page
    sso.login_as(email=anna.email)
    sso_login(client)
    assert logged_in_as(client) == anna.pk


def test_post_to_the_callback_is_not_allowed(client: Client, sso: StandInProvider) -> None:
    assert client.post("/oidc/callback/", {}, content_type=MULTIPART_CONTENT).status_code == 405


def test_refused_sso_attempts_do_not_lock_anyone_out(
    client: Client, sso: StandInProvider, anna: User
) -> None:
    """People without an account trying SSO from the town hall's shared address must not lock out the rest."""
    for _ in range(6):
        sso.login_as(email="okand@exempel.test")
        assert refused(client, sso_login(client))
    sso.login_as(email=anna.email)
    response = sso_login(client)
    assert response.status_code == 302
    assert logged_in_as(client) == anna.pk
    client.post("/logga-ut/")
    assert client.post("/logga-in/", {"username": anna.email, "password": PASSWORD}).status_code == 302
