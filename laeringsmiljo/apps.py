from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class LaeringsmiljoConfig(AppConfig):
    default = True
    name = "laeringsmiljo"
    verbose_name = _("Register og tilgang")

    def ready(self):
        # The receiver that stamps the time of a sign-in for the idle time-out.
        # The receiver that asks for the second factor again at every sign-in.
        from laeringsmiljo.signin import (
            inactivity,  # noqa: F401
            second_factor,  # noqa: F401
        )


class AdminConfig(admin_apps.AdminConfig):
    """Django admin, with the site that asks for the second factor."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "laeringsmiljo.signin.admin_site.SecondFactorAdminSite"
