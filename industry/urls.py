from django.urls import path

from industry import views
from industry.excel import DIVIDEND_LEDGER, PROJECT_LEDGER
from resettle.views import ledger_urls

urlpatterns = [
    path("industry/projects/", views.ProjectListView.as_view(), name="project-list"),
    *ledger_urls("industry/projects/", PROJECT_LEDGER),
    *ledger_urls("industry/dividends/", DIVIDEND_LEDGER),
    path("industry/projects/new/", views.project_edit, name="project-create"),
    path("industry/projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("industry/projects/<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("industry/workshops/", views.workshops, name="workshops"),
]
