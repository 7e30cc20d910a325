from django.urls import path

from tillit.dialogue import views

app_name = "dialogue"
urlpatterns = [
    path("dialog/", views.dialogue_list, name="list"),
    path("dialog/ny/", views.dialogue_create, name="create"),
    path("dialog/<int:pk>/", views.console, name="console"),
    path("dialog/<int:pk>/styr/", views.console_action, name="console_action"),
    path("dialog/<int:pk>/anteckningar/", views.notes_page, name="notes"),
    path("dialog/<int:pk>/storbild/", views.big_screen, name="big_screen"),
    path("dialog/<int:pk>/handelser/", views.facilitator_events, name="facilitator_events"),
    path("dialog/<int:pk>/resultat/", views.results_page, name="results"),
    path("dialog/<int:pk>/resultat.<str:fmt>", views.results_export, name="export"),
    path("dialog/<int:pk>/rapport/", views.results_report, name="report"),
    path("dialog/<int:pk>/teman/", views.themes_edit, name="themes_edit"),
    path(
        "dialog/<int:pk>/pastaende/<int:statement>/vidare/", views.statement_onward, name="statement_onward"
    ),
    path("dialog/<int:pk>/qr/", views.table_qr, name="table_qr"),
    path("d/", views.join, name="join"),
    path("d/<str:code>/", views.join_code, name="join_code"),
    path("d/<str:code>/delta/", views.participate, name="participate"),
    path("d/<str:code>/handelser/", views.participant_events, name="participant_events"),
]
