"""The conflicts of the ranking and the national page with truly parallel requests (PostgreSQL):
saves of the same thing from pages opened at the same state let exactly one win and tell the
others; saves of different things all go through; nothing is recorded twice."""

from django.test import Client
from django.urls import reverse

from laeringsmiljo.models import AuditEvent
from selection.process import decisions
from selection.process.models import Decision, Recommendation
from tests.factories import office_user, udir_user
from tests.pageforms import form_data
from tests.parallel import at_once, needs_postgresql
from tests.selection.process.helpers import submitted_applications
from tests.signin import sign_in

pytestmark = needs_postgresql


def _session(user):
    client = Client()
    sign_in(client, user)
    return client


def _args(application):
    return [application.cohort.pk, application.municipality.county.office.pk]


def _action(name, application):
    return reverse(name, args=[*_args(application), application.pk])


def _open(client, name, application):
    page = client.get(reverse("selection:ranking", args=_args(application))).content.decode()
    return form_data(page, _action(name, application))


def _post(client, url, data):
    return lambda: client.post(url, data, follow=True).content.decode()


def _ranked(count):
    applications = submitted_applications(count)
    office = applications[0].municipality.county.office
    rows = decisions.ranking(cohort=applications[0].cohort, office_ids=[office.pk])
    officers = [office_user(office, first_name=name, last_name="Saksbehandler") for name in "KO"]
    return [row.application for row in rows], [_session(user) for user in officers]


def _order(application):
    rows = decisions.ranking(
        cohort=application.cohort, office_ids=[application.municipality.county.office_id]
    )
    return [row.application.pk for row in rows]


def test_six_udir_users_deciding_one_application_at_once_one_wins():
    applications = submitted_applications(1)
    application = applications[0]
    clients = [_session(udir_user(first_name=f"Bruker {n}")) for n in range(6)]
    url = reverse("selection:decide", args=[application.cohort.pk, application.pk])
    national = reverse("selection:national", args=[application.cohort.pk])
    national += f"?kontor={application.municipality.county.office_id}"
    forms = [form_data(c.get(national).content.decode(), url) for c in clients]

    pages = at_once(
        *[
            _post(
                client,
                url,
                {
                    **form,
                    "outcome": "valgt",
                    "reason": f"Vedtak {n}.",
                    "deviation_reason": "Før innstillingen.",
                },
            )
            for n, (client, form) in enumerate(zip(clients, forms, strict=True))
        ]
    )

    name = application.municipality.name
    saved = [n for n, page in enumerate(pages) if f"Vedtaket for {name} er lagret som" in page]
    told = [page for page in pages if f"Vedtaket for {name} ble endret av Bruker " in page]
    assert (len(saved), len(told)) == (1, 5)
    decision = Decision.objects.get()
    assert (decision.reason, decision.revision) == (f"Vedtak {saved[0]}.", 1)
    assert AuditEvent.objects.filter(action="decision.staged").count() == 1


def test_two_officers_giving_one_application_a_verdict_at_once_one_wins():
    (first, _second), (kari, ola) = _ranked(2)
    url = _action("selection:recommend", first)
    kari_form, ola_form = (_open(c, "selection:recommend", first) for c in (kari, ola))

    pages = at_once(
        _post(kari, url, {**kari_form, "verdict": "anbefalt", "justification": "Kari."}),
        _post(ola, url, {**ola_form, "verdict": "reserve", "justification": "Ola."}),
    )

    name = first.municipality.name
    assert sorted(f"Innstillingen for {name} er lagret." in page for page in pages) == [
        False,
        True,
    ]
    assert sum(f"Innstillingen for {name} ble endret av " in page for page in pages) == 1
    assert Recommendation.objects.get(application=first).revision == 1
    assert AuditEvent.objects.filter(action="recommendation.set").count() == 1


def test_two_officers_giving_different_applications_verdicts_at_once_both_win():
    (first, second), (kari, ola) = _ranked(2)
    kari_form = _open(kari, "selection:recommend", first)
    ola_form = _open(ola, "selection:recommend", second)

    pages = at_once(
        _post(
            kari,
            _action("selection:recommend", first),
            {**kari_form, "verdict": "anbefalt", "justification": "Kari."},
        ),
        _post(
            ola,
            _action("selection:recommend", second),
            {**ola_form, "verdict": "reserve", "justification": "Ola."},
        ),
    )

    assert f"Innstillingen for {first.municipality.name} er lagret." in pages[0]
    assert f"Innstillingen for {second.municipality.name} er lagret." in pages[1]
    assert sorted(Recommendation.objects.values_list("verdict", flat=True)) == [
        "anbefalt",
        "reserve",
    ]


def test_two_officers_swapping_the_same_places_at_once_one_wins():
    (first, second, third), (kari, ola) = _ranked(3)
    kari_form = _open(kari, "selection:move", second)
    ola_form = _open(ola, "selection:move", first)

    pages = at_once(
        _post(
            kari,
            _action("selection:move", second),
            {**kari_form, "direction": "opp", "reason": "Kari."},
        ),
        _post(
            ola,
            _action("selection:move", first),
            {**ola_form, "direction": "ned", "reason": "Ola."},
        ),
    )

    assert sum(" er flyttet." in page for page in pages) == 1
    assert sum("Rangeringen ble endret av " in page for page in pages) == 1
    assert _order(first) == [second.pk, first.pk, third.pk]
    assert AuditEvent.objects.filter(action="ranking.moved").count() == 1


def test_two_officers_moving_different_places_at_once_both_win():
    (first, second, third, fourth), (kari, ola) = _ranked(4)
    kari_form = _open(kari, "selection:move", second)
    ola_form = _open(ola, "selection:move", fourth)

    pages = at_once(
        _post(
            kari,
            _action("selection:move", second),
            {**kari_form, "direction": "opp", "reason": "Kari."},
        ),
        _post(
            ola,
            _action("selection:move", fourth),
            {**ola_form, "direction": "opp", "reason": "Ola."},
        ),
    )

    assert f"{second.municipality.name} er flyttet." in pages[0]
    assert f"{fourth.municipality.name} er flyttet." in pages[1]
    assert _order(first) == [second.pk, first.pk, fourth.pk, third.pk]
    assert AuditEvent.objects.filter(action="ranking.moved").count() == 2


def test_two_scorings_of_one_application_at_once_leave_exactly_one_latest_score():
    from selection.scoring.engine import latest_scores, score_application
    from selection.scoring.models import ApplicationScore

    [application] = submitted_applications(1)

    first, second = at_once(
        lambda: score_application(application=application, actor=None),
        lambda: score_application(application=application, actor=None),
    )

    latest = ApplicationScore.objects.filter(application=application, is_latest=True)
    assert latest.count() == 1
    newest = max(first, second, key=lambda score: score.run_id)
    assert latest.get() == newest == latest_scores([application])[application.pk]
