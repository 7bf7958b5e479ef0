from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaeringsmiljoConfig(AppConfig):
    name = "laeringsmiljo"
    verbose_name = _("Register og tilgang")
