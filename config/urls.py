from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import cache_page
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

from interviews import health
from interviews.api.views import SchemaView
from interviews.home import home

handler500 = "interviews.middleware.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # The schema only changes with the code: generate it once an hour, not per request.
    path("api/schema/", cache_page(3600)(SchemaView.as_view()), name="schema"),
    # The split view serves its start-up script as a file: no inline script for the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="interviews/redoc.html"),
        name="redoc",
    ),
    path("api/", include("interviews.api.urls")),
]
