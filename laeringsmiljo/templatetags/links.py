"""{% link 'name' arg … key %}: the address {% url %} gives, for a table's rows (see
laeringsmiljo/links.py)."""

from django import template

from laeringsmiljo.links import link as _link

register = template.Library()


@register.simple_tag
def link(name, *args):
    return _link(name, *args)
