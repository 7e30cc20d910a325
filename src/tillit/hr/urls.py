from django.urls import path  # noqa: F401

app_name = "hr"
urlpatterns: list = []
