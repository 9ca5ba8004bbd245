from rest_framework.routers import DefaultRouter

from monitoring.api import views

router = DefaultRouter()
router.include_root_view = False
router.register("monitoring-lines", views.MonitoringLineViewSet)
router.register("income-checks", views.IncomeCheckViewSet)
router.register("incidents", views.IncidentViewSet)
router.register("alerts", views.AlertViewSet)
router.register("monitoring-cases", views.MonitoringCaseViewSet)
router.register("assistance-measures", views.AssistanceMeasureViewSet)

urlpatterns = router.urls
