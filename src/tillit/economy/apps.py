from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    name = "tillit.economy"
    label = "economy"
    verbose_name = _("Team economy")

    def ready(self) -> None:
        from tillit.economy import services  # noqa: F401 (names the history actions)
