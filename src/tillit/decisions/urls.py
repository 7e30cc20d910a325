from django.urls import path

from tillit.decisions import views

app_name = "decisions"
urlpatterns = [
    path("delegationsordning/", views.mandate_list, name="mandates"),
    path("delegationsordning/ny/", views.mandate_create, name="mandate_create"),
    path("delegationsordning/<int:pk>/", views.mandate_detail, name="mandate"),
    path("delegationsordning/<int:pk>/foresla-andring/", views.mandate_change, name="mandate_change"),
    path("team/<slug:slug>/mandat/", views.team_mandates, name="team_mandates"),
    path("team/<slug:slug>/forslag/nytt/", views.proposal_create, name="proposal_create"),
    path("forslag/<int:pk>/", views.proposal_detail, name="proposal"),
    path("forslag/<int:pk>/svara/", views.proposal_respond, name="proposal_respond"),
    path("forslag/<int:pk>/jav/", views.proposal_conflict, name="proposal_conflict"),
    path("forslag/<int:pk>/besluta/", views.proposal_decide, name="proposal_decide"),
    path("forslag/<int:pk>/andra/", views.proposal_amend, name="proposal_amend"),
    path("forslag/<int:pk>/dra-tillbaka/", views.proposal_withdraw, name="proposal_withdraw"),
    path("beslut/", views.register, name="register"),
    path("beslut/<int:pk>/", views.decision_detail, name="decision"),
    path("beslut/<int:pk>/ny-version/", views.decision_amend, name="decision_amend"),
    path("delegationsbeslut/", views.report, name="report"),
    path("delegationsbeslut/anmald/", views.report_mark, name="report_mark"),
]
