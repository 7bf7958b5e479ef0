"""Validators for the identifiers the registry keeps."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr


def normalise_orgnr(value):
    """Return a Norwegian organisation number as nine digits, or raise ValidationError."""
    try:
        return orgnr.validate(value)
    except StdnumError:
        raise ValidationError(
            _("«%(value)s» er ikke et gyldig organisasjonsnummer (ni siffer med kontrollsiffer)."),
            code="invalid_orgnr",
            params={"value": value},
        ) from None


def validate_orgnr(value):
    normalise_orgnr(value)
    if value != orgnr.compact(value):
        raise ValidationError(
            _("Organisasjonsnummeret skal lagres som ni siffer uten mellomrom."),
            code="orgnr_not_compact",
        )


def validate_municipality_number(value):
    if len(value) != 4 or not value.isdigit():
        raise ValidationError(
            _("«%(value)s» er ikke et kommunenummer: det skal være fire siffer, som 0301."),
            code="invalid_municipality_number",
            params={"value": value},
        )


def validate_county_number(value):
    if len(value) != 2 or not value.isdigit():
        raise ValidationError(
            _("«%(value)s» er ikke et fylkesnummer: det skal være to siffer, som 03."),
            code="invalid_county_number",
            params={"value": value},
        )
