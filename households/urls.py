from django.urls import path

from households import views

urlpatterns = [
    path("households/", views.HouseholdListView.as_view(), name="household-list"),
    path("households/new/", views.household_edit, name="household-create"),
    path("households/template/", views.household_template, name="household-template"),
    path("households/import/", views.household_import, name="household-import"),
    path("households/export/", views.household_export, name="household-export"),
    path("households/<int:pk>/", views.HouseholdDetailView.as_view(), name="household-detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household-edit"),
    path("sites/", views.SiteListView.as_view(), name="site-list"),
    path("sites/<int:pk>/", views.SiteDetailView.as_view(), name="site-detail"),
]
