"""The six kinds of criterion and the parameters each one takes.

A criterion's rule is fixed by its kind; an administrator tunes it through the parameters
listed here. Every parameter has a type, an allowed range and a default, so a stored set of
parameters can always be checked and completed.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    BULLYING = "mobbing", _("1 Høy mobbeforekomst")
    COMPLAINTS = "klagesaker", _("2 Klagesaker og komplekse saker")
    SUPERVISION = "tilsyn", _("3 Avvik funnet ved tilsyn")
    MOTIVATION = "motivasjon", _("4 Motivasjon og prioritering")
    KINDERGARTENS = "barnehager", _("5 Barnehager som sender barn til skolene")
    PARTICIPATION = "deltakelse", _("6 Full deltakelse")


NUMBERS = {kind: number for number, kind in enumerate(Kind, start=1)}


@dataclass(frozen=True)
class Parameter:
    name: str
    label: str
    integer: bool
    minimum: Decimal
    maximum: Decimal
    default: Decimal

    def parse(self, value):
        """The value as a Decimal (or int), or raise ValidationError with a Norwegian message."""
        if isinstance(value, bool) or value is None:
            raise self._error(value)
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise self._error(value) from None
        if not number.is_finite() or number < self.minimum or number > self.maximum:
            raise self._error(value)
        if self.integer:
            if number != number.to_integral_value():
                raise self._error(value)
            return int(number)
        if number.as_tuple().exponent < -2:
            raise self._error(value)
        return number

    def _error(self, value):
        if self.integer:
            message = _(
                "Parameteren «%(name)s» (%(label)s) må være et helt tall fra %(minimum)s til "
                "%(maximum)s, ikke «%(value)s»."
            )
        else:
            message = _(
                "Parameteren «%(name)s» (%(label)s) må være et tall fra %(minimum)s til "
                "%(maximum)s med høyst to desimaler, ikke «%(value)s»."
            )
        return ValidationError(
            message,
            code="parameter_out_of_range",
            params={
                "name": self.name,
                "label": self.label,
                "minimum": self.minimum,
                "maximum": self.maximum,
                "value": value,
            },
        )


def _int(name, label, minimum, maximum, default):
    return Parameter(name, label, True, Decimal(minimum), Decimal(maximum), Decimal(default))


def _dec(name, label, minimum, maximum, default):
    return Parameter(
        name, label, False, Decimal(str(minimum)), Decimal(str(maximum)), Decimal(str(default))
    )


_MAX_POINTS = _dec("max_points", _("høyeste poengsum"), 0, 100, 10)

PARAMETERS = {
    Kind.BULLYING: [
        _int("years", _("antall skoleår bakover"), 1, 10, 3),
        _dec(
            "points_per_percentage_point",
            _("poeng per prosentpoeng over landsgjennomsnittet"),
            0,
            100,
            2,
        ),
        _MAX_POINTS,
    ],
    Kind.COMPLAINTS: [
        _int("years", _("antall skoleår bakover"), 1, 10, 3),
        _dec("points_per_case", _("poeng per sak"), 0, 100, 1),
        _dec(
            "extra_points_long_running",
            _("tilleggspoeng per langvarig eller kompleks sak"),
            0,
            100,
            1,
        ),
        _MAX_POINTS,
    ],
    Kind.SUPERVISION: [
        _int("years", _("antall skoleår bakover"), 1, 10, 4),
        _dec("points_practice", _("poeng for avvik i praksis"), 0, 100, 3),
        _dec("points_routines", _("poeng for avvik i rutiner"), 0, 100, 2),
        _dec("points_system", _("poeng for avvik i system"), 0, 100, 2),
        _MAX_POINTS,
    ],
    Kind.MOTIVATION: [
        _int("scale_min", _("laveste karakter"), 0, 10, 1),
        _int("scale_max", _("høyeste karakter"), 1, 10, 6),
        _MAX_POINTS,
    ],
    Kind.KINDERGARTENS: [
        _dec("feeder_points", _("poeng når alle barnehagene sender barn til skolene"), 0, 100, 8),
        _dec(
            "points_per_challenged_kindergarten",
            _("poeng per barnehage med kjente utfordringer"),
            0,
            100,
            1,
        ),
        _MAX_POINTS,
    ],
    Kind.PARTICIPATION: [_MAX_POINTS],
}


def defaults(kind):
    """The default parameters of a kind, as stored (decimals as strings)."""
    return {p.name: _stored(p, p.default) for p in PARAMETERS[kind]}


def _stored(parameter, value):
    return int(value) if parameter.integer else str(value)


def clean_parameters(kind, raw):
    """Check a criterion's parameters against its kind and return them complete, as stored.

    Refuses anything but an object, unknown names and values out of range; fills in the
    defaults for names left out.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ValidationError(
            _('Parameterne må skrives som et JSON-objekt, for eksempel {"years": 3}.'),
            code="parameters_not_object",
        )
    known = {p.name: p for p in PARAMETERS[kind]}
    errors = []
    unknown = sorted(set(raw) - set(known))
    for name in unknown:
        errors.append(
            ValidationError(
                _(
                    "Ukjent parameter «%(name)s» for dette kriteriet. Tillatte parametere: "
                    "%(allowed)s."
                ),
                code="unknown_parameter",
                params={"name": name, "allowed": ", ".join(known)},
            )
        )
    cleaned = {}
    for name, parameter in known.items():
        if name not in raw:
            cleaned[name] = _stored(parameter, parameter.default)
            continue
        try:
            cleaned[name] = _stored(parameter, parameter.parse(raw[name]))
        except ValidationError as error:
            errors.append(error)
    if kind == Kind.MOTIVATION and not errors and cleaned["scale_min"] >= cleaned["scale_max"]:
        errors.append(
            ValidationError(
                _("Laveste karakter må være lavere enn høyeste karakter."), code="scale_order"
            )
        )
    if errors:
        raise ValidationError(errors)
    return cleaned


def typed(kind, stored):
    """Stored parameters as numbers to compute with: Decimals, and ints for whole numbers."""
    result = {}
    for parameter in PARAMETERS[kind]:
        value = stored.get(parameter.name, _stored(parameter, parameter.default))
        result[parameter.name] = int(value) if parameter.integer else Decimal(str(value))
    return result


def describe_parameters(kind):
    """A line per parameter for the admin's help text: name, meaning, range and default."""
    return [
        {
            "name": p.name,
            "label": p.label,
            "minimum": p.minimum,
            "maximum": p.maximum,
            "default": p.default,
        }
        for p in PARAMETERS[kind]
    ]
