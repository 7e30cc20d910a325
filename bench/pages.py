"""Serves the large municipality and prints the median and p95 server time of Tillit's main pages.

Usage, from the repository root:  .venv/bin/python bench/pages.py [--requests 30] [--rebuild]

The first run builds a separate SQLite database in var/bench/ (migrate + generate-municipality, 12,000 people
in 1,000 teams); later runs reuse it while the generator and the migrations are unchanged. Each page is then
requested in this process through Django's test client, logged in as the generated administrator: the time
is Django's own (middleware, view, queries, template), with no network and no HTTP server. See
bench/README.md.
"""

import argparse
import hashlib
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "var" / "bench"
MARKER = DATA_DIR / "generated.json"


def _environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        TILLIT_DATA_DIR=str(DATA_DIR),
        # No SECRET_KEY needed, and DEBUG stays off: no query log, templates as in production.
        TILLIT_TESTING="1",
        DJANGO_SETTINGS_MODULE="tillit.config.settings",
        LOG_LEVEL="WARNING",
    )
    return env


def _tillit(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tillit", *args],
        env=_environment(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"tillit {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def _recipe() -> str:
    """A digest of what shapes the database: the generator and every migration."""
    digest = hashlib.sha256()
    generator = ROOT / "src/tillit/organisation/demo/large.py"
    for source in [generator, *sorted(ROOT.glob("src/tillit/*/migrations/0*.py"))]:
        digest.update(source.name.encode() + source.read_bytes())
    return digest.hexdigest()[:16]


def build(*, people: int, teams: int, seed: int, rebuild: bool) -> dict[str, Any]:
    """The database of the large municipality: reused when it was built the same way with the same numbers."""
    wanted = {"people": people, "teams": teams, "seed": seed, "recipe": _recipe()}
    if MARKER.exists() and not rebuild:
        built: dict[str, Any] = json.loads(MARKER.read_text())
        if {key: built.get(key) for key in wanted} == wanted and (DATA_DIR / "tillit.sqlite3").exists():
            return built | {"reused": True}
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    MARKER.unlink(missing_ok=True)
    for name in ("tillit.sqlite3", "tillit.sqlite3-wal", "tillit.sqlite3-shm"):
        (DATA_DIR / name).unlink(missing_ok=True)
    print(f"Building the large municipality in {DATA_DIR.relative_to(ROOT)}/ …", flush=True)
    started = time.perf_counter()
    _tillit("migrate", "--noinput", "-v", "0")
    migrated = time.perf_counter()
    output = _tillit("generate-municipality", f"--people={people}", f"--teams={teams}", f"--seed={seed}")
    built = wanted | {
        "migrate_seconds": round(migrated - started, 2),
        "generation_seconds": round(time.perf_counter() - migrated, 2),
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "output": output.strip(),
    }
    MARKER.write_text(json.dumps(built, indent=2, ensure_ascii=False))
    return built | {"reused": False}


def _pages() -> list[tuple[str, str, dict[str, str]]]:
    """The main pages, each at its heaviest: the unit with most teams, the largest team, the busiest person."""
    from django.db.models import Count
    from django.urls import reverse

    from tillit.accounts.models import User
    from tillit.organisation.models import Team, Unit

    unit = Unit.objects.annotate(n=Count("teams")).order_by("-n", "pk").first()
    team = Team.objects.annotate(n=Count("memberships")).order_by("-n", "pk").first()
    person = User.objects.annotate(n=Count("memberships")).order_by("-n", "pk").first()
    if not (unit and team and person):
        sys.exit("The bench database holds no organisation; run again with --rebuild.")
    people = reverse("organisation:people")
    return [
        ("start", reverse("core:home"), {}),
        ("organisation tree", reverse("organisation:tree"), {}),
        ("unit (most teams)", reverse("organisation:unit", args=[unit.slug]), {}),
        ("team (largest)", reverse("organisation:team", args=[team.slug]), {}),
        ("people, page 1", people, {}),
        ("people search", people + "?q=berg", {}),
        ("search as you type", people + "?q=berg", {"HX-Request": "true"}),  # htmx: the results only
        ("person (most teams)", reverse("organisation:person", args=[person.pk]), {}),
        ("administration", reverse("organisation:manage"), {}),
    ]


def measure(requests: int) -> list[dict[str, Any]]:
    os.environ.update(_environment())
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tillit.organisation.demo.large import ADMINISTRATOR_EMAILS, LARGE_PASSWORD

    client = Client(HTTP_HOST="localhost")
    login = client.post("/logga-in/", {"username": ADMINISTRATOR_EMAILS[0], "password": LARGE_PASSWORD})
    if login.status_code != 302:
        sys.exit(f"Could not log in as {ADMINISTRATOR_EMAILS[0]} (status {login.status_code}).")
    results = []
    for name, path, headers in _pages():
        # One warm-up request, which also counts the queries (read at once: each request empties the log).
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, headers=headers)
        queries = len(captured.captured_queries)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(path, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
        results.append(
            {
                "page": name,
                "path": path + (" (htmx)" if headers else ""),
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(statistics.quantiles(times, n=20, method="inclusive")[-1], 1),
                "queries": queries,
                "kib": round(len(response.content) / 1024),
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--people", type=int, default=12_000)
    parser.add_argument("--teams", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="build the database again even if it is there")
    args = parser.parse_args()
    if args.requests < 2:
        parser.error("--requests must be at least 2")

    built = build(people=args.people, teams=args.teams, seed=args.seed, rebuild=args.rebuild)
    how = f"reused, built {built['generated_at']}" if built["reused"] else "built now"
    print(
        f"Large municipality: {built['people']} people, {built['teams']} teams, seed {built['seed']} ({how})."
    )
    print(f"  {built['output'].splitlines()[0]}")
    print(
        f"  generate-municipality took {built['generation_seconds']:.1f} s wall clock, process start included "
        f"(migrate {built['migrate_seconds']:.1f} s before it)."
    )
    results = measure(args.requests)
    import django

    load = os.getloadavg()[0]
    print(
        f"\nServer time in-process (Django test client, no network): {args.requests} requests per page after one "
        f"warm-up, logged in as the administrator.\nPython {platform.python_version()}, Django "
        f"{django.get_version()}, SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs, load average "
        f"{load:.1f} (other work on the machine shows in the times).\n"
    )
    print(f"{'page':<22}{'median ms':>10}{'p95 ms':>9}{'queries':>9}{'KiB':>6}  path")
    for row in results:
        print(
            f"{row['page']:<22}{row['median_ms']:>10.1f}{row['p95_ms']:>9.1f}{row['queries']:>9}{row['kib']:>6}  "
            f"{row['path']}"
        )
    summary = {
        "bench": "pages",
        "people": built["people"],
        "teams": built["teams"],
        "seed": built["seed"],
        "requests": args.requests,
        "generation_seconds": built["generation_seconds"],
        "generation_reused": built["reused"],
        "load_average": round(load, 1),
        "pages": results,
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
