from rest_framework.routers import DefaultRouter

from employment.api import views

router = DefaultRouter()
router.include_root_view = False
router.register("labor-profiles", views.LaborProfileViewSet)
router.register("employments", views.EmploymentViewSet)
router.register("trainings", views.TrainingViewSet)
router.register("job-matches", views.JobMatchViewSet)
router.register("follow-up-visits", views.FollowUpVisitViewSet)

urlpatterns = router.urls
