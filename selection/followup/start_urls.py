"""The start pages of the three roles, at the root of the site (included by laeringsmiljo.urls)."""

from django.urls import path

from selection.followup import todo

urlpatterns = [
    path("kommune/", todo.municipality_start, name="municipality_start"),
    path("embete/", todo.office_start, name="office_start"),
    path("udir/", todo.udir_start, name="udir_start"),
]
