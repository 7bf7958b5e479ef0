"""The project's addresses and one that fails, to see the 500 page production shows."""

from django.urls import path

from laeringsmiljo.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def fails(request):
    raise RuntimeError("en feil i en visning")


urlpatterns = [*urlpatterns, path("test/feil/", fails)]
