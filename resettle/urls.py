from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from governance.views import (
    dashboard_home,
    dashboard_region,
    dashboard_site,
    figure_records,
    home,
    report_detail,
    report_reopen,
    reports,
)
from resettle import views as kernel_views

api_v1 = [
    path("auth/", include("accounts.api.urls")),
    path("", include("households.api.urls")),
    path("", include("employment.api.urls")),
    path("", include("monitoring.api.urls")),
    path("", include("industry.api.urls")),
    path("", include("governance.api.urls")),
    path("", include("governance.sitegov.api")),
]

urlpatterns = [
    path("", home, name="home"),
    path("favicon.ico", kernel_views.favicon),
    path("reports/", reports, name="reports"),
    path("dashboard/", dashboard_home, name="dashboard"),
    path("dashboard/site/<int:pk>/", dashboard_site, name="dashboard-site"),
    path("dashboard/<str:code>/", dashboard_region, name="dashboard-region"),
    path("reports/<int:pk>/", report_detail, name="report-detail"),
    path("reports/<int:pk>/reopen/", report_reopen, name="report-reopen"),
    path("figures/<slug:code>/", figure_records, name="figure-records"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("households.urls")),
    path("", include("employment.urls")),
    path("", include("monitoring.urls")),
    path("", include("industry.urls")),
    path("", include("governance.sitegov.urls")),
    path("", include("accounts.urls")),
    path("jobs/<int:pk>/", kernel_views.excel_job_detail, name="excel-job"),
    path("jobs/<int:pk>/status/", kernel_views.excel_job_status, name="excel-job-status"),
    path("jobs/<int:pk>/start/", kernel_views.excel_job_start, name="excel-job-start"),
    path("jobs/<int:pk>/commit/", kernel_views.excel_job_commit, name="excel-job-commit"),
    path("jobs/<int:pk>/file/", kernel_views.excel_job_file, name="excel-job-file"),
    path("jobs/<int:pk>/errors/", kernel_views.excel_job_errors, name="excel-job-errors"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # The API's route names live in their own namespace ("api:household-list"), apart from the
    # pages' ("household-list").
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
]

# The site's own error pages, in its layout and language; under /api/ the API's JSON.
handler400 = "resettle.error_pages.bad_request"
handler403 = "resettle.error_pages.permission_denied"
handler404 = "resettle.error_pages.page_not_found"
handler500 = "resettle.error_pages.server_error"
