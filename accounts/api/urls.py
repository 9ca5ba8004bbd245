from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api import views

router = SimpleRouter()
router.register("tokens", views.ApiTokenViewSet, basename="token")

urlpatterns = [
    path("token/", views.TokenView.as_view(), name="api-token"),
    path("logout/", views.LogoutView.as_view(), name="api-logout"),
    path("logout-all/", views.LogoutAllView.as_view(), name="api-logout-all"),
    *router.urls,
]
