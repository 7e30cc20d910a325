from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrConfig(AppConfig):
    name = "tillit.hr"
    label = "hr"
    verbose_name = _("HR processes")

    def ready(self) -> None:
        from tillit.hr import services  # noqa: F401 (names the history actions)
