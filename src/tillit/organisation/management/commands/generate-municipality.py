import argparse
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tillit.organisation.demo.large import LARGE_PASSWORD, AlreadyGenerated, generate_municipality


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be a whole number above zero")
    return number


class Command(BaseCommand):
    help = (
        "Generates a large fictional municipality for performance work: people in teams of 5–20 (with one or "
        "two coaches) under administrations and units two to four levels deep, a few roles, and logins with a "
        "known password. It goes under the existing municipality, or a new 'Storstad kommun'. Everything is "
        "bulk-created in one transaction, so no per-object history is written; one history entry on the "
        "municipality notes the generation. The same seed gives the same municipality. Refuses when the "
        "generated people are already there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people", type=_positive, default=12_000, help="How many people (default 12000)."
        )
        parser.add_argument("--teams", type=_positive, default=1_000, help="How many teams (default 1000).")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random choices (default 1).")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            result = generate_municipality(
                people=options["people"], teams=options["teams"], seed=options["seed"]
            )
        except (AlreadyGenerated, ValueError) as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {result.people} people in {result.teams} teams and {result.units} units under "
                f"{result.municipality.name} ({result.memberships} memberships, {result.role_assignments} roles, "
                f"{result.depth} levels below the municipality) in {seconds:.1f} s."
            )
        )
        self.stdout.write(f"Logins (password {LARGE_PASSWORD}):")
        for login in result.logins:
            self.stdout.write(f"  {login.email:<28} {login.what} ({login.full_name})")
