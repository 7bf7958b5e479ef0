"""Placeholders in the texts an administrator edits (letters, e-mails): {municipality},
{deadline} and the like, checked when a text is saved so that an unknown one never reaches a
recipient, and filled in without attribute or index look-ups."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def placeholders_in(text):
    """The placeholder names a text uses; raises ValidationError if its braces are malformed."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        raise ValidationError(
            _(
                "Teksten har en krøllparentes som ikke er lukket. Skriv {{ og }} for å vise selve tegnet."
            ),
            code="malformed",
        ) from None


def _braced(names):
    return ", ".join(f"{{{name}}}" for name in names)


def validate_placeholders(text, allowed):
    """Refuse a text that uses a placeholder not among `allowed` (names), naming it."""
    unknown = sorted(name for name in placeholders_in(text) if name not in allowed)
    if any(not name or not name.isidentifier() for name in unknown):
        raise ValidationError(
            _(
                "Tomme eller ugyldige plassholdere er ikke tillatt. Tillatte plassholdere: %(allowed)s."
            )
            % {"allowed": _braced(sorted(allowed))},
            code="invalid_placeholder",
        )
    if unknown:
        raise ValidationError(
            _("Ukjent plassholder %(names)s. Tillatte plassholdere: %(allowed)s.")
            % {
                "names": _braced(unknown),
                "allowed": _braced(sorted(allowed)),
            },
            code="unknown_placeholder",
        )


def fill(text, values):
    """The text with its placeholders filled in. Attribute and index look-ups are not allowed."""
    result = []
    for literal, name, spec, _conversion in string.Formatter().parse(text):
        result.append(literal)
        if name is not None:
            if name not in values:
                raise KeyError(name)
            result.append(format(str(values[name]), spec or ""))
    return "".join(result)
