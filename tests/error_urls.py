"""The site's routes and error handlers, with one page that fails, for the 500 page's tests."""

from django.urls import path

from resettle.urls import handler400, handler403, handler404, handler500  # noqa: F401
from resettle.urls import urlpatterns as site_urlpatterns


def failing_page(request):
    raise RuntimeError("a page that fails")


urlpatterns = [path("failing-page/", failing_page), *site_urlpatterns]
