from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.views import PasswordChangeView
from config.health import HealthView
from reports.views import DashboardView

admin.site.site_header = _("流动党员管理系统")
admin.site.site_title = _("流动党员管理系统")
admin.site.index_title = _("系统管理")

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("members/", include("members.urls")),
    path("organizations/", include("organizations.urls")),
    path("cards/", include("activity_cards.urls")),
    path("transfers/", include("transfers.urls")),
    path("assistance/", include("assistance.urls")),
    path("cooperation/", include("cooperation.urls")),
    path("reports/", include("reports.urls")),
    path("notifications/", include("notifications.urls")),
    path("supervision/", include("jobs.urls")),
    path("county/", include("administration.urls")),
    path("", include("portal.urls")),
    path("places/", include("places.urls")),
    path("admin/", admin.site.urls),
    path("health/", HealthView.as_view(), name="health"),
]
# No URL serves MEDIA_ROOT, not even with DEBUG: card photos, roster exports and
# imports are personal data, served only by views that check the user.
