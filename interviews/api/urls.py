from django.urls import re_path
from rest_framework.routers import DefaultRouter

from . import views


class OptionalSlashRouter(DefaultRouter):
    """Answers /api/turns and /api/turns/ alike, with no redirect."""

    def __init__(self):
        super().__init__()
        self.trailing_slash = "/?"


router = OptionalSlashRouter()
# Turns first: URL patterns are tried in order, and turns are what clients ask for most.
router.register("turns", views.TurnViewSet)
router.register("events", views.EventViewSet)
router.register("participants", views.ParticipantViewSet)
router.register("outlets", views.OutletViewSet)

urlpatterns = [
    *router.urls,
    # Any path at all, even one with a newline (which `.` would not match).
    re_path(r"^", views.api_not_found),
]
