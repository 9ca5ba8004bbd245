from django.urls import path

from households import views

urlpatterns = [
    path("households/", views.HouseholdListView.as_view(), name="household-list"),
    path("households/<int:pk>/", views.HouseholdDetailView.as_view(), name="household-detail"),
    path("sites/", views.SiteListView.as_view(), name="site-list"),
    path("sites/<int:pk>/", views.SiteDetailView.as_view(), name="site-detail"),
]
