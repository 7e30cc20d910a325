from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabsConfig(AppConfig):
    name = "tillit.labs"
    label = "labs"
    verbose_name = _("Labs and portfolio")

    def ready(self) -> None:
        from tillit.labs import services  # noqa: F401 (names the history actions)
