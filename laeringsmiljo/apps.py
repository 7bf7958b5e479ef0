from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaeringsmiljoConfig(AppConfig):
    name = "laeringsmiljo"
    verbose_name = _("Register og tilgang")

    def ready(self):
        # The receiver that stamps the time of a sign-in for the idle time-out.
        from laeringsmiljo.signin import inactivity  # noqa: F401
