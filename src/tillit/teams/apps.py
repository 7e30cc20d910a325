from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "tillit.teams"
    label = "teams"
    verbose_name = _("Roles and meetings")

    def ready(self) -> None:
        from tillit.teams import services  # noqa: F401 (names the history actions, registers decision effects)
