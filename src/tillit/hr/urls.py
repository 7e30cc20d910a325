from django.urls import path

from tillit.hr import views

app_name = "hr"
urlpatterns = [
    path("hr/", views.home, name="home"),
    path("hr/gallring/", views.retention_settings, name="settings"),
    path("hr/rekrytering/ny/", views.recruitment_create, name="recruitment_create"),
    path("hr/rekrytering/<int:pk>/", views.recruitment_detail, name="recruitment"),
    path(
        "hr/rekrytering/<int:pk>/sammanstallning.csv", views.recruitment_summary_csv, name="recruitment_csv"
    ),
    path("hr/rekrytering/<int:pk>/andra/", views.recruitment_edit, name="recruitment_edit"),
    path("hr/rekrytering/<int:pk>/vidare/", views.recruitment_advance, name="recruitment_advance"),
    path("hr/rekrytering/<int:pk>/avbryt/", views.recruitment_cancel, name="recruitment_cancel"),
    path("hr/rekrytering/<int:pk>/beslut/", views.recruitment_decide, name="recruitment_decide"),
    path("hr/rekrytering/<int:pk>/jav/", views.conflict_declare, name="conflict_declare"),
    path("hr/rekrytering/<int:pk>/kandidater/", views.candidate_add, name="candidate_add"),
    path("hr/rekrytering/<int:pk>/kandidater/<int:candidate>/", views.candidate_detail, name="candidate"),
    path(
        "hr/rekrytering/<int:pk>/kandidater/<int:candidate>/radera/",
        views.candidate_remove,
        name="candidate_remove",
    ),
    path("hr/samtal/nytt/", views.talk_create, name="talk_create"),
    path("hr/samtal/<int:pk>/", views.talk_detail, name="talk"),
    path("hr/samtal/aterkoppling/<int:pk>/", views.feedback_detail, name="feedback"),
    path("hr/samtal/aterkoppling/<int:pk>/dela/", views.feedback_share, name="feedback_share"),
    path("hr/rehab/ny/", views.rehab_open, name="rehab_open"),
    path("hr/rehab/<int:pk>/", views.rehab_detail, name="rehab"),
    path("hr/rehab/<int:pk>/avsluta/", views.rehab_close, name="rehab_close"),
]
