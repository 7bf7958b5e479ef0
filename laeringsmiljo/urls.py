from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from laeringsmiljo import views
from laeringsmiljo.signin import views as signin_views

auth_patterns = [
    path("logg-inn/", signin_views.LoginView.as_view(), name="login"),
    path("kode/", signin_views.verify, name="second_factor"),
    path("kode/sett-opp/", signin_views.enrol, name="second_factor_enrol"),
    path("kode/gjenopprettingskoder/", signin_views.recovery_codes, name="recovery_codes"),
    path(
        "kode/gjenopprettingskode-brukt/",
        signin_views.recovery_code_used,
        name="recovery_code_used",
    ),
    path("logg-ut/", signin_views.LogoutView.as_view(), name="logout"),
    path("oidc/<slug:name>/", signin_views.oidc_start, name="oidc_start"),
    path("oidc/<slug:name>/svar/", signin_views.oidc_callback, name="oidc_callback"),
    path("ansatt/", signin_views.staff_invitation, name="staff_invitation"),
    path("ansatt/<str:token>/", signin_views.staff_invitation_link, name="staff_invitation_link"),
    path("passord/nullstill/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "passord/nullstill/sendt/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "passord/nullstill/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "passord/nullstill/ferdig/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("passord/endre/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "passord/endre/ferdig/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("selection.followup.start_urls")),
    path("helse/", views.health, name="health"),
    path("favicon.ico", views.favicon),
    path("sprak/", set_language, name="set_language"),
    path("konto/", include(auth_patterns)),
    path("soknader/", include("applications.urls")),
    path("utvelging/", include("selection.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "laeringsmiljo.views.error_400"
handler403 = "laeringsmiljo.views.error_403"
handler404 = "laeringsmiljo.views.error_404"
handler500 = "laeringsmiljo.views.error_500"
