from django.contrib.auth import views as auth_views
from django.urls import path

from tillit.accounts import views

app_name = "accounts"
urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("losenord/glomt/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "losenord/nytt/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("inbjudan/<str:token>/", views.invitation_accept, name="invitation"),
    path("mitt-konto/", views.account, name="account"),
    path("mitt-konto/api-nycklar/<int:pk>/aterkalla/", views.api_token_revoke, name="api_token_revoke"),
]
