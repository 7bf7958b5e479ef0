"""The placeholders of the reminder texts, checked when a text is saved (as the letters')."""

from django.utils.translation import gettext_lazy as _

from selection.letters.placeholders import COMMON

REMINDER_PLACEHOLDERS = {
    "soknad": {
        **COMMON,
        "deadline": _("søknadsfristen (for en gjenåpnet søknad dens egen frist)"),
        "missing": _("det som mangler før søknaden kan sendes, ett punkt per linje"),
        "service_url": _("adressen til tjenesten"),
    },
    "bekreftelse": {
        **COMMON,
        "deadline": _("søknadsfristen (for en gjenåpnet søknad dens egen frist)"),
        "waiting": _(
            "de som ikke har svart, med hva de skal bekrefte for og når de ble spurt, én per linje"
        ),
        "service_url": _("adressen til tjenesten"),
    },
}
