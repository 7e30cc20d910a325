from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tillit.followup.indicators import kolada_import
from tillit.followup.kolada import KoladaError, describe_years, parse_years
from tillit.followup.models import Indicator


class Command(BaseCommand):
    help = (
        "Imports the values of a Kolada indicator of the follow-up for the given years, from Kolada's API "
        "(the KOLADA_URL setting). Values already there are brought up to date; a failed import changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("indicator", type=int, help="The indicator's id (the number in its address).")
        parser.add_argument("--years", required=True, help="E.g. 2015-2024, 2023, or 2019,2021-2023.")

    def handle(self, *args: Any, **options: Any) -> None:
        indicator = Indicator.objects.filter(pk=options["indicator"]).first()
        if indicator is None:
            raise CommandError(f"No indicator with id {options['indicator']}.")
        try:
            years = parse_years(options["years"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        try:
            changes = kolada_import(actor=None, indicator=indicator, years=years)
        except KoladaError as error:
            raise CommandError(error.message) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"{indicator.name}: {len(changes.added)} new values, {len(changes.changed)} changed, "
            f"{changes.unchanged} already up to date."
        )
        if changes.missing:
            self.stdout.write(f"Kolada has no figures for {describe_years(changes.missing)}.")
