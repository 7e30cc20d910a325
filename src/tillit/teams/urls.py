from django.urls import path

from tillit.teams import views

app_name = "teams"
urlpatterns = [
    path("team/<slug:slug>/roller/", views.roles, name="roles"),
    path("roller/<int:pk>/", views.role_detail, name="role"),
    path("rollinnehav/<int:pk>/avsluta/", views.holder_end, name="holder_end"),
    path("team/<slug:slug>/moten/", views.meetings, name="meetings"),
    path("moten/<int:pk>/", views.meeting_detail, name="meeting"),
    path("moten/<int:pk>/steg/", views.meeting_step, name="meeting_step"),
    path("moten/<int:pk>/punkter/", views.item_add, name="item_add"),
    path("punkter/<int:pk>/", views.item_update, name="item_update"),
    path("atgarder/<int:pk>/klar/", views.action_done, name="action_done"),
    path("mina-team/", views.coach, name="coach"),
    path("team/<slug:slug>/stod/", views.support_ask, name="support_ask"),
    path("stod/<int:pk>/besvarat/", views.support_answer, name="support_answer"),
]
