from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tillit.organisation.demo.exempelstad import DEMO_LOGINS, DEMO_PASSWORD, load_exempelstad


class Command(BaseCommand):
    help = "Loads the demo municipality Exempelstad (fictional people only), unless it is already there."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--brief",
            action="store_true",
            help="Say only whether Exempelstad was loaded now (make run prints the logins itself).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_exempelstad()
        if created:
            from tillit.accounts.models import User
            from tillit.citizens.demo import load_demo_citizens
            from tillit.decisions.demo import load_demo_decisions
            from tillit.dialogue.demo import load_demo_dialogue
            from tillit.economy.demo import load_demo_economy
            from tillit.followup.demo import load_demo_followup
            from tillit.hr.demo import load_demo_hr
            from tillit.labs.demo import load_demo_labs
            from tillit.teams.demo import load_demo_teams

            load_demo_dialogue(User.objects.get(email="facilitator@exempelstad.se"))
            load_demo_decisions()
            load_demo_teams()
            load_demo_labs()
            load_demo_followup()
            load_demo_economy()
            load_demo_hr()
            load_demo_citizens()
            self.stdout.write(self.style.SUCCESS("Exempelstad is loaded."))
        elif not options["brief"]:
            self.stdout.write("Exempelstad was already loaded; nothing changed.")
        if not options["brief"]:
            self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
            for email, role in DEMO_LOGINS:
                self.stdout.write(f"  {email:<28} {role}")
