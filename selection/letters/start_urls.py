"""The municipality's start page, at the root of the site (included by laeringsmiljo.urls)."""

from django.urls import path

from selection.letters import views

urlpatterns = [path("", views.municipality_start, name="municipality_start")]
