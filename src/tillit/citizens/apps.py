from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "tillit.citizens"
    label = "citizens"
    verbose_name = _("Citizens as expert users")

    def ready(self) -> None:
        from tillit.citizens import services  # noqa: F401 (names the history actions, follows proposals and ideas)
