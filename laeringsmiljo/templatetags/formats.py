"""Template filters for times of day, «kl. 20.09» (see laeringsmiljo/times.py).

{{ letter.sent_at|klokkeslett }}           kl. 20.09
{{ letter.sent_at|tidspunkt }}             3.2.2020 kl. 20.09
{{ letter.sent_at|tidspunkt:"lang" }}      3. februar 2020 kl. 20.09
{{ run.started_at|tidspunkt:"sekunder" }}  3.2.2020 kl. 20.09.15
"""

from django import template

from laeringsmiljo.times import clock_time, date_and_time

register = template.Library()


@register.filter(expects_localtime=True)
def klokkeslett(value):
    return clock_time(value)


@register.filter(expects_localtime=True)
def tidspunkt(value, style="kort"):
    if style == "sekunder":
        return date_and_time(value, "kort", seconds=True)
    return date_and_time(value, style)
