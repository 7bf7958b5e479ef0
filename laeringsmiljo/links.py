"""Links in long tables. `{% url %}` reverses the pattern anew for every row, and reversing is
a good share of such a page's time; `{% link %}` (laeringsmiljo/templatetags/links.py) and
link() give the same address from the pattern reversed once, with a mark where the row's
key goes.

    {% load links %}
    <a href="{% link 'selection:score' row.application.pk %}">
"""

from functools import lru_cache

from django.urls import get_script_prefix, reverse

_MARK = 918273645


@lru_cache(maxsize=512)
def _pattern(name, args, prefix):
    head, mark, tail = reverse(name, args=[*args, _MARK]).rpartition(str(_MARK))
    if not mark:
        raise ValueError(f"{name} tar ikke et heltall som siste argument")
    return head, tail


def link(name, *args):
    """reverse(name, args=args), for an address whose last argument is a whole number (a
    primary key): the pattern is reversed once per name, leading arguments and script
    prefix, and the number put in. Anything else is reversed as usual."""
    *fixed, key = args
    if type(key) is not int or _MARK in fixed:
        return reverse(name, args=args)
    head, tail = _pattern(name, tuple(fixed), get_script_prefix())
    return f"{head}{key}{tail}"


def link_maker(name, *args):
    """A function of one more whole number that gives link(name, *args, number)."""
    return lambda key: link(name, *args, key)
