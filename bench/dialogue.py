"""Drives a whole three-step dialogue over HTTP, the way a hall full of phones would, and prints its figures.

Usage, from the repository root:

    .venv/bin/python bench/dialogue.py [--participants 2500]                 # SQLite, one server process
    DATABASE_URL=postgres://... REDIS_URL=redis://... \\
        .venv/bin/python bench/dialogue.py --processes 2                      # PostgreSQL + Redis, two processes
    .venv/bin/python bench/dialogue.py --url http://host:8000 --email E --password P   # a server already running

Unless --url is given it starts Tillit itself on loopback (uvicorn, the ASGI server `make run` uses) with a
fresh database of its own: SQLite in var/bench-dialogue/, or a database `tillit_bench` beside the one
DATABASE_URL names and Redis database 15 (both emptied first). The facilitator logs in, creates a dialogue
from the Norrköping template with automatic tables of 8 and opens it; the big screen is shown. Participants
arrive over --join-seconds: each opens the join link, joins, and holds the page's live connection
(server-sent events) for the whole session. The facilitator then runs the three steps, --step-seconds each:
everyone writes one or two notes within the first 60 seconds; within the first two minutes one person per
table writes the table's summary and marks it agreed, and everyone votes on three statements. A phone does what the page's script does:
it shows a new step from the push, and fetches its page part again only on a table event. At the end the
facilitator downloads the results (CSV) and every note that was accepted is looked for in it.

The last line is one JSON object: participants, submitted and accepted notes, lost (accepted notes missing
from the results), submit_ms_p50/p95 (every participant's POST: notes, summaries, votes), push_ms_p95/p99 (from
the facilitator's click to the new step on each phone), results_fresh_ms (how far the big screen's counts
lagged behind the notes and votes accepted: the worst case), requests_per_participant_minute (every request
a phone made, the live connection included, per minute it took part), server_cpu_s and server_peak_rss_mb
(all server processes). See bench/README.md.
"""

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from yarl import URL

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "var" / "bench-dialogue"
EMAIL = "fia.facilitator@bench.invalid"
PASSWORD = "bench-dialogue-facilitator"  # noqa: S105 (a throwaway account in a throwaway database)
NOTE_WINDOW = 60.0  # everyone writes their notes within the first minute of the step
LONG_WINDOW = 120.0  # summaries and votes come within the first two minutes of theirs
PHRASES = [
    "Delaktighet i besluten",
    "Vi har blivit mer delaktiga",
    "Tid för reflektion",
    "Tydlig kommunikation",
    "Tillit mellan kollegor",
    "Mer tid med medborgarna",
    "Mindre onödig administration",
    "Stöd från chefen",
    "Gemensamma mål",
    "Utrymme att pröva nytt",
    "Kunskap delas i teamet",
    "Helhetssyn kring brukaren",
    "Uthållighet i förändringen",
    "Samverkan över gränserna",
    "Förberedelse inför mötena",
]

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LIVE_URL = re.compile(r'data-live-url="([^"]+)"')
TABLE = re.compile(r'data-table="(\d*)"')
STEP_STATE = re.compile(r'data-step="(\d*)" data-status="(\w+)"')
STATEMENT = re.compile(r'data-statement="(\d+)"')
COUNTS = re.compile(r'data-notes="(\d+)" data-votes="(\d+)"')


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


@dataclass
class Figures:
    requests: int = 0
    submit_ms: list[float] = field(default_factory=list)
    submit_ms_by_action: dict[str, list[float]] = field(default_factory=dict)
    push_ms: list[float] = field(default_factory=list)
    notes_sent: dict[str, float] = field(default_factory=dict)  # text -> when it was accepted
    notes_failed: list[str] = field(default_factory=list)
    votes_accepted: list[float] = field(default_factory=list)
    screen: list[tuple[float, int, int]] = field(default_factory=list)  # (when, notes shown, votes shown)
    errors: dict[str, int] = field(default_factory=dict)
    participant_seconds: float = 0.0
    reconnects: int = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


@dataclass
class Session:
    """What the facilitator's side knows, shared with the phones in this process."""

    base: str
    code: str = ""
    pk: int = 0
    step_started: dict[str, float] = field(default_factory=dict)  # step id or "finished" -> click time
    step_kinds: dict[str, str] = field(default_factory=dict)
    finished: asyncio.Event = field(default_factory=asyncio.Event)
    writers: dict[str, int] = field(default_factory=dict)  # table id -> the participant who writes
    joined: int = 0
    window: float = NOTE_WINDOW
    long_window: float = LONG_WINDOW


async def sse_events(response: aiohttp.ClientResponse) -> Any:
    """Yields (event, data, last event id) from a server-sent events stream."""
    event, data, last_id = "message", [], ""
    async for raw in response.content:
        line = raw.decode().rstrip("\r\n")
        if not line:
            if data:
                yield event, "\n".join(data), last_id
            event, data = "message", []
        elif line.startswith("id:"):
            last_id = line[3:].strip()
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())


class Phone:
    def __init__(self, number: int, session: Session, figures: Figures) -> None:
        self.number = number
        self.session = session
        self.figures = figures
        self.http = aiohttp.ClientSession(
            base_url=session.base,
            cookie_jar=aiohttp.CookieJar(unsafe=True),  # keep cookies from 127.0.0.1
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=30),
            connector=aiohttp.TCPConnector(limit=2),
        )
        self.csrf = ""
        self.table = ""
        self.step = ""
        self.html = ""
        self.started = 0.0

    async def request(self, method: str, path: str, **kwargs: Any) -> tuple[int, str]:
        """One page request, retried like a person would press again when the network failed."""
        for attempt in range(4):
            self.figures.requests += 1
            try:
                async with self.http.request(method, path, **kwargs) as response:
                    self.figures.requests += len(response.history)
                    text = await response.text()
                    if response.status < 500:
                        return response.status, text
                    self.figures.error(f"{method} http {response.status}")
            except (aiohttp.ClientError, TimeoutError) as error:
                # What failed and how, e.g. "POST ClientOSError: [Errno 104] Connection reset by peer".
                self.figures.error(f"{method} {type(error).__name__}: {error}"[:120])
            await asyncio.sleep(1 + attempt)
        return 0, ""

    def htmx(self) -> dict[str, str]:
        return {"HX-Request": "true", "X-CSRFToken": self.csrf}

    async def post(self, data: dict[str, str], part: str = "step") -> tuple[int, str]:
        begun = time.perf_counter()
        status, text = await self.request(
            "POST", f"/d/{self.session.code}/delta/?part={part}", data=data, headers=self.htmx()
        )
        took = (time.perf_counter() - begun) * 1000
        self.figures.submit_ms.append(took)
        self.figures.submit_ms_by_action.setdefault(data["action"], []).append(took)
        return status, text

    async def run(self, arrival: float) -> None:
        await asyncio.sleep(arrival)
        self.started = time.perf_counter()
        try:
            await self.join_and_take_part()
        finally:
            self.figures.participant_seconds += time.perf_counter() - self.started
            await self.http.close()

    async def join_and_take_part(self) -> None:
        status, page = await self.request("GET", f"/d/{self.session.code}/")
        token = CSRF_INPUT.search(page)
        if status != 200 or not token:
            self.figures.error("join page")
            return
        status, page = await self.request(
            "POST", f"/d/{self.session.code}/", data={"csrfmiddlewaretoken": token.group(1)}
        )
        live = LIVE_URL.search(page)
        table = TABLE.search(page)
        if status != 200 or not live or not table:
            self.figures.error("join")
            return
        self.session.joined += 1
        self.csrf = csrf_cookie(self.http, self.session.base)
        self.table = table.group(1)
        self.session.writers.setdefault(self.table, self.number)
        self.show(page)
        tasks: set[asyncio.Task[None]] = set()
        if action := self.action_for(self.step):  # joined late, when a step had begun
            tasks.add(asyncio.create_task(action()))
        await self.listen(live.group(1).replace("&amp;", "&"), tasks)

    def show(self, html: str) -> None:
        self.html = html
        if state := STEP_STATE.search(html):
            self.step = state.group(1) if state.group(2) != "finished" else "finished"

    async def listen(self, url: str, tasks: set[asyncio.Task[None]]) -> None:
        """Holds the live connection; reconnects with the last event id like a browser's EventSource."""
        last_id = ""
        while not self.session.finished.is_set():
            self.figures.requests += 1
            headers = {"Accept": "text/event-stream"}
            if last_id:
                headers["Last-Event-ID"] = last_id
            try:
                async with self.http.get(url, headers=headers) as response:
                    async for event, data, event_id in sse_events(response):
                        last_id = event_id
                        payload = json.loads(data)
                        if event == "step":
                            self.on_step(payload, tasks)
                        elif event == "table":
                            tasks.add(asyncio.create_task(self.refetch()))
                        if self.step == "finished":
                            break
            except (aiohttp.ClientError, TimeoutError) as error:
                self.figures.error(f"live {type(error).__name__}")
            if self.step == "finished":
                break
            self.figures.reconnects += 1
            await asyncio.sleep(random.uniform(2, 6))
        await asyncio.gather(*tasks, return_exceptions=True)

    def on_step(self, data: dict[str, Any], tasks: set[asyncio.Task[None]]) -> None:
        if "html" not in data or (data.get("per_table") and self.table):
            return
        step = "finished" if data["status"] == "finished" else str(data["step"] or "")
        if step == self.step:
            return
        clicked = self.session.step_started.get(step)
        if clicked is not None:
            self.figures.push_ms.append((time.perf_counter() - clicked) * 1000)
        self.show(data["html"])
        if action := self.action_for(step):
            tasks.add(asyncio.create_task(action()))

    def action_for(self, step: str) -> Any:
        kind = self.session.step_kinds.get(step, "")
        return {"reflection": self.reflect, "table": self.summarise, "plenary": self.vote}.get(kind)

    async def refetch(self) -> None:
        await asyncio.sleep(random.uniform(0.3, 1.0))
        status, html = await self.request(
            "GET", f"/d/{self.session.code}/delta/?part=step", headers={"HX-Request": "true"}
        )
        if status == 200:
            self.show(html)

    async def reflect(self) -> None:
        count = random.choice((1, 2))
        for n in range(count):
            await asyncio.sleep(random.uniform(0, self.session.window / count))
            text = f"{random.choice(PHRASES)} (telefon {self.number} lapp {n + 1})"
            status, _html = await self.post({"action": "note", "text": text})
            if status == 200:
                self.figures.notes_sent[text] = time.perf_counter()
            else:
                self.figures.notes_failed.append(text)

    async def summarise(self) -> None:
        if self.session.writers.get(self.table) != self.number:
            return
        await asyncio.sleep(random.uniform(10, self.session.long_window - 10))
        points = "\n".join(random.sample(PHRASES, 3))
        status, _html = await self.post({"action": "summary", "text": points, "agreed": "on"})
        if status != 200:
            self.figures.error("summary")

    async def vote(self) -> None:
        statements = STATEMENT.findall(self.html)
        for statement in random.sample(statements, min(3, len(statements))):
            await asyncio.sleep(random.uniform(0, self.session.long_window / 3))
            value = random.choice(("1", "1", "-1", "0"))
            status, _html = await self.post(
                {"action": "vote", "statement": statement, "value": value}, part="statement"
            )
            if status == 200:
                self.figures.votes_accepted.append(time.perf_counter())
            else:
                self.figures.error("vote")


class Facilitator:
    def __init__(self, session: Session, figures: Figures, email: str, password: str) -> None:
        self.session = session
        self.figures = figures
        self.email = email
        self.password = password
        self.http = aiohttp.ClientSession(
            base_url=session.base,
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=aiohttp.ClientTimeout(total=120),
        )

    def csrf(self) -> str:
        return csrf_cookie(self.http, self.session.base)

    async def form(self, path: str, data: dict[str, str]) -> aiohttp.ClientResponse:
        async with self.http.get(path) as page:
            token = CSRF_INPUT.search(await page.text())
        async with self.http.post(
            path, data={"csrfmiddlewaretoken": token.group(1) if token else "", **data}
        ) as response:
            await response.read()
            return response

    async def create(self) -> None:
        response = await self.form("/logga-in/", {"username": self.email, "password": self.password})
        if "/logga-in/" in str(response.url):
            sys.exit("The facilitator could not log in: check --email and --password.")
        response = await self.form(
            "/dialog/ny/",
            {
                "template": "norrkoping",
                "title": "Chefsdagen (benchmark)",
                "audience": "anyone",
                "anonymous": "on",
                "table_mode": "automatic",
                "table_size": "8",
            },
        )
        match = re.search(r"/dialog/(\d+)/$", str(response.url))
        if not match:
            sys.exit(f"Creating the dialogue failed (ended at {response.url}).")
        self.session.pk = int(match.group(1))
        async with self.http.get(f"/dialog/{self.session.pk}/") as console:
            page = await console.text()
        self.session.code = re.search(r'class="join-code">[^<]*<strong>(\w+)<', page).group(1)  # type: ignore[union-attr]
        steps = list(dict.fromkeys(re.findall(r'name="step" value="(\d+)"', page)))
        for step, kind in zip(steps, ("reflection", "table", "plenary"), strict=False):
            self.session.step_kinds[step] = kind
        await self.act("open")

    async def act(self, action: str) -> float:
        clicked = time.perf_counter()
        async with self.http.post(
            f"/dialog/{self.session.pk}/styr/",
            data={"action": action},
            headers={"HX-Request": "true", "X-CSRFToken": self.csrf()},
        ) as response:
            await response.read()
            if response.status != 200:
                sys.exit(f"The console's {action} failed with HTTP {response.status}.")
        return clicked

    async def advance(self, step: str) -> None:
        clicked = time.perf_counter()
        self.session.step_started[step] = clicked
        await self.act("advance")

    async def big_screen(self) -> None:
        """The projector: its live connection, and a fetch of the screen after events (as the page does)."""
        pending: asyncio.Task[None] | None = None

        async def fetch() -> None:
            await asyncio.sleep(random.uniform(0.3, 1.0))
            nonlocal pending
            pending = None
            async with self.http.get(
                f"/dialog/{self.session.pk}/storbild/?part=screen", headers={"HX-Request": "true"}
            ) as response:
                counts = COUNTS.search(await response.text())
            if counts:
                self.figures.screen.append((time.perf_counter(), int(counts.group(1)), int(counts.group(2))))

        while not self.session.finished.is_set():
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with self.http.get(
                    f"/dialog/{self.session.pk}/handelser/",
                    headers={"Accept": "text/event-stream"},
                    timeout=aiohttp.ClientTimeout(total=None),
                ) as response:
                    async for event, _data, _id in sse_events(response):
                        if event in {"notes", "results", "step"} and pending is None:
                            pending = asyncio.create_task(fetch())
            await asyncio.sleep(1)

    async def results_csv(self) -> str:
        async with self.http.get(f"/dialog/{self.session.pk}/resultat.csv") as response:
            return await response.text()


def csrf_cookie(http: aiohttp.ClientSession, base: str) -> str:
    cookie = http.cookie_jar.filter_cookies(URL(base)).get("csrftoken")
    return cookie.value if cookie else ""


def fresh_lag_ms(accepted: list[float], screen: list[tuple[float, int]]) -> float | None:
    """For the k-th accepted contribution, how long until the big screen showed at least k."""
    lags = []
    for rank, when in enumerate(sorted(accepted), start=1):
        shown = next((at for at, count in screen if at >= when and count >= rank), None)
        if shown is None:
            return None  # the screen never caught up
        lags.append((shown - when) * 1000)
    return max(lags) if lags else None


class Server:
    """Tillit under uvicorn on a free loopback port, with its own database."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self.env = {key: value for key, value in os.environ.items()}
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.backend = ""

    def prepare(self) -> None:
        database_url = os.environ.get("DATABASE_URL", "")
        redis_url = os.environ.get("REDIS_URL", "")
        if self.processes > 1 and not (database_url and redis_url):
            sys.exit(
                "--processes above 1 needs DATABASE_URL (PostgreSQL) and REDIS_URL: SQLite and in-memory "
                "pushes serve one process."
            )
        self.env.update(
            TILLIT_DATA_DIR=str(DATA_DIR),
            TILLIT_TESTING="1",  # no SECRET_KEY or HTTPS needed on loopback; DEBUG stays off
            DJANGO_SETTINGS_MODULE="tillit.config.settings",
            LOGIN_RATE_LIMIT="0",
        )
        shutil.rmtree(DATA_DIR, ignore_errors=True)
        DATA_DIR.mkdir(parents=True)
        if self.processes > 1:
            self.env["DATABASE_URL"] = self.fresh_postgres(database_url)
            self.env["REDIS_URL"] = self.fresh_redis(redis_url)
            self.backend = "postgresql+redis"
        else:
            self.env.pop("DATABASE_URL", None)
            self.env.pop("REDIS_URL", None)
            self.backend = "sqlite"
        self.tillit("migrate", "--noinput", "-v", "0")
        self.tillit(
            "shell",
            "-c",
            "from tillit.accounts.models import User\n"
            "from tillit.organisation.models import RoleAssignment\n"
            f"user = User.objects.create_user(email='{EMAIL}', password='{PASSWORD}', full_name='Fia Facilitator')\n"
            "RoleAssignment.objects.create(person=user, role=RoleAssignment.Role.FACILITATOR)\n",
        )

    @staticmethod
    def fresh_postgres(url: str) -> str:
        import psycopg

        parts = urlsplit(url)
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("DROP DATABASE IF EXISTS tillit_bench WITH (FORCE)")
            connection.execute("CREATE DATABASE tillit_bench")
        return urlunsplit(parts._replace(path="/tillit_bench"))

    @staticmethod
    def fresh_redis(url: str) -> str:
        import redis

        parts = urlsplit(url)
        bench_url = urlunsplit(parts._replace(path="/15"))
        redis.Redis.from_url(bench_url).flushdb()
        return bench_url

    def tillit(self, *args: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "tillit", *args], env=self.env, cwd=ROOT, capture_output=True, text=True
        )
        if done.returncode:
            sys.exit(f"tillit {' '.join(args)} failed:\n{done.stdout}{done.stderr}")

    def start(self) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        command = [
            sys.executable, "-m", "uvicorn", "tillit.config.asgi:application",
            "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.processes),
            "--log-level", "warning", "--no-access-log", "--backlog", "4096", "--timeout-graceful-shutdown", "3",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, env=self.env, cwd=ROOT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                time.sleep(1 if self.processes > 1 else 0)  # let every worker start
                return f"http://127.0.0.1:{self.port}"
            time.sleep(0.2)
        sys.exit("The server did not start within 60 s.")

    def pids(self) -> list[int]:
        if self.process is None:
            return []
        found = [self.process.pid]
        for pid in found:
            with contextlib.suppress(OSError):
                found.extend(
                    int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
                )
        return found

    def cpu_seconds(self) -> float:
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in self.pids():
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    def rss_mb(self) -> float:
        total = 0
        for pid in self.pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        return total / 1024

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


async def run(args: argparse.Namespace, base: str, server: Server | None) -> dict[str, Any]:
    # People write within the first minute of a step, or within the first three quarters of a shorter one.
    session = Session(
        base=base,
        window=min(NOTE_WINDOW, args.step_seconds * 0.75),
        long_window=min(LONG_WINDOW, args.step_seconds * 0.75),
    )
    figures = Figures()
    facilitator = Facilitator(session, figures, args.email, args.password)
    await facilitator.create()
    screen = asyncio.create_task(facilitator.big_screen())
    peak_rss = 0.0
    cpu_start = server.cpu_seconds() if server else 0.0

    async def sample() -> None:
        nonlocal peak_rss
        while server:
            peak_rss = max(peak_rss, server.rss_mb())
            await asyncio.sleep(0.25)

    sampler = asyncio.create_task(sample())
    began = time.perf_counter()
    phones = [Phone(n, session, figures) for n in range(1, args.participants + 1)]
    running = [asyncio.create_task(phone.run(random.uniform(0, args.join_seconds))) for phone in phones]
    await asyncio.sleep(args.join_seconds + 2)
    print(
        f"{session.joined} of {args.participants} joined after {time.perf_counter() - began:.0f} s",
        file=sys.stderr,
    )
    for step, kind in session.step_kinds.items():
        await facilitator.advance(step)
        print(f"{kind} step started", file=sys.stderr)
        await asyncio.sleep(args.step_seconds)
    await facilitator.advance("finished")
    session.finished.set()
    await asyncio.wait(running, timeout=30)
    ended = time.perf_counter()
    # The last contributions reach the big screen after the end, too.
    await asyncio.sleep(3)
    screen.cancel()
    sampler.cancel()
    cpu = server.cpu_seconds() - cpu_start if server else None
    exported = await facilitator.results_csv()
    await facilitator.http.close()
    lost = [text for text in figures.notes_sent if text not in exported]
    notes_lag = fresh_lag_ms(list(figures.notes_sent.values()), [(at, n) for at, n, _v in figures.screen])
    votes_lag = fresh_lag_ms(figures.votes_accepted, [(at, v) for at, _n, v in figures.screen])
    lags = [lag for lag in (notes_lag, votes_lag) if lag is not None]
    participant_minutes = figures.participant_seconds / 60
    return {
        "participants": args.participants,
        "joined": session.joined,
        "backend": server.backend if server else "external",
        "processes": args.processes if server else None,
        "session_s": round(ended - began, 1),
        "submitted": len(figures.notes_sent) + len(figures.notes_failed),
        "accepted": len(figures.notes_sent),
        "lost": len(lost) + len(figures.notes_failed),
        "votes": len(figures.votes_accepted),
        "submit_ms_p50": rounded(percentile(figures.submit_ms, 0.50)),
        "submit_ms_p95": rounded(percentile(figures.submit_ms, 0.95)),
        "push_ms_p95": rounded(percentile(figures.push_ms, 0.95)),
        "push_ms_p99": rounded(percentile(figures.push_ms, 0.99)),
        "pushes": len(figures.push_ms),
        "results_fresh_ms": rounded(max(lags)) if len(lags) == 2 else None,
        "requests_per_participant_minute": round(figures.requests / participant_minutes, 3)
        if participant_minutes
        else None,
        "submit_ms_p95_by_action": {
            action: rounded(percentile(values, 0.95))
            for action, values in figures.submit_ms_by_action.items()
        },
        "server_cpu_s": rounded(cpu),
        "client_cpu_s": round(time.process_time(), 1),
        "server_peak_rss_mb": rounded(peak_rss) if server else None,
        "reconnects": figures.reconnects,
        "errors": figures.errors,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--participants", type=int, default=2500)
    parser.add_argument(
        "--processes", type=int, default=1, help="server processes (above 1: PostgreSQL + Redis)"
    )
    parser.add_argument("--url", help="drive this running Tillit instead of starting one")
    parser.add_argument("--email", default=EMAIL, help="a facilitator's login (with --url)")
    parser.add_argument("--password", default=PASSWORD)
    parser.add_argument("--join-seconds", type=float, default=120, help="people arrive over this long")
    parser.add_argument(
        "--step-seconds", type=float, default=180, help="how long each of the three steps runs"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    random.seed(args.seed)
    # Every phone holds two connections, and so does the server for each.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4 * args.participants + 1024)), hard))
    server = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        server = Server(args.processes)
        server.prepare()
        base = server.start()
    try:
        figures = asyncio.run(run(args, base, server))
    finally:
        if server:
            server.stop()
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
