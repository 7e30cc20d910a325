from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "tillit.followup"
    label = "followup"
    verbose_name = _("Follow-up for learning")

    def ready(self) -> None:
        from tillit.followup import services  # noqa: F401 (names the history actions, listens for decisions)
