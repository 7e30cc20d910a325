"""The dialogue live, the way a hall sees it: Tillit under uvicorn (the ASGI server `make run` uses), a
facilitator's console and big screen, and phones that are pushed each change over server-sent events.

The other browser tests run against pytest-django's threaded WSGI live server, which cannot stream; this one
starts Tillit itself on a free loopback port with a SQLite database of its own, and checks that a phone
shows each new step without asking the server for its page again.
"""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from tests.e2e.conftest import PHONE, assert_accessible, watch_for_problems

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "fia@exempelstad.se"
PASSWORD = "live-dialog-test"


def tillit(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-m", "tillit", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def asgi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Tillit under uvicorn with a facilitator and an open dialogue at automatic tables of two.

    Returns the server's address and the dialogue's join code.
    """
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        TILLIT_DATA_DIR=str(tmp_path_factory.mktemp("asgi")),
        TILLIT_TESTING="1",
        DJANGO_SETTINGS_MODULE="tillit.config.settings",
        LOGIN_RATE_LIMIT="0",
    )
    tillit(env, "migrate", "--noinput", "-v", "0")
    code = tillit(
        env,
        "shell",
        "-c",
        "from tillit.accounts.models import User\n"
        "from tillit.organisation.models import RoleAssignment\n"
        "from tillit.dialogue import services\n"
        f"user = User.objects.create_user(email='{EMAIL}', password='{PASSWORD}', full_name='Fia Facilitator')\n"
        "RoleAssignment.objects.create(person=user, role=RoleAssignment.Role.FACILITATOR)\n"
        "dialogue = services.dialogue_create(actor=user, title='Arbetsplatsträff', table_size=2)\n"
        "services.dialogue_open(actor=user, dialogue=dialogue)\n"
        "print(dialogue.join_code)\n",
    ).splitlines()[-1]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable, "-m", "uvicorn", "tillit.config.asgi:application", "--host", "127.0.0.1",
        "--port", str(port), "--log-level", "warning", "--timeout-graceful-shutdown", "2",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)  # noqa: S603
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            assert server.poll() is None, "uvicorn stopped before it listened"
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", code
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def new_page(browser: Browser, base_url: str, **options: object) -> Page:
    context = browser.new_context(base_url=base_url, locale="sv-SE", **options)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    return watch_for_problems(context.new_page())


def page_requests(page: Page) -> list[str]:
    """Every page-part request a phone sends from now on: what a push makes unnecessary."""
    seen: list[str] = []

    def on_request(request: Request) -> None:
        if request.method == "GET" and "/delta/" in request.url:
            seen.append(request.url)

    page.on("request", on_request)
    return seen


def test_a_step_change_reaches_every_phone_without_a_page_request(
    browser: Browser, asgi: tuple[str, str]
) -> None:
    base_url, code = asgi
    console = new_page(browser, base_url)
    console.goto("/logga-in/")
    console.locator("input[name=username]").fill(EMAIL)
    console.locator("input[name=password]").fill(PASSWORD)
    console.locator("main form button[type=submit]").click()
    console.wait_for_url(f"{base_url}/")
    console.goto("/dialog/")
    console.locator("main a", has_text="Arbetsplatsträff").first.click()
    expect(console.locator("main h1")).to_have_text("Arbetsplatsträff")
    console_url = console.url
    screen = new_page(browser, base_url, storage_state=console.context.storage_state())
    screen.goto(console_url + "storbild/")
    assert_accessible(screen)

    phones = [new_page(browser, base_url, viewport=PHONE) for _ in range(3)]
    for phone in phones:
        response = phone.goto(f"/d/{code}/")
        assert response is not None and response.status == 200
        phone.locator("main form button[type=submit]").click()
        expect(phone.locator(".dialogue-phone")).to_be_visible()
        expect(phone.locator("[data-live-url]")).to_have_attribute("data-live-connected", "1")
    expect(screen.locator("main")).to_contain_text("3")
    fetched = [page_requests(phone) for phone in phones]
    for phone in phones:
        phone.evaluate("window.tillitLoadedOnce = true")

    # The facilitator starts: every phone shows the reflection step from the push.
    console.locator("#console button[name=action][value=advance]").first.click()
    for phone in phones:
        expect(phone.locator(".step-question")).to_have_text("Hur har vi det nu?")
        expect(phone.locator("textarea[name=text]")).to_be_visible()
        assert phone.evaluate("window.tillitLoadedOnce") is True, "the phone reloaded instead of being pushed"
        assert_accessible(phone)
    assert fetched == [[], [], []]
    expect(screen.locator(".step-question")).to_contain_text("Hur har vi det nu?")

    for phone, text in zip(phones, ["Delaktighet", "Delaktiga medarbetare", "Tid att tänka"], strict=True):
        phone.locator("textarea[name=text]").fill(text)
        phone.locator("main form button[type=submit]").first.click()
        expect(phone.locator(".notes")).to_contain_text(text)
    expect(screen.locator("[data-notes]")).to_have_text("3 anteckningar")

    # A pause reaches the phones as data: the timer says so, and nothing else is fetched.
    pause = console.locator("#console button[name=action][value=pause]").first
    pause.click()
    for phone in phones:
        expect(phone.locator(".timer__paused")).to_be_visible()
    # The console redraws itself after the pause: click its new "Resume", not the button it replaced.
    expect(pause).to_have_text("Fortsätt")
    pause.click()
    for phone in phones:
        expect(phone.locator(".timer__paused")).to_be_hidden()

    # Text typed but not sent stays on the phone when the step moves on.
    phones[2].locator("textarea[name=text]").fill("En tanke jag inte skickade")
    console.locator("#console button[name=action][value=advance]").first.click()
    first_table = phones[0].locator(".dialogue-phone")
    expect(first_table).to_contain_text("Vad vill vi utveckla?")
    expect(phones[0].locator("main")).to_contain_text("Delaktiga medarbetare")
    expect(phones[2].locator(".unsent textarea")).to_have_value("En tanke jag inte skickade")
    expect(phones[2].locator("main")).not_to_contain_text("Delaktiga medarbetare")
    for phone in phones:
        assert phone.evaluate("window.tillitLoadedOnce") is True
        assert_accessible(phone)
    assert fetched == [[], [], []]
    # Two forms of one word are counted as one word.
    expect(screen.locator(".word-list")).to_contain_text(re.compile(r"delaktig\w* \(2\)"))
    assert_accessible(screen)
