from rest_framework.routers import DefaultRouter

from households.api import views

router = DefaultRouter()
router.register("regions", views.RegionViewSet)
router.register("sites", views.SiteViewSet)
router.register("households", views.HouseholdViewSet)
router.register("persons", views.PersonViewSet)

urlpatterns = router.urls
