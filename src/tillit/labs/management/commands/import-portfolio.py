from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tillit.labs.portfolio import PortfolioImportError, portfolio_import


class Command(BaseCommand):
    help = (
        "Imports another municipality's portfolio export (the JSON of /portfolj/export.json). Every problem in "
        "the file is listed and a file with any problem changes nothing; importing the same export again brings "
        "its initiatives up to date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="A portfolio export (JSON).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            created, updated = portfolio_import(actor=None, raw=path.read_bytes())
        except PortfolioImportError as error:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"  {message}" for message in error.messages)
            ) from error
        self.stdout.write(f"Imported {created} new initiatives; {updated} brought up to date.")
