from django.urls import path
from rest_framework.routers import DefaultRouter

from governance.api import dashboard, reports, views

router = DefaultRouter()
router.include_root_view = False
router.register("dispatch-reports", reports.DispatchReportViewSet)

urlpatterns = [
    path("indicators/", views.IndicatorListView.as_view(), name="indicator-list"),
    path("indicator-values/", views.IndicatorValuesView.as_view(), name="indicator-values"),
    path("dashboard/", dashboard.DashboardHomeView.as_view(), name="dashboard-home-api"),
    path(
        "dashboard/regions/<str:code>/",
        dashboard.RegionDashboardView.as_view(),
        name="dashboard-region-api",
    ),
    path(
        "dashboard/sites/<int:pk>/",
        dashboard.SiteDashboardView.as_view(),
        name="dashboard-site-api",
    ),
    *router.urls,
]
