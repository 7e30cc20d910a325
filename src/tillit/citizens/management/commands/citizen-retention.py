from typing import Any

from django.core.management.base import BaseCommand

from tillit.citizens.models import PanelSettings
from tillit.citizens.services import apply_retention


class Command(BaseCommand):
    help = (
        "Applies the retention rule for residents' data that an administrator sets (Take part → Consent text and "
        "retention): removes panel members who have not used their page or taken part for that many months, "
        "and the name and address on finished feedback unchanged for as long. Run it once a day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        removed, cleared = apply_retention()
        months = PanelSettings.current().retention_months
        self.stdout.write(
            f"Retention {months} months: {removed} panel members removed, contact details cleared on {cleared} feedback."
        )
