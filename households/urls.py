from django.urls import path

from households import views
from households.excel import LEDGER
from resettle.views import ledger_urls

urlpatterns = [
    path("households/", views.HouseholdListView.as_view(), name="household-list"),
    path("households/new/", views.household_edit, name="household-create"),
    path("households/worklist/", views.HouseholdWorklistView.as_view(), name="household-worklist"),
    *ledger_urls("households/", LEDGER),
    path("households/<int:pk>/", views.HouseholdDetailView.as_view(), name="household-detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household-edit"),
    path("sites/", views.SiteListView.as_view(), name="site-list"),
    path("sites/<int:pk>/", views.SiteDetailView.as_view(), name="site-detail"),
]
