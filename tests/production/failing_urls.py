"""The site's URLs and one page that fails, for the tests of the error page."""

from django.urls import path

from laeringsmiljo.urls import handler500, urlpatterns  # noqa: F401


def fails(request):
    raise RuntimeError("en feil i koden")


urlpatterns = [path("feiler/", fails), *urlpatterns]
