from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tillit.organisation.demo.exempelstad import DEMO_LOGINS, DEMO_PASSWORD, load_exempelstad


class Command(BaseCommand):
    help = "Loads the demo municipality Exempelstad (fictional people only), unless it is already there."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quiet-if-present", action="store_true", help="Say nothing when already loaded."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_exempelstad()
        if created:
            self.stdout.write(self.style.SUCCESS("Exempelstad is loaded."))
        elif not options["quiet_if_present"]:
            self.stdout.write("Exempelstad was already loaded; nothing changed.")
        if created or not options["quiet_if_present"]:
            self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
            for email, role in DEMO_LOGINS:
                self.stdout.write(f"  {email:<28} {role}")
