from django.urls import path

from governance.api import views

urlpatterns = [
    path("indicators/", views.IndicatorListView.as_view(), name="indicator-list"),
    path("indicator-values/", views.IndicatorValuesView.as_view(), name="indicator-values"),
]
