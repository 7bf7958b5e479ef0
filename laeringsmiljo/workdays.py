"""Norwegian public holidays and working days, for deadlines such as the three weeks to appeal.

The holidays are those of lov om helligdager og helligdagsfred § 2 and lov om 1. og 17. mai som
høgtidsdager: New Year's Day, Maundy Thursday, Good Friday, Easter Sunday and Monday, 1 May,
17 May, Ascension Day, Whit Sunday and Monday, Christmas Day and Boxing Day. The list is fixed
by law and the movable ones follow Easter, so they are computed here rather than taken from a
package that would need updating for every other country's changes.
"""

from datetime import date, timedelta
from functools import lru_cache


def easter_sunday(year):
    """Easter Sunday of the year in the Gregorian calendar (the anonymous Gregorian computus,
    also called the Meeus/Jones/Butcher algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year):
    """The Norwegian public holidays of the year, by date, with their Norwegian names."""
    easter = easter_sunday(year)
    movable = {
        -3: "Skjærtorsdag",
        -2: "Langfredag",
        0: "Første påskedag",
        1: "Andre påskedag",
        39: "Kristi himmelfartsdag",
        49: "Første pinsedag",
        50: "Andre pinsedag",
    }
    holidays = {
        date(year, 1, 1): "Første nyttårsdag",
        date(year, 5, 1): "Offentlig høytidsdag",
        date(year, 5, 17): "Grunnlovsdag",
        date(year, 12, 25): "Første juledag",
        date(year, 12, 26): "Andre juledag",
    }
    for offset, name in movable.items():
        holidays.setdefault(easter + timedelta(days=offset), name)
    return holidays


def is_working_day(day):
    """Whether the day is neither a Saturday, a Sunday nor a public holiday."""
    return day.weekday() < 5 and day not in public_holidays(day.year)


def next_working_day(day):
    """The day itself when it is a working day, otherwise the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def appeal_deadline(sent):
    """The last day to appeal a decision sent on the given day: three weeks later
    (forvaltningsloven § 29), moved to the next working day when that is a Saturday, Sunday or
    public holiday, as domstolloven § 149 does for time limits and the administration follows."""
    return next_working_day(sent + timedelta(weeks=3))
