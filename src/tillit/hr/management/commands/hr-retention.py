from typing import Any

from django.core.management.base import BaseCommand

from tillit.hr.services import retention_run


class Command(BaseCommand):
    help = (
        "Erases HR data that the retention rules (HR processes → Retention rules, /hr/gallring/) say is due."
        " For each recruitment decided or cancelled longer ago than the candidate rule (default 24 months), the"
        " candidates who were not hired lose their name (shown as “Candidate N”), contact data, summary,"
        " references and assessment comments; the anonymous scores stay with the recruitment's record. Each"
        " rehabilitation case closed longer ago than the rehabilitation rule (default 24 months) is deleted with"
        " its entries and access log; a history row says that a case was erased, without its content."
        " Run it daily, e.g. from cron; running it again erases nothing twice. Prints what it did."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = retention_run()
        self.stdout.write(
            f"Candidates' data erased: {result.candidates} candidate(s) in {len(result.recruitments)}"
            " recruitment(s)."
        )
        for title in result.recruitments:
            self.stdout.write(f"  - {title}")
        self.stdout.write(f"Rehabilitation cases erased: {result.rehab_cases}.")
