"""The charts' coordinates and tick values (laeringsmiljo/charts.py), and the drawings the
templates make of them."""

import re
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from laeringsmiljo.charts import bar_chart, line_chart, nice_ticks, norwegian_number


def test_tick_values_are_written_the_norwegian_way():
    assert norwegian_number(5) == "5"
    assert norwegian_number(2.5, decimals=1) == "2,5"
    assert norwegian_number(1500) == "1\u00a0500"
    assert norwegian_number(-1) == "−1"


def test_ticks_run_from_zero_in_round_steps_past_the_largest_value():
    assert nice_ticks(15) == ([0, 5, 10, 15], 0)
    assert nice_ticks(Decimal("11.1")) == ([0, 2.5, 5, 7.5, 10, 12.5], 1)
    assert nice_ticks(3, whole=True) == ([0, 1, 2, 3], 0)
    assert nice_ticks(0, whole=True) == ([0, 1], 0)
    assert nice_ticks(None) == ([0, 0.2, 0.4, 0.6, 0.8, 1], 1)


def _line(values):
    return line_chart(
        id="t",
        title="Tittel",
        description="Beskrivelse",
        x_labels=["a", "b", "c", "d"],
        series=[("En", values), ("To", [Decimal(1)] * 4)],
        y_label="y",
        x_label="x",
    )


def test_a_missing_value_breaks_the_line_and_draws_no_point():
    chart = _line([Decimal(2), None, Decimal(4), Decimal(3)])
    first = chart["series"][0]
    assert len(first["points"]) == 3
    assert len(first["paths"]) == 1
    assert first["paths"][0].count("L") == 1
    assert all(point["y"] < chart["bottom"] for point in first["points"])
    # A line of its own joins all four.
    assert chart["series"][1]["paths"][0].count("L") == 3


def test_a_value_alone_between_gaps_is_a_point_without_a_line():
    chart = _line([None, Decimal(2), None, None])
    assert chart["series"][0]["paths"] == []
    assert [point["value"] for point in chart["series"][0]["points"]] == [Decimal(2)]


def test_the_drawing_writes_coordinates_with_a_point_in_nynorsk_too():
    chart = _line([Decimal("2.5"), None, Decimal("4.25"), Decimal(3)])
    with translation.override("nn"):
        svg = render_to_string("_line_chart.html", {"chart": chart})
    assert not re.search(r'(?:x|y|x1|y1|x2|y2|cx|cy|d|width|height)="[^"]*\d,\d', svg)
    assert "style" not in svg
    assert 'role="img"' in svg and 'aria-labelledby="t-tittel t-beskrivelse"' in svg


def test_each_bar_is_as_long_as_its_count():
    chart = bar_chart(
        id="b",
        title="Tittel",
        description="Beskrivelse",
        categories=["Nord", "Sør"],
        series=[("Invitert", [4, 2]), ("Sendt inn", [3, 0])],
        value_label="Antall",
    )
    full = chart["right"] - chart["left"]
    bars = [(bar["value"], bar["width"]) for group in chart["groups"] for bar in group["bars"]]
    assert bars == [(4, full), (3, full * 3 / 4), (2, full / 2), (0, 0)]
    assert [tick["label"] for tick in chart["ticks"]] == ["0", "1", "2", "3", "4"]
    svg = render_to_string("_bar_chart.html", {"chart": chart})
    assert "style" not in svg
    assert svg.count('class="chart-bar"') == 4 + 2  # the bars and the legend's keys
