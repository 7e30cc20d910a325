from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from tillit.api import api

urlpatterns = [
    path("", include("tillit.core.urls")),
    path("", include("tillit.accounts.urls")),
    path("", include("tillit.organisation.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("operator/", admin.site.urls),
]
if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
