"""Django admin behind the second factor: an admin user signed in with a password reaches it
only after the code (laeringsmiljo/signin/second_factor.py), and signs in through the
service's own login page, never through a second one of the admin's."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from laeringsmiljo.signin.second_factor import has_passed


class SecondFactorAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and has_passed(request)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Signed in, and not staff: the login page would send the user back here.
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
