from django.urls import path

from tillit.citizens import views

app_name = "citizens"
urlpatterns = [
    path("medverka/", views.home, name="home"),
    path("medverka/panelen/ga-med/", views.join, name="join"),
    path("medverka/panelen/min-lank/", views.send_link, name="send_link"),
    path("medverka/panelen/<str:token>/", views.member, name="member"),
    path("medverka/panelen/<str:token>/andra/", views.member_edit, name="member_edit"),
    path("medverka/panelen/<str:token>/mina-uppgifter.json", views.member_download, name="member_download"),
    path("medverka/panelen/<str:token>/lamna/", views.member_leave, name="member_leave"),
    path("medverka/traff/<int:pk>/", views.event, name="event"),
    path("medverka/synpunkt/", views.feedback_create, name="feedback_create"),
    path("medverka/synpunkt/<str:token>/", views.feedback_status, name="feedback_status"),
    path("medverka/synpunkt/<str:token>/glom-mig/", views.feedback_forget, name="feedback_forget"),
    path("medverka/vad-hande/", views.outcomes, name="outcomes"),
    path("synpunkter/", views.inbox, name="inbox"),
    path("synpunkter/<int:pk>/", views.feedback_handle, name="feedback_handle"),
    path("synpunkter/<int:pk>/forslag/", views.feedback_propose, name="feedback_propose"),
    path("synpunkter/inbjudan/", views.invitation_create, name="invitation_create"),
    path("synpunkter/panelen/", views.panel_settings, name="settings"),
]
