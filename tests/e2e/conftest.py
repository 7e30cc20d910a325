"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server, and every page a
test reaches is checked with axe-core against WCAG 2.1 A and AA.

Helpers for the tests in this directory:

* ``visit(page, path)`` opens an address and checks the page that answers;
* ``click_through(page, locator)`` clicks a link or submit button, waits for the page that follows (the
  same form shown again with its errors, or wherever a redirect leads) and checks it;
* ``assert_accessible(page)`` runs axe-core on the page as it is now;
* ``login(page, email)`` and ``logout(page)`` go through the real forms.
"""

import functools
import json
import os
import re
import sqlite3
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    BrowserType,
    ConsoleMessage,
    Locator,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

E2E_DIR = Path(__file__).resolve().parent
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SOURCE = E2E_DIR.parents[1] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000

ANNA = "anna@exempelstad.se"
COACH = "coach@exempelstad.se"
FACILITATOR = "facilitator@exempelstad.se"
ADMIN = "admin@exempelstad.se"
LEAD = "utveckling@exempelstad.se"
TEAM_NORR = "/team/barn-unga-familj-team-norr/"


def is_e2e(item: pytest.Item) -> bool:
    """Whether a test is in this directory: collection and run hooks in a conftest see every test."""
    return E2E_DIR in Path(item.path).resolve().parents


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Marks every test here as e2e, and skips them all when there is no browser to drive."""
    chromium_missing = not os.access(CHROMIUM, os.X_OK)
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM}: install it with `sudo apt-get install chromium` "
        "or point CHROMIUM_PATH at it (`make test` installs it)"
    )
    for item in items:
        if is_e2e(item):
            item.add_marker(pytest.mark.e2e)
            if chromium_missing:
                item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, object, object]:
    """Lets Django run ORM calls while the sync Playwright API has an event loop in the test thread.

    Only around the browser tests, which share nothing but the test database with the live server: set
    for the whole test run, the variable would reach other tests' subprocesses (``check --deploy`` refuses
    it) and hide real async-safety mistakes.
    """
    if not is_e2e(item):
        return (yield)
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        return (yield)
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


# Playwright and the browser live as long as this package's tests, not the whole session, so that the
# event loop they keep in the test thread is gone before the next package's tests run Django code.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="package")
def browser_type(playwright: Playwright, browser_name: str) -> BrowserType:
    browser_type: BrowserType = getattr(playwright, browser_name)
    return browser_type


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium: Playwright cannot download its own browser on this machine."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="package")
def browser(browser_type: BrowserType, browser_type_launch_args: dict[str, Any]) -> Iterator[Browser]:
    browser = browser_type.launch(**browser_type_launch_args)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    """Relative addresses in page.goto, wait_for_url and expect(...).to_have_url go to the live server."""
    return str(live_server.url)


@pytest.fixture(scope="package")
def browser_context_args(base_url: str) -> dict[str, Any]:
    """A desktop window whose browser asks for English: Tillit must answer in Swedish all the same."""
    return {"base_url": base_url, "viewport": DESKTOP, "locale": "en-GB"}


@pytest.fixture
def context(context: BrowserContext) -> BrowserContext:
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


def watch_for_problems(page: Page) -> Page:
    """Collects script errors and content-security-policy refusals on the page; the next check fails on them."""
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"CSP refusal: {message.text}")

    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", on_console)
    page._tillit_problems = problems  # type: ignore[attr-defined]
    return page


@pytest.fixture
def page(page: Page) -> Page:
    return watch_for_problems(page)


_exempelstad_copy: dict[str, sqlite3.Connection] = {}


@pytest.fixture
def exempelstad(live_server: Any) -> Any:
    """The demo municipality Exempelstad with its demo decisions, roles, meetings, labs, initiatives and
    ideas, its follow-up (team Norr's surveys, indicators with recorded Kolada figures, the inventory of
    rules and reporting), team Norr's economy and HR processes, and the citizen panel, fresh for each test (the live server's database is emptied after each test).
    Returns the live server.

    On the in-memory SQLite test database the first test builds it and keeps a copy, and later tests restore
    that copy with SQLite's backup API, which takes milliseconds instead of half a second; on other
    databases every test builds it.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from tillit.citizens.demo import load_demo_citizens
    from tillit.decisions.demo import load_demo_decisions
    from tillit.economy.demo import load_demo_economy
    from tillit.followup.demo import load_demo_followup
    from tillit.hr.demo import load_demo_hr
    from tillit.labs.demo import load_demo_labs
    from tillit.organisation.demo.exempelstad import load_exempelstad
    from tillit.teams.demo import load_demo_teams

    def load() -> None:
        load_exempelstad()
        load_demo_decisions()
        load_demo_teams()
        load_demo_labs()
        load_demo_followup()
        load_demo_economy()
        load_demo_hr()
        load_demo_citizens()

    in_memory_sqlite = connection.vendor == "sqlite" and connection.is_in_memory_db()  # type: ignore[attr-defined]
    if not in_memory_sqlite:
        load()
        return live_server
    connection.ensure_connection()
    if "default" not in _exempelstad_copy:
        load()
        _exempelstad_copy["default"] = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(_exempelstad_copy["default"])
    else:
        _exempelstad_copy["default"].backup(connection.connection)
        # Emptying the database after the last test re-created the content types under other ids.
        ContentType.objects.clear_cache()
    return live_server


@functools.cache
def _axe_source() -> str:
    if not AXE_SOURCE.exists():
        pytest.fail(
            f"axe-core is missing at {AXE_SOURCE}: run `make setup` (npm installs it from package.json)"
        )
    return AXE_SOURCE.read_text(encoding="utf-8")


_RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary})),
  }));
}"""


def describe_violations(url: str, viewport: Any, violations: list[dict[str, Any]]) -> str:
    size = f"{viewport['width']}×{viewport['height']}" if viewport else "unknown size"
    lines = [f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s) on {url} at {size}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {json.dumps(node['target'], ensure_ascii=False)}: {node['html']}")
            lines.extend(f"       {line.strip()}" for line in (node["summary"] or "").splitlines())
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Runs axe-core on the page as it is now and fails with every WCAG 2.1 A/AA violation it finds.

    The site's content security policy forbids inline scripts, so axe is not added as a script tag but
    evaluated through the DevTools protocol, which the policy does not govern.
    """
    page.wait_for_load_state("load")
    problems: list[str] = getattr(page, "_tillit_problems", [])
    assert not problems, f"on {page.url}:\n" + "\n".join(problems)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(_RUN_AXE, WCAG_TAGS)
    if violations:
        pytest.fail(describe_violations(page.url, page.viewport_size, violations))


def visit(page: Page, path: str, *, status: int = 200) -> None:
    """Opens an address as a person would type it, and checks the page that answers."""
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    assert response.status == status, f"GET {path} answered {response.status}, expected {status}"
    assert_accessible(page)


def click_through(page: Page, target: Locator, *, status: int = 200) -> None:
    """Clicks a link or a submit button, waits for the page that follows and checks it.

    Waiting for the navigation rather than for an address also works when a form comes back at the same
    address with its errors.
    """
    with page.expect_navigation() as navigation:
        target.click()
    response = navigation.value
    assert response is not None, f"no response after clicking {target}"
    assert response.status == status, f"{response.url} answered {response.status}, expected {status}"
    assert_accessible(page)


def submit_button(page: Page, form: str = "main form") -> Locator:
    """The submit button of the last form matching ``form`` (by default the page's main form)."""
    return page.locator(f"{form} button[type=submit]").last


def path_of(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def logout_button(page: Page) -> Locator:
    return page.locator('header form[action="/logga-ut/"] button')


def login_link(page: Page) -> Locator:
    return page.locator('header a[href="/logga-in/"]')


def login(page: Page, email: str, password: str | None = None) -> None:
    """Logs in through the login form (the demo password unless told otherwise) and lands on the start page."""
    from tillit.organisation.demo.exempelstad import DEMO_PASSWORD

    visit(page, "/logga-in/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password or DEMO_PASSWORD)
    click_through(page, submit_button(page))
    assert path_of(page) == "/", f"after logging in as {email} the browser is at {page.url}"
    expect(logout_button(page)).to_be_visible()


def logout(page: Page) -> None:
    click_through(page, logout_button(page))
    expect(login_link(page)).to_be_visible()
    expect(logout_button(page)).to_have_count(0)
