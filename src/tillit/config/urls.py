from django.contrib import admin
from django.urls import include, path

from tillit.accounts import oidc
from tillit.api import api

urlpatterns = [
    path("", include("tillit.core.urls")),
    path("", include("tillit.accounts.urls")),
    path("", include("tillit.organisation.urls")),
    path("", include("tillit.dialogue.urls")),
    path("", include("tillit.decisions.urls")),
    path("", include("tillit.teams.urls")),
    path("", include("tillit.notifications.urls")),
    path("", include("tillit.labs.urls")),
    path("", include("tillit.followup.urls")),
    path("", include("tillit.economy.urls")),
    path("", include("tillit.hr.urls")),
    path("", include("tillit.citizens.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("oidc/", include(oidc.urlpatterns)),
    path("operator/", admin.site.urls),
]
