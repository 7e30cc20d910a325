from django.urls import path

from tillit.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("api-dokumentation/", views.api_docs, name="api_docs"),
]
