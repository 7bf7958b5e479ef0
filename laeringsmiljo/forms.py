from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Brukernavnet eller passordet er feil. Merk at det skilles mellom store og små bokstaver."
        ),
        "inactive": _("Denne brukeren er deaktivert."),
    }
