from django.urls import path

from tillit.notifications import views

app_name = "notifications"
urlpatterns = [path("notiser/", views.notifications, name="list")]
