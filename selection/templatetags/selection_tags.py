import datetime

from django import template
from django.utils.translation import gettext as _

from selection.evidence.models import format_school_year

register = template.Library()


@register.filter
def school_year(value):
    """2019 → «2019-20»."""
    if value in (None, ""):
        return ""
    return format_school_year(int(value))


@register.filter
def isodate(value):
    """A date stored as ISO text, as a date for the date filter."""
    if not value:
        return None
    return datetime.date.fromisoformat(value[:10])


@register.filter
def isodatetime(value):
    if not value:
        return None
    return datetime.datetime.fromisoformat(value)


@register.filter
def grade_label(value):
    """«» → alle trinn; «7» → 7. trinn."""
    if not value:
        return _("alle trinn")
    if value.isdigit():
        return _("%(grade)s. trinn") % {"grade": value}
    return value.upper()


@register.filter
def person(user):
    """A user's full name, or the username, or a dash when nobody is recorded."""
    if user is None:
        return "–"
    return user.get_full_name() or user.username
