"""The one set of filters for numbers, dates and times on every page (and in letters and
e-mails made from templates), so each is written one way:

{{ score.total|poeng }}                    42,00   (– when there is none)
{{ entry.share|desimal }}                  12,35   shares, weights, differences: the same form
{{ schedule.application_deadline|dato }}    26. desember 2026   (in running text)
{{ schedule.application_deadline|kortdato }} 26.12.2026         (in tables)
{{ cohort.start_date|maaned }}             august 2027
{{ letter.sent_at|klokkeslett }}           kl. 20.09
{{ letter.sent_at|tidspunkt }}             3.2.2020 kl. 20.09
{{ letter.sent_at|tidspunkt:"lang" }}      3. februar 2020 kl. 20.09
{{ run.started_at|tidspunkt:"sekunder" }}  3.2.2020 kl. 20.09.15

Python code calls laeringsmiljo/numbers.py and laeringsmiljo/times.py, which these use.
"""

from django import template

from laeringsmiljo.numbers import points
from laeringsmiljo.times import clock_time, date_and_time, long_date, month_and_year, short_date

register = template.Library()


@register.filter
def poeng(value):
    return points(value)


@register.filter
def desimal(value):
    return points(value)


@register.filter(expects_localtime=True)
def dato(value):
    return long_date(value)


@register.filter(expects_localtime=True)
def kortdato(value):
    return short_date(value)


@register.filter(expects_localtime=True)
def maaned(value):
    return month_and_year(value)


@register.filter(expects_localtime=True)
def klokkeslett(value):
    return clock_time(value)


@register.filter(expects_localtime=True)
def tidspunkt(value, style="kort"):
    if style == "sekunder":
        return date_and_time(value, "kort", seconds=True)
    return date_and_time(value, style)
