from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from klebepunkt.web import health, metrics, oidc
from klebepunkt.web.accounts import RateLimitedLoginView

urlpatterns = [
    # first: the voter's clicks are the hot path, resolved before any other pattern is tried
    path("", include("klebepunkt.voting.urls")),
    path("", RedirectView.as_view(pattern_name="processes:list", permanent=False), name="home"),
    path("accounts/login/", RateLimitedLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/sign-on/", oidc.sign_on, name="oidc_authentication_init"),
    path("accounts/sign-on/callback/", oidc.callback, name="oidc_callback"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("klebepunkt.processes.urls")),
    path("", include("klebepunkt.privacy.urls")),
    path("", include("klebepunkt.monitoring.urls")),
    path("", include("klebepunkt.collection.urls")),
    path("", include("klebepunkt.decisions.urls")),
]

# a NUL in the request is refused before the language is chosen: the 400 page chooses it
handler400 = "klebepunkt.web.request_guard.bad_request"
