"""Placeholders in letter texts: {municipality}, {deadline} and the like, checked when a text is
saved so that an unknown one never reaches a letter."""

from django.utils.translation import gettext_lazy as _

from laeringsmiljo import placeholders as core

COMMON = {
    "municipality": _("kommunens navn"),
    "municipality_number": _("kommunenummeret"),
    "office": _("embetets navn"),
    "cohort": _("puljens navn"),
    "kickoff_date": _("dato for oppstartssamlingen"),
    "start_date": _("formell oppstart"),
    "end_date": _("avslutning"),
    "semesters": _("antall semestre"),
    "office_email": _("embetets e-postadresse"),
}
BY_KIND = {
    "invitation": {
        **COMMON,
        "deadline": _("søknadsfristen"),
        "criteria": _("de seks kriteriene, ett per linje"),
        "service_url": _("adressen til tjenesten"),
    },
    "receipt": {
        **COMMON,
        "reference": _("søknadens referansenummer"),
        "submitted_at": _("tidspunktet søknaden ble sendt"),
        "schools": _("de deltakende skolene"),
        "kindergartens": _("de deltakende barnehagene"),
        "ppt": _("PP-tjenesten"),
    },
}
_DECISION = {
    **COMMON,
    "reference": _("søknadens referansenummer"),
    "reason": _("begrunnelsen for vedtaket"),
    "decided_at": _("datoen vedtaket ble publisert"),
    "case_officer": _("saksbehandleren i Udir"),
    "case_officer_email": _("saksbehandlerens e-postadresse"),
    "decided": _(
        "«har vedtatt» når puljens vedtak er enkeltvedtak, ellers «har bestemt» (nynorsk: «har "
        "vedteke» eller «har bestemt»)"
    ),
    "decision": _(
        "«vedtaket» når puljens vedtak er enkeltvedtak, ellers «resultatet» (det samme på nynorsk)"
    ),
}
# The section on the right to appeal, or on why there is none, in every decision letter.
SECTION_PLACEHOLDERS = {
    "reference": _("saksnummeret"),
    "letter_date": _("brevets dato, som er datoen det sendes"),
    "appeal_deadline": _(
        "siste dag for å klage: tre uker etter brevets dato, flyttet til neste virkedag når den "
        "er en lørdag, søndag eller helligdag"
    ),
    "sender": _("avsenderens navn"),
    "sender_address": _("avsenderens postadresse på én linje"),
    "sender_email": _("avsenderens e-postadresse"),
    "appeal_body": _("klageinstansen"),
    "case_officer": _("saksbehandleren i Udir"),
    "case_officer_email": _("saksbehandlerens e-postadresse"),
}
BY_KIND.update(
    {
        "decision_selected": _DECISION,
        "decision_reserve": _DECISION,
        "decision_not_selected": _DECISION,
        "decision_promoted": {**_DECISION, "answer_deadline": _("svarfristen")},
        "reserve_closed": _DECISION,
        "answer_reminder": {
            **COMMON,
            "reference": _("søknadens referansenummer"),
            "answer_deadline": _("svarfristen"),
            "service_url": _("adressen til tjenesten"),
        },
        "withdrawal": {
            **COMMON,
            "reference": _("søknadens referansenummer"),
            "left_on": _("datoen kommunen gikk ut"),
            "leaving": _("hvordan kommunen gikk ut (takket nei, svarte ikke, trakk seg)"),
            "reason": _("begrunnelsen som ble registrert"),
        },
    }
)


def validate_placeholders(text, kind=None, *, allowed=None):
    """Refuse a text that uses a placeholder this kind of letter (or the given set) does not
    know, naming it."""
    core.validate_placeholders(text, BY_KIND[kind] if allowed is None else allowed)
