from django.urls import path

from tillit.economy import views

app_name = "economy"
urlpatterns = [
    path("ekonomi/", views.home, name="home"),
    path("ekonomi/utfall/", views.outcomes_import, name="outcomes_import"),
    path("ekonomi/attest/", views.attest_queue, name="queue"),
    path("ekonomi/attest/ny/", views.transaction_create, name="transaction_create"),
    path("ekonomi/attest/importera/", views.transactions_import, name="transactions_import"),
    path("ekonomi/attest/export.csv", views.attested_export, name="attested_export"),
    path("ekonomi/attest/<int:pk>/", views.transaction_detail, name="transaction"),
    path("ekonomi/attest/<int:pk>/jav/", views.transaction_conflict, name="transaction_conflict"),
    path("ekonomi/attestanter/", views.attestants, name="attestants"),
    path("ekonomi/attestanter/<int:pk>/ta-bort/", views.attestant_remove, name="attestant_remove"),
    path("ekonomi/franvaro/", views.absences, name="absences"),
    path("ekonomi/franvaro/<int:pk>/ta-bort/", views.absence_remove, name="absence_remove"),
    path("ekonomi/<str:code>/", views.cost_centre, name="cost_centre"),
    path("ekonomi/<str:code>/budget/", views.budget_edit, name="budget"),
    path("ekonomi/<str:code>/<int:year>/<int:month>/", views.month_edit, name="month"),
]
