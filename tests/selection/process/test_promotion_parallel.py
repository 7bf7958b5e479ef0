"""Two Udir users promoting a reserve into the same free place at the same moment, each with
its own connection to PostgreSQL: one wins, the other is told, and nothing is doubled."""

from django.test import Client
from django.urls import reverse

from laeringsmiljo.models import AuditEvent
from selection.models import Letter, Participation
from selection.process import settlement
from tests.factories import udir_user
from tests.pageforms import form_data
from tests.parallel import at_once, needs_postgresql
from tests.selection.process.helpers import published_cohort
from tests.signin import sign_in

pytestmark = needs_postgresql


def _session(user):
    client = Client()
    sign_in(client, user)
    return client


def test_two_udir_users_promoting_into_one_place_at_once_one_wins_the_other_is_told():
    selected, first, second = published_cohort(3)
    settlement.decline(
        participation=Participation.objects.get(application=selected), reason="Nei.", actor=None
    )
    place = Participation.objects.get(application=selected).place
    clients = [_session(udir_user(first_name=name, last_name="Udir")) for name in ("Kari", "Ola")]
    national = reverse("selection:national", args=[selected.cohort.pk])
    url = reverse("selection:promote", args=[selected.cohort.pk, place.pk])
    forms = [form_data(c.get(national).content.decode(), url) for c in clients]
    # Kari takes the proposed reserve, Ola another one with a reason: only one gets the place.
    posts = [
        {**forms[0]},
        {**forms[1], "application": str(second.pk), "reason": "Nærmere veilederne."},
    ]

    pages = at_once(
        *[
            (lambda c=c, data=data: c.post(url, data, follow=True).content.decode())
            for c, data in zip(clients, posts, strict=True)
        ]
    )

    won = [n for n, page in enumerate(pages) if "er tatt opp fra reservelisten." in page]
    told = [n for n, page in enumerate(pages) if "Plassen er ikke ledig: " in page]
    assert len(won) == 1 and len(told) == 1 and won != told
    winner = "Kari Udir" if won == [0] else "Ola Udir"
    assert f"Plassen er ikke ledig: {winner} tok opp" in pages[told[0]]
    holders = Participation.objects.filter(place=place, status="venter")
    assert holders.count() == 1
    assert holders.get().application == (first if won == [0] else second)
    assert AuditEvent.objects.filter(action="reserve.promoted").count() == 1
    assert Letter.objects.filter(kind="decision_promoted").count() == 1
