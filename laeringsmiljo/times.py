"""Times of day as Norwegian writes them, «kl. 20.09», everywhere: pages, e-mails, letters and
messages. Templates use the filters of laeringsmiljo/templatetags/formats.py; Python code
calls these functions. Django's own formats for bokmål and nynorsk say the same
(laeringsmiljo/formats/), for what Django formats itself, such as the admin."""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext

DATE_STYLES = {
    # 3.2.2020
    "kort": "j.n.Y",
    # 3. februar 2020
    "lang": "j. F Y",
}


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _day(value, style):
    # «3.2.2020» the same in every language, written without Django's format parser: tables
    # show it in every row.
    if style == "kort":
        return f"{value.day}.{value.month}.{value.year:04d}"
    return formats.date_format(value, DATE_STYLES[style])


def clock_time(value, *, seconds=False):
    """«kl. 20.09» (with seconds «kl. 20.09.15»), in the local time zone; "" for no value."""
    if value in (None, ""):
        return ""
    value = _local(value)
    shown = f"{value:%H.%M.%S}" if seconds else f"{value:%H.%M}"
    return gettext("kl. %(time)s") % {"time": shown}


def date_and_time(value, style="kort", *, seconds=False):
    """«3.2.2020 kl. 20.09», or with style "lang" «3. februar 2020 kl. 20.09» (the month in
    the active language); "" for no value."""
    if value in (None, ""):
        return ""
    value = _local(value)
    return f"{_day(value, style)} {clock_time(value, seconds=seconds)}"


def long_date(value):
    """«26. desember 2026», the month in the active language: dates in running text."""
    if value in (None, ""):
        return ""
    return formats.date_format(_local(value), DATE_STYLES["lang"])


def short_date(value):
    """«26.12.2026»: dates in tables."""
    if value in (None, ""):
        return ""
    return _day(_local(value), "kort")


def month_and_year(value):
    """«august 2027», the month in the active language: when a cohort starts or ends."""
    if value in (None, ""):
        return ""
    return formats.date_format(_local(value), "F Y")
