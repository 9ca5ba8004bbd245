from django.urls import path

from monitoring import views

urlpatterns = [
    path("monitoring/alerts/", views.AlertListView.as_view(), name="alert-list"),
    path("monitoring/alerts/<int:pk>/dismiss/", views.alert_dismiss, name="alert-dismiss"),
    path("monitoring/cases/", views.CaseListView.as_view(), name="case-list"),
    path("monitoring/cases/new/<int:household>/", views.case_open, name="case-open"),
    path("monitoring/cases/<int:pk>/", views.case_detail, name="case-detail"),
    path(
        "monitoring/households/<int:household>/record/",
        views.household_record,
        name="monitoring-household-record",
    ),
]
