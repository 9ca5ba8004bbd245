from django.urls import path
from rest_framework.routers import DefaultRouter

from governance.api import reports, views

router = DefaultRouter()
router.include_root_view = False
router.register("dispatch-reports", reports.DispatchReportViewSet)

urlpatterns = [
    path("indicators/", views.IndicatorListView.as_view(), name="indicator-list"),
    path("indicator-values/", views.IndicatorValuesView.as_view(), name="indicator-values"),
    *router.urls,
]
