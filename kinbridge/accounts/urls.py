from django.urls import path

from kinbridge.accounts.views import auth, manage, security

app_name = "accounts"

urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("login/code/", auth.login_code_view, name="login_code"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("security/", security.security, name="security"),
    path("security/two-factor/", security.two_factor_setup, name="two_factor_setup"),
    path("security/two-factor/off/", security.two_factor_disable, name="two_factor_disable"),
    path("security/recovery-codes/", security.recovery_codes, name="recovery_codes"),
    path("security/sessions/end-others/", security.end_other_sessions, name="end_other_sessions"),
    path("security/tokens/revoke/", security.revoke_token, name="revoke_token"),
    path("users/", manage.user_list, name="user_list"),
    path("users/new/", manage.user_create, name="user_create"),
    path("users/<int:pk>/", manage.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", manage.user_edit, name="user_edit"),
    path("users/<int:pk>/unlock/", manage.user_unlock, name="user_unlock"),
    path(
        "users/<int:pk>/reset-two-factor/",
        manage.user_reset_two_factor,
        name="user_reset_two_factor",
    ),
    path(
        "users/<int:pk>/password-link/", manage.user_send_password_link, name="user_password_link"
    ),
    path("lockouts/", manage.lockout_list, name="lockout_list"),
    path("teams/", manage.team_list, name="team_list"),
    path("teams/new/", manage.team_create, name="team_create"),
    path("teams/<int:pk>/", manage.team_edit, name="team_edit"),
    path("regions/", manage.region_list, name="region_list"),
    path("regions/<int:pk>/", manage.region_edit, name="region_edit"),
    path("roles/", manage.role_list, name="role_list"),
]
