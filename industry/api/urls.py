from rest_framework.routers import DefaultRouter

from industry.api import views

router = DefaultRouter()
router.include_root_view = False
router.register("industry-projects", views.IndustryProjectViewSet)
router.register("investments", views.InvestmentViewSet)
router.register("benefit-links", views.BenefitLinkViewSet)
router.register("dividends", views.DividendViewSet)

urlpatterns = router.urls
