"""One way to write points, dates and times: the filters of laeringsmiljo/templatetags/formats.py
and the functions behind them."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from laeringsmiljo.numbers import points


def render(text, **context):
    return Template("{% load formats %}" + text).render(Context(context))


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (42, "42,00"),
        (Decimal("41.275"), "41,28"),
        (Decimal("41.274"), "41,27"),
        (0, "0,00"),
        (Decimal("-1.5"), "−1,50"),
        ("12.5", "12,50"),
        (None, "–"),
        ("ikke et tall", "–"),
    ],
)
def test_points_have_two_decimals_and_a_decimal_comma(value, shown):
    assert points(value) == shown
    assert render("{{ value|poeng }}", value=value) == shown


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_dates_are_long_in_text_and_short_in_tables(language):
    day = datetime.date(2026, 12, 26)
    with translation.override(language):
        assert render("{{ day|dato }}", day=day) == "26. desember 2026"
        assert render("{{ day|kortdato }}", day=day) == "26.12.2026"
        assert render("{{ day|dato }}", day=datetime.date(2027, 3, 1)) == "1. mars 2027"
    assert render("{{ nothing|dato }}{{ nothing|kortdato }}", nothing=None) == ""


def test_a_time_in_a_table_is_in_the_local_zone_with_kl():
    moment = datetime.datetime(2026, 12, 26, 22, 59, tzinfo=datetime.UTC)
    with translation.override("nb"):
        assert render("{{ moment|kortdato }} {{ moment|klokkeslett }}", moment=moment) == (
            "26.12.2026 kl. 23.59"
        )
        assert render('{{ moment|tidspunkt:"lang" }}', moment=moment) == (
            "26. desember 2026 kl. 23.59"
        )


def test_a_short_date_has_no_leading_zeros_and_a_time_past_midnight_in_oslo_is_the_next_day():
    assert render("{{ day|kortdato }}", day=datetime.date(2027, 3, 1)) == "1.3.2027"
    # 23.30 UTC on new year's eve is half past midnight in Oslo, on the first of January.
    moment = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    with translation.override("nn"):
        assert render("{{ moment|kortdato }} {{ moment|klokkeslett }}", moment=moment) == (
            "1.1.2027 kl. 00.30"
        )
        assert render("{{ moment|dato }}", moment=moment) == "1. januar 2027"


@pytest.mark.parametrize(("language", "month"), [("nb", "august"), ("nn", "august")])
def test_a_month_and_year_in_both_languages(language, month):
    with translation.override(language):
        assert render("{{ day|maaned }}", day=datetime.date(2027, 8, 1)) == f"{month} 2027"
        assert render("{{ nothing|maaned }}", nothing=None) == ""
