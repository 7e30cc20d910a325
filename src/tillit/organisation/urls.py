from django.urls import path

from tillit.organisation import views

app_name = "organisation"
urlpatterns = [
    path("organisation/", views.tree, name="tree"),
    path("enheter/<slug:slug>/", views.unit_detail, name="unit"),
    path("team/<slug:slug>/", views.team_detail, name="team"),
    path("team/<slug:slug>/andra/", views.team_edit, name="team_edit"),
    path("personer/", views.people, name="people"),
    path("personer/<int:pk>/", views.person_detail, name="person"),
    path("administration/", views.manage, name="manage"),
    path("administration/enheter/ny/", views.unit_create, name="unit_create"),
    path("administration/enheter/<slug:slug>/andra/", views.unit_edit, name="unit_edit"),
    path("administration/enheter/<slug:slug>/ta-bort/", views.unit_remove, name="unit_remove"),
    path("administration/team/nytt/", views.team_create, name="team_create"),
    path("administration/team/<slug:slug>/medlemmar/", views.team_members, name="team_members"),
    path("administration/medlemskap/<int:pk>/", views.membership_update, name="membership_update"),
    path("administration/personer/ny/", views.person_create, name="person_create"),
    path("administration/personer/<int:pk>/", views.person_edit, name="person_edit"),
    path("administration/personer/<int:pk>/roller/", views.person_roles, name="person_roles"),
    path("administration/personer/<int:pk>/aktiv/", views.person_active, name="person_active"),
    path("administration/inbjudningar/", views.invitations, name="invitations"),
    path(
        "administration/inbjudningar/<int:pk>/dra-tillbaka/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
]
