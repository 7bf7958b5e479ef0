"""The one wording of a refused stale form: what was changed while the user had the page open,
by whom and when, or that the user did it themself (in another tab or window)."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from laeringsmiljo.times import date_and_time


def person(user):
    """A user's full name, or the username."""
    return user.get_full_name() or user.username


def changed_meanwhile(*, what, by, at, actor):
    """The first sentence of every refusal of a stale form.

    what is the thing in lower case with its article ("vedtaket for Bodø"); by and at say who
    changed it last and when (either may be None when nobody or no time is recorded); actor is
    the user whose save is refused.
    """
    when = date_and_time(at, "lang") if at else None
    if by is not None and actor is not None and by.pk == actor.pk:
        if when:
            return _(
                "Du har selv endret %(what)s %(at)s, i en annen fane eller et annet vindu, etter at "
                "du åpnet denne siden."
            ) % {"what": what, "at": when}
        return _(
            "Du har selv endret %(what)s i en annen fane eller et annet vindu etter at du åpnet "
            "denne siden."
        ) % {"what": what}
    name = person(by) if by is not None else _("en annen")
    if when:
        return _("%(what)s ble endret av %(name)s %(at)s mens du hadde siden åpen.") % {
            "what": capfirst(what),
            "name": name,
            "at": when,
        }
    return _("%(what)s ble endret av %(name)s mens du hadde siden åpen.") % {
        "what": capfirst(what),
        "name": name,
    }


def deleted(*, what, by, at, actor):
    """The first sentence of the answer to opening or saving something that has been deleted:
    who deleted it and when (at is None when that is not recorded)."""
    if at is None:
        return _("%(what)s er slettet.") % {"what": capfirst(what)}
    when = date_and_time(at, "lang")
    if by is not None and actor is not None and by.pk == actor.pk:
        return _(
            "Du har selv slettet %(what)s %(at)s, kanskje i en annen fane eller et annet vindu."
        ) % {"what": what, "at": when}
    return _("%(what)s ble slettet av %(name)s %(at)s.") % {
        "what": capfirst(what),
        "name": person(by) if by is not None else _("en annen"),
        "at": when,
    }
