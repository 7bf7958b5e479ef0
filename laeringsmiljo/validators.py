"""Validators for the identifiers the registry keeps, and for text that a person types."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import formats
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext
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


def count_characters(value):
    """Characters as a person sees them: a line break is one, as the page counts it, although
    the browser sends it as two."""
    return len(str(value).replace("\r\n", "\n"))


@deconstructible
class TextLengthValidator:
    """Refuses a text longer than `limit` characters, saying by how much, in the field's name."""

    code = "text_too_long"

    def __init__(self, limit, field_name):
        self.limit = limit
        self.field_name = field_name

    def __call__(self, value):
        count = count_characters(value)
        if count <= self.limit:
            return
        raise ValidationError(
            _(
                "«%(field)s» kan være på høyst %(limit)s tegn, men teksten har %(count)s. Kort "
                "den ned med %(over)s tegn."
            ),
            code=self.code,
            params={
                "field": self.field_name,
                "limit": formats.number_format(self.limit, force_grouping=True),
                "count": formats.number_format(count, force_grouping=True),
                "over": formats.number_format(count - self.limit, force_grouping=True),
            },
        )

    def __eq__(self, other):
        return isinstance(other, TextLengthValidator) and (other.limit, other.field_name) == (
            self.limit,
            self.field_name,
        )


def limit_text(field, limit):
    """Give a text field of a form a limit: checked when the form is validated, stated in its
    help text, and counted live in the page as the person types (static/js/character-count.js).
    The widget gets no maxlength, which would cut off pasted text without a word."""
    field.validators = [v for v in field.validators if not isinstance(v, TextLengthValidator)]
    field.validators.append(TextLengthValidator(limit, field.label))
    shown = formats.number_format(limit, force_grouping=True)
    stated = gettext("Høyst %(limit)s tegn.") % {"limit": shown}
    field.help_text = f"{field.help_text} {stated}" if field.help_text else stated
    field.widget.attrs.update(
        {
            "data-maxlength": limit,
            "data-count-text": gettext("{count} av {limit} tegn"),
            "data-over-text": gettext("{count} av {limit} tegn – {over} for mange"),
        }
    )
