from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "tillit.decisions"
    label = "decisions"
    verbose_name = _("Decisions and mandates")

    def ready(self) -> None:
        from tillit.decisions import services  # noqa: F401 (names the history actions)
