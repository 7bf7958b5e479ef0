"""{% link %} gives the address {% url %} gives, from the pattern reversed once."""

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from laeringsmiljo.links import link


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("selection:score", [1]),
        ("selection:score", [918273645]),
        ("selection:move", [3, 7, 12345]),
        ("selection:ranking_export", [3, 7, "xlsx"]),  # not a number last: reversed as usual
        ("applications:detail", [42]),
    ],
)
def test_a_link_is_the_reversed_address(name, args):
    assert link(name, *args) == reverse(name, args=args)


def test_a_link_follows_the_script_prefix():
    try:
        set_script_prefix("/tjeneste/")
        assert link("selection:score", 5) == reverse("selection:score", args=[5])
        assert link("selection:score", 5).startswith("/tjeneste/")
    finally:
        set_script_prefix("/")
    assert link("selection:score", 5) == reverse("selection:score", args=[5])


def test_the_tag_writes_the_same_as_url():
    context = Context({"pk": 17, "cohort": 2, "office": 3})
    assert Template("{% load links %}{% link 'selection:recommend' cohort office pk %}").render(
        context
    ) == Template("{% url 'selection:recommend' cohort office pk %}").render(context)
