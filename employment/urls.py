from django.urls import path

from employment import views

urlpatterns = [
    path("labor/", views.LaborListView.as_view(), name="labor-list"),
    path("labor/worklists/<slug:name>/", views.worklist, name="labor-worklist"),
    path("labor/persons/<int:pk>/", views.labor_card, name="labor-card"),
]
