"""Validators for the identifiers the registry keeps, and for text that a person types."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible
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


# Characters nobody means to type and XML cannot hold (so neither an .xlsx nor a tagged PDF):
# the C0 controls except tab, line feed and carriage return, lone surrogates and the two
# non-characters. A word processor's line break (U+000B) arrives this way when pasted.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# How much of the text before the character the message quotes, so that it can be found.
QUOTED_BEFORE = 30


@deconstructible
class ControlCharacterValidator:
    """Refuses text with a control character, naming the field and where the character is:
    the character is invisible, so the message quotes the words just before it."""

    code = "control_character"

    def __init__(self, field_name):
        self.field_name = field_name

    def __call__(self, value):
        value = str(value)
        match = CONTROL_CHARACTERS.search(value)
        if match is None:
            return
        params = {"field": self.field_name, "character": f"U+{ord(match.group()):04X}"}
        before = " ".join(value[: match.start()].split())
        if not before:
            raise ValidationError(
                _(
                    "«%(field)s» begynner med et usynlig tegn som ikke kan lagres (%(character)s). "
                    "Det følger ofte med tekst som er limt inn fra et annet program: slett det "
                    "første tegnet, eller lim inn teksten som ren tekst, og prøv igjen."
                ),
                code=self.code,
                params=params,
            )
        if len(before) > QUOTED_BEFORE:
            before = "…" + before[-QUOTED_BEFORE:].lstrip()
        raise ValidationError(
            _(
                "«%(field)s» har et usynlig tegn som ikke kan lagres (%(character)s), rett etter "
                "«%(before)s». Det følger ofte med tekst som er limt inn fra et annet program: "
                "slett tegnet (ofte et linjeskift) der og skriv det på nytt, eller lim inn teksten "
                "som ren tekst, og prøv igjen."
            ),
            code=self.code,
            params={**params, "before": before},
        )

    def __eq__(self, other):
        return isinstance(other, ControlCharacterValidator) and other.field_name == self.field_name


def refuse_control_characters(form):
    """Give every text field of the form the control character check, named by the field's
    label. It takes the place of Django's check for null characters, whose message does not
    say which field it means."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
            continue
        field.validators = [
            validator
            for validator in field.validators
            if not isinstance(
                validator, ProhibitNullCharactersValidator | ControlCharacterValidator
            )
        ]
        field.validators.append(ControlCharacterValidator(field.label or name))


class TypedTextMixin:
    """Makes a form's text fields refuse control characters (see refuse_control_characters).
    Mix it in before forms.Form or forms.ModelForm."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_control_characters(self)
