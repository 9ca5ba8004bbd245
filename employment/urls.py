from django.urls import path

from employment import views
from employment.excel import LEDGER
from resettle.views import ledger_urls

urlpatterns = [
    path("labor/", views.LaborListView.as_view(), name="labor-list"),
    *ledger_urls("labor/", LEDGER),
    path("labor/worklists/<slug:name>/", views.worklist, name="labor-worklist"),
    path("labor/persons/<int:pk>/", views.labor_card, name="labor-card"),
]
