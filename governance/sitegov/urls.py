from django.urls import path

from governance.sitegov import views
from governance.sitegov.excel import FACILITY_LEDGER, GREENHOUSE_LEDGER, STAFFING_LEDGER
from resettle.views import ledger_urls

urlpatterns = [
    path("sites/<int:pk>/governance/", views.site_governance, name="site-governance"),
    path(
        "sites/<int:pk>/governance/<slug:kind>/new/",
        views.record_edit,
        name="site-governance-add",
    ),
    path(
        "sites/<int:pk>/governance/<slug:kind>/<int:record>/",
        views.record_edit,
        name="site-governance-edit",
    ),
    path(
        "sites/<int:pk>/governance/<slug:kind>/<int:record>/remove/",
        views.record_remove,
        name="site-governance-remove",
    ),
    path("governance/sites/", views.SiteGovernanceListView.as_view(), name="site-governance-list"),
    path("governance/greenhouses/", views.GreenhouseLedgerView.as_view(), name="greenhouse-ledger"),
    *ledger_urls("governance/facilities/", FACILITY_LEDGER),
    *ledger_urls("governance/staffing/", STAFFING_LEDGER),
    *ledger_urls("governance/greenhouses/", GREENHOUSE_LEDGER),
]
