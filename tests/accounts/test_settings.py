"""How the environment configures e-mail, sign-on and the lock-out: settings are loaded afresh in a subprocess."""

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core import mail
backend = mail.mailers["default"]
print(json.dumps({
    "backend": type(backend).__module__ + "." + type(backend).__name__,
    "smtp": {name: getattr(backend, name, None) for name in ("host", "port", "username", "password", "use_tls")},
    "oidc_enabled": settings.OIDC_ENABLED,
    "oidc_backend": "tillit.accounts.oidc.TillitOIDCBackend" in settings.AUTHENTICATION_BACKENDS,
    "oidc_create_user": settings.OIDC_CREATE_USER,
    "axes_failure_limit": settings.AXES_FAILURE_LIMIT,
    "axes_lockout_parameters": settings.AXES_LOCKOUT_PARAMETERS,
}))
"""


def load_settings(data_dir: Path, env: dict[str, str]) -> Any:
    """Tillit's settings as a fresh process sees them with only these variables set; the error if it fails."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("EMAIL_", "OIDC_", "LOGIN_", "DJANGO_", "TILLIT_"))
    }
    clean.update(
        {
            "DJANGO_SETTINGS_MODULE": "tillit.config.settings",
            "TILLIT_TESTING": "1",
            "TILLIT_DATA_DIR": str(data_dir),
            **env,
        }
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, timeout=60, check=False
    )
    if result.returncode != 0:
        return result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


OIDC_ENV = {
    "OIDC_RP_CLIENT_ID": "tillit",
    "OIDC_RP_CLIENT_SECRET": "hemligt",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.exempel.test/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.exempel.test/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.exempel.test/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.exempel.test/jwks",
}
OIDC_REQUIRED = ["OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT", "OIDC_RP_CLIENT_SECRET"]


def _without(name: str) -> dict[str, str]:
    return {key: value for key, value in OIDC_ENV.items() if key != name}


CONFIGURATIONS: dict[str, dict[str, str]] = {
    "nothing set": {},
    "smtp": {
        "EMAIL_HOST": "smtp.exempel.test",
        "EMAIL_PORT": "2525",
        "EMAIL_HOST_USER": "tillit",
        "EMAIL_HOST_PASSWORD": "hemligt",
        "EMAIL_USE_TLS": "false",
    },
    "smtp host only": {"EMAIL_HOST": "smtp.exempel.test"},
    "sso": OIDC_ENV,
    "sso creating accounts": {**OIDC_ENV, "OIDC_CREATE_USER": "true"},
    "sso with hs256 and no key endpoint": {**_without("OIDC_OP_JWKS_ENDPOINT"), "OIDC_RP_SIGN_ALGO": "HS256"},
    **{f"sso without {name}": _without(name) for name in OIDC_REQUIRED},
    "lock-out after 3": {"LOGIN_FAILURE_LIMIT": "3"},
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every configuration above, each loaded by its own process, all at once (each takes a second or two)."""
    data_dir = tmp_path_factory.mktemp("data")
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(load_settings, data_dir, env) for name, env in CONFIGURATIONS.items()}
        return {name: future.result() for name, future in futures.items()}


def test_mail_is_printed_to_the_console_without_an_smtp_host(loaded: dict[str, Any]) -> None:
    assert loaded["nothing set"]["backend"] == "django.core.mail.backends.console.EmailBackend"


def test_mail_goes_by_smtp_when_a_host_is_set(loaded: dict[str, Any]) -> None:
    assert loaded["smtp"]["backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert loaded["smtp"]["smtp"] == {
        "host": "smtp.exempel.test",
        "port": 2525,
        "username": "tillit",
        "password": "hemligt",
        "use_tls": False,
    }


def test_smtp_defaults_to_the_submission_port_with_starttls(loaded: dict[str, Any]) -> None:
    assert loaded["smtp host only"]["smtp"]["port"] == 587
    assert loaded["smtp host only"]["smtp"]["use_tls"] is True


def test_sso_is_off_without_a_client_id(loaded: dict[str, Any]) -> None:
    assert loaded["nothing set"]["oidc_enabled"] is False
    assert loaded["nothing set"]["oidc_backend"] is True  # listed, but it does nothing while SSO is off


def test_sso_is_on_with_a_client_id_and_the_endpoints(loaded: dict[str, Any]) -> None:
    assert loaded["sso"]["oidc_enabled"] is True
    assert loaded["sso"]["oidc_backend"] is True
    assert loaded["sso"]["oidc_create_user"] is False
    assert loaded["sso creating accounts"]["oidc_create_user"] is True


@pytest.mark.parametrize("missing", OIDC_REQUIRED)
def test_sso_half_configured_stops_the_start_with_a_clear_error(loaded: dict[str, Any], missing: str) -> None:
    error = loaded[f"sso without {missing}"]
    assert isinstance(error, str)
    assert "ImproperlyConfigured" in error
    assert missing in error


def test_hs256_needs_no_key_endpoint(loaded: dict[str, Any]) -> None:
    assert loaded["sso with hs256 and no key endpoint"]["oidc_enabled"] is True


def test_the_lock_out_is_after_five_failures_by_account_and_address(loaded: dict[str, Any]) -> None:
    assert loaded["nothing set"]["axes_failure_limit"] == 5
    assert loaded["nothing set"]["axes_lockout_parameters"] == [["username", "ip_address"]]
    assert loaded["lock-out after 3"]["axes_failure_limit"] == 3
