from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import RedirectView, TemplateView

from portal import views
from stakeholders import account_views

# Django's own views take PUT like POST; the portal's pages answer 405 to it.
READ_WRITE = require_http_methods(["GET", "POST"])

admin.site.site_header = _("Coordination Portal administration")
admin.site.site_title = _("Coordination Portal")

urlpatterns = [
    path("", views.home, name="home"),
    path("secretariat/", views.secretariat_home, name="secretariat_home"),
    path("partner/", views.partner_home, name="partner_home"),
    path("donor/", views.donor_home, name="donor_home"),
    path("dashboard/", include("activities.dashboard_urls")),
    path("emails/", views.outbox, name="outbox"),
    path("emails/<int:pk>/resend/", views.email_resend, name="email_resend"),
    path("directory/", include("stakeholders.urls")),
    path("meetings/", include("meetings.urls")),
    path("activities/", include("activities.urls")),
    path("healthz", views.healthz, name="healthz"),
    path(
        "favicon.ico",
        require_GET(
            RedirectView.as_view(url=f"{settings.STATIC_URL}img/favicon.svg", permanent=True)
        ),
        name="favicon",
    ),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/login/", READ_WRITE(views.LoginView.as_view()), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/profile/", account_views.profile, name="profile"),
    path("unsubscribe/<str:token>/", account_views.unsubscribe, name="unsubscribe"),
    path("accounts/password/set/<str:token>/", account_views.password_set, name="password_set"),
    path(
        "accounts/password/change/",
        READ_WRITE(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        require_GET(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("accounts/password/reset/", account_views.password_reset, name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        require_GET(TemplateView.as_view(template_name="registration/password_reset_done.html")),
        name="password_reset_done",
    ),
    path("admin/", admin.site.urls),
]
