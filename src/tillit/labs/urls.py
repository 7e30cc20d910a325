from django.urls import path

from tillit.labs import views

app_name = "labs"
urlpatterns = [
    path("portfolj/", views.portfolio, name="portfolio"),
    path("portfolj/lardomar/", views.learnings, name="learnings"),
    path("portfolj/export.json", views.export_json, name="export_json"),
    path("portfolj/export.csv", views.export_csv, name="export_csv"),
    path("portfolj/oppna-data/", views.schema, name="schema"),
    path("portfolj/bilaga/<int:pk>/", views.attachment_download, name="attachment"),
    path("labb/", views.lab_list, name="labs"),
    path("labb/nytt/", views.lab_create, name="lab_create"),
    path("labb/importera/", views.portfolio_import, name="import"),
    path("labb/<slug:slug>/", views.lab_detail, name="lab"),
    path("labb/<slug:slug>/andra/", views.lab_edit, name="lab_edit"),
    path("labb/<slug:slug>/spar/", views.track_add, name="track_add"),
    path("initiativ/nytt/", views.initiative_create, name="initiative_create"),
    path("initiativ/<slug:slug>/", views.initiative_detail, name="initiative"),
    path("initiativ/<slug:slug>/andra/", views.initiative_edit, name="initiative_edit"),
    path("initiativ/<slug:slug>/status/", views.initiative_status, name="initiative_status"),
    path("initiativ/<slug:slug>/publicera/", views.initiative_publish, name="initiative_publish"),
    path("initiativ/<slug:slug>/delar/", views.initiative_parts, name="initiative_parts"),
    path("initiativ/<slug:slug>/effektmal/", views.goal_add, name="goal_add"),
    path("initiativ/<slug:slug>/effektmal/<int:goal>/indikator/", views.indicator_add, name="indicator_add"),
    path(
        "initiativ/<slug:slug>/indikator/<int:indicator>/matning/",
        views.measurement_add,
        name="measurement_add",
    ),
    path("initiativ/<slug:slug>/lankar/", views.link_add, name="link_add"),
    path("initiativ/<slug:slug>/bilagor/", views.attachment_add, name="attachment_add"),
    path("initiativ/<slug:slug>/ta-bort/<str:kind>/<int:pk>/", views.part_remove, name="part_remove"),
    path("ideer/ny/", views.idea_submit, name="idea_submit"),
    path("ideer/min/<str:token>/", views.idea_status, name="idea_status"),
    path("ideer/", views.idea_queue, name="ideas"),
    path("ideer/<int:pk>/", views.idea_detail, name="idea"),
    path("ideer/<int:pk>/bedom/", views.idea_assess, name="idea_assess"),
    path("ideer/<int:pk>/initiativ/", views.idea_to_initiative, name="idea_to_initiative"),
]
