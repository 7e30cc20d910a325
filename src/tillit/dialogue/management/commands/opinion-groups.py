import csv
import io
import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tillit.dialogue.analysis.opinion_groups import VoteMatrix, compute_opinion_groups, read_polis_votes


class Command(BaseCommand):
    help = (
        "Reads a Polis participants-votes.csv export and prints each participant's opinion group as CSV "
        "(participant,group), computed by Tillit the way Polis does; participants left out for voting on too "
        "few statements get an empty group. Comments marked moderated = -1 in a comments.csv beside the file "
        "are left out of the grouping. Needs no database."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="A Polis participants-votes.csv.")
        parser.add_argument("--seed", type=int, default=0, help="Seed of the k-means starts (default 0).")
        parser.add_argument(
            "--meta",
            default="",
            metavar="IDS",
            help=(
                "Comma-separated comment ids that Polis marked as meta (demographic) statements. Polis leaves "
                "them out of the grouping, but its export does not say which they are."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            votes, _ = read_polis_votes(path)
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from error
        meta = {statement.strip() for statement in options["meta"].split(",") if statement.strip()}
        unknown = meta - set(votes.statements)
        if unknown:
            raise CommandError(
                f"--meta names comments that are not in {path.name}: {', '.join(sorted(unknown))}"
            )
        if meta:
            votes = VoteMatrix(
                participants=votes.participants,
                statements=votes.statements,
                votes=votes.votes,
                moderated_out=votes.moderated_out | meta,
            )
        groups = compute_opinion_groups(votes, seed=options["seed"])
        table = io.StringIO()
        writer = csv.writer(table, lineterminator="\n")
        writer.writerow(["participant", "group"])
        for participant, group in groups.groups.items():
            writer.writerow([participant, "" if group is None else group])
        try:
            self.stdout.write(table.getvalue(), ending="")
            self.stdout.flush()
        except BrokenPipeError:
            # The reader stopped early (`| head`): not an error. Python's advice: point stdout at devnull,
            # so that flushing it at exit does not fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
