import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

SRC = Path(__file__).resolve().parents[2] / "src" / "tillit"


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "TILLIT_TESTING", "DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        SECRET_KEY="a-long-random-secret-key-for-the-deploy-check-0123456789-abcdefghij",
        ALLOWED_HOSTS="tillit.exempelstad.se",
        EMAIL_HOST="smtp.exempelstad.se",
        TILLIT_DATA_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-m", "tillit", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "TILLIT_TESTING", "SECRET_KEY"}
    }
    env["TILLIT_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "tillit", "check"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    response = client.get(reverse("core:home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_scripts_styles_or_handlers():
    offenders = []
    for template in SRC.rglob("templates/**/*.html"):
        text = template.read_text()
        for needle in ("<script>", " style=", " onclick=", " onload=", " onsubmit=", "javascript:"):
            if needle in text:
                offenders.append(f"{template.relative_to(SRC)}: {needle.strip()}")
        for line in text.splitlines():
            if "<script" in line and "src=" not in line:
                offenders.append(f"{template.relative_to(SRC)}: inline <script>")
    assert offenders == []


@pytest.mark.django_db
def test_forms_are_protected_against_cross_site_requests(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("accounts:login"), {"username": "a@b.se", "password": "x"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_error_pages_are_tillit_pages_in_swedish(client):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="sv">' in page and 'class="skip-link"' in page
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("accounts:login"), {"username": "a@b.se", "password": "x"})
    assert response.status_code == 403
    assert 'class="skip-link"' in response.content.decode()
