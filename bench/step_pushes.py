"""Times rendering a step change for a whole hall: what the server does between the facilitator's click and
the last table's push (tillit.dialogue.participant_view.step_pushes).

Usage, from the repository root, after a run of bench/dialogue.py (SQLite) has left its hall behind:

    .venv/bin/python bench/step_pushes.py [--runs 5]

It copies var/bench-dialogue/ to a temporary directory, empties the table summaries (as at the start of the
table step), and for each step of the dialogue renders every push --runs times. It prints the median time,
the queries, the number of pushes and their size, then one JSON line.
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "var" / "bench-dialogue"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--hall", type=Path, default=SOURCE, help=f"the data directory of a hall (default {SOURCE})"
    )
    args = parser.parse_args()
    if not (args.hall / "tillit.sqlite3").exists():
        sys.exit(f"No hall at {args.hall}: run bench/dialogue.py (SQLite) first.")
    with tempfile.TemporaryDirectory() as copy:
        for path in args.hall.iterdir():
            shutil.copy(path, copy)
        os.environ.update(
            TILLIT_DATA_DIR=copy, TILLIT_TESTING="1", DJANGO_SETTINGS_MODULE="tillit.config.settings"
        )
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tillit.dialogue.models import Dialogue, TableSummary
        from tillit.dialogue.participant_view import step_pushes

        dialogue = Dialogue.objects.get()
        tables = dialogue.tables.count()
        print(f"{dialogue.participants.count()} participants at {tables} tables, median of {args.runs} runs")
        TableSummary.objects.filter(step__dialogue=dialogue).delete()
        figures = []
        for step in dialogue.steps.order_by("order"):
            Dialogue.objects.filter(pk=dialogue.pk).update(current_step=step, status=Dialogue.Status.RUNNING)
            times = []
            for _run in range(args.runs):
                began = time.perf_counter()
                pushes = list(step_pushes(dialogue.pk))
                times.append((time.perf_counter() - began) * 1000)
            with CaptureQueriesContext(connection) as queries:
                list(step_pushes(dialogue.pk))
            figures.append(
                {
                    "step": step.kind,
                    "median_ms": round(statistics.median(times), 1),
                    "queries": len(queries.captured_queries),
                    "pushes": len(pushes),
                    "kib": round(sum(len(json.dumps(data)) for _table, data in pushes) / 1024),
                }
            )
    for row in figures:
        print(
            f"{row['step']:<12} {row['median_ms']:>8} ms {row['queries']:>4} queries {row['pushes']:>4} pushes {row['kib']:>6} KiB"
        )
    print(json.dumps({"tables": tables, "runs": args.runs, "steps": figures}))


if __name__ == "__main__":
    main()
