"""Two people on the ranking page or the national page at once, each in a real session: a save
from a page opened before a colleague's save of the same thing is refused, names the colleague
(or says it was the user in another tab), shows what is saved now and keeps what was typed;
saves of other things go through."""

import pytest
from django.test import Client
from django.urls import reverse

from laeringsmiljo.models import AuditEvent
from selection.process import decisions
from selection.process.models import Decision, Recommendation
from tests.factories import office_user, udir_user
from tests.pageforms import form_data
from tests.selection.process.helpers import submitted_applications
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


def _session(user):
    client = Client()
    sign_in(client, user)
    return client


def _args(application):
    return [application.cohort.pk, application.municipality.county.office.pk]


def _ranking(application):
    return reverse("selection:ranking", args=_args(application))


def _action(name, application):
    return reverse(name, args=[*_args(application), application.pk])


def _open(client, name, application):
    """The ranking page as the client sees it now, and the form of `name` for the application."""
    page = client.get(_ranking(application)).content.decode()
    return form_data(page, _action(name, application))


def _order(application):
    rows = decisions.ranking(
        cohort=application.cohort, office_ids=[application.municipality.county.office_id]
    )
    return [row.application.pk for row in rows]


@pytest.fixture
def office_of_four():
    applications = submitted_applications(4)
    office = applications[0].municipality.county.office
    kari = office_user(office, first_name="Kari", last_name="Saksbehandler")
    ola = office_user(office, first_name="Ola", last_name="Nordmann")
    ranked = decisions.ranking(cohort=applications[0].cohort, office_ids=[office.pk])
    return [row.application for row in ranked], kari, ola


def test_a_verdict_from_a_stale_page_names_the_colleague_and_keeps_what_was_typed(
    office_of_four,
):
    (first, *_rest), kari, ola = office_of_four
    kari_client, ola_client = _session(kari), _session(ola)
    kari_form = _open(kari_client, "selection:recommend", first)
    ola_form = _open(ola_client, "selection:recommend", first)
    url = _action("selection:recommend", first)

    kari_client.post(url, {**kari_form, "verdict": "anbefalt", "justification": "Størst behov."})
    refused = ola_client.post(
        url, {**ola_form, "verdict": "reserve", "justification": "Heller reserve."}, follow=True
    )

    page = refused.content.decode()
    assert f"Innstillingen for {first.municipality.name} ble endret av Kari Saksbehandler " in page
    assert "mens du hadde siden åpen." in page
    assert "<strong>Innstilt</strong>" in page
    assert "Størst behov.</p>" in page
    kept = form_data(page, url)
    assert kept == {"revision": "1", "verdict": "reserve", "justification": "Heller reserve."}
    recommendation = Recommendation.objects.get(application=first)
    assert (recommendation.verdict, recommendation.justification, recommendation.verdict_by) == (
        "anbefalt",
        "Størst behov.",
        kari,
    )
    # Saved again from the page as it is now, Ola's verdict replaces Kari's on purpose.
    ola_client.post(url, kept)
    recommendation.refresh_from_db()
    assert (recommendation.verdict, recommendation.revision) == ("reserve", 2)
    assert AuditEvent.objects.filter(action="recommendation.set").count() == 2


def test_a_verdict_from_another_tab_is_told_as_the_users_own(office_of_four):
    (first, *_rest), kari, _ola = office_of_four
    client = _session(kari)
    tab_one = _open(client, "selection:recommend", first)
    tab_two = _open(client, "selection:recommend", first)
    url = _action("selection:recommend", first)
    client.post(url, {**tab_one, "verdict": "anbefalt", "justification": "Fra fane én."})
    refused = client.post(
        url, {**tab_two, "verdict": "reserve", "justification": "Fra fane to."}, follow=True
    )
    page = refused.content.decode()
    assert f"Du har selv endret innstillingen for {first.municipality.name} " in page
    assert "i en annen fane eller et annet vindu" in page
    assert "ble endret av" not in page
    assert Recommendation.objects.get(application=first).justification == "Fra fane én."


def test_saves_elsewhere_in_the_ranking_do_not_refuse_a_page_opened_before(office_of_four):
    (first, second, third, fourth), kari, ola = office_of_four
    kari_client, ola_client = _session(kari), _session(ola)
    kari_verdict = _open(kari_client, "selection:recommend", first)
    kari_move = _open(kari_client, "selection:move", first)
    # Ola moves the fourth above the third and gives the third a verdict.
    ola_client.post(
        _action("selection:move", fourth),
        {**_open(ola_client, "selection:move", fourth), "direction": "opp", "reason": "Behov."},
    )
    ola_client.post(
        _action("selection:recommend", third),
        {
            **_open(ola_client, "selection:recommend", third),
            "verdict": "reserve",
            "justification": "Reserve.",
        },
    )

    saved = kari_client.post(
        _action("selection:recommend", first),
        {**kari_verdict, "verdict": "anbefalt", "justification": "Innstilt."},
        follow=True,
    )
    assert f"Innstillingen for {first.municipality.name} er lagret." in saved.content.decode()
    moved = kari_client.post(
        _action("selection:move", first),
        {**kari_move, "direction": "ned", "reason": "Den andre trenger det mer."},
        follow=True,
    )
    assert f"{first.municipality.name} er flyttet." in moved.content.decode()
    assert _order(first) == [second.pk, first.pk, fourth.pk, third.pk]
    assert AuditEvent.objects.filter(action="ranking.moved").count() == 2
    assert AuditEvent.objects.filter(action="recommendation.set").count() == 2


def test_a_move_of_the_same_places_from_a_stale_page_is_refused(office_of_four):
    (first, second, third, fourth), kari, ola = office_of_four
    kari_client, ola_client = _session(kari), _session(ola)
    ola_first = _open(ola_client, "selection:move", first)
    ola_third = _open(ola_client, "selection:move", third)
    kari_client.post(
        _action("selection:move", second),
        {**_open(kari_client, "selection:move", second), "direction": "opp", "reason": "Behov."},
    )

    refused = ola_client.post(
        _action("selection:move", first),
        {**ola_first, "direction": "ned", "reason": "Ned ett hakk."},
        follow=True,
    )
    page = refused.content.decode()
    assert "Rangeringen ble endret av Kari Saksbehandler " in page
    assert "Siden viser nå den nye rangeringen" in page
    assert f'id="flytt-{first.pk}" rows="2">Ned ett hakk.</textarea>' in page
    # The one above the third is another now, though the third stands where it stood.
    refused = ola_client.post(
        _action("selection:move", third),
        {**ola_third, "direction": "opp", "reason": "Opp ett hakk."},
        follow=True,
    )
    assert "Rangeringen ble endret av Kari Saksbehandler " in refused.content.decode()
    assert _order(first) == [second.pk, first.pk, third.pk, fourth.pk]
    assert AuditEvent.objects.filter(action="ranking.moved").count() == 1


def test_a_move_from_another_tab_is_told_as_the_users_own(office_of_four):
    (first, second, *_rest), kari, _ola = office_of_four
    client = _session(kari)
    tab_two = _open(client, "selection:move", first)
    client.post(
        _action("selection:move", second),
        {**_open(client, "selection:move", second), "direction": "opp", "reason": "Fane én."},
    )
    refused = client.post(
        _action("selection:move", first),
        {**tab_two, "direction": "ned", "reason": "Fane to."},
        follow=True,
    )
    page = refused.content.decode()
    assert "Du har selv endret rangeringen " in page
    assert "ble endret av" not in page
    assert _order(first)[:2] == [second.pk, first.pk]


def test_a_move_without_the_places_of_the_page_is_refused_with_a_clear_message(office_of_four):
    (first, second, *_rest), kari, _ola = office_of_four
    client = _session(kari)
    refused = client.post(
        _action("selection:move", second),
        {"direction": "opp", "reason": "Uten plass.", "position": "x", "above": "y"},
        follow=True,
    )
    page = refused.content.decode()
    assert (
        page.count(
            "Skjemaet mangler noe som siden selv fyller inn. Last inn siden på nytt og prøv igjen."
        )
        == 1
    )
    assert _order(first)[:2] == [first.pk, second.pk]


# Udir's national page


@pytest.fixture
def national():
    applications = submitted_applications(2, capacity=1)
    for application, verdict in zip(applications, ["anbefalt", "reserve"], strict=True):
        decisions.recommend(
            application=application, verdict=verdict, justification="Vurdert.", actor=None
        )
    first = applications[0]
    decisions.send_to_udir(
        cohort=first.cohort,
        office=first.municipality.county.office,
        justification="Samlet.",
        actor=None,
    )
    ranked = decisions.ranking(
        cohort=first.cohort, office_ids=[first.municipality.county.office_id]
    )
    kari = udir_user(first_name="Kari", last_name="Direktorat")
    per = udir_user(first_name="Per", last_name="Direktorat")
    return [row.application for row in ranked], kari, per


def _national(application):
    page = reverse("selection:national", args=[application.cohort.pk])
    return f"{page}?kontor={application.municipality.county.office_id}"


def _decide(application):
    return reverse("selection:decide", args=[application.cohort.pk, application.pk])


def _open_decision(client, application):
    page = client.get(_national(application)).content.decode()
    return form_data(page, _decide(application))


def test_two_udir_users_deciding_the_same_application_do_not_overwrite_each_other(national):
    (winner, _reserve), kari, per = national
    kari_client, per_client = _session(kari), _session(per)
    kari_form = _open_decision(kari_client, winner)
    per_form = _open_decision(per_client, winner)

    kari_client.post(_decide(winner), {**kari_form, "outcome": "valgt", "reason": "Høyest."})
    refused = per_client.post(
        _decide(winner),
        {
            **per_form,
            "outcome": "ikke_valgt",
            "reason": "Ikke i år.",
            "deviation_reason": "Annen prioritering.",
        },
        follow=True,
    )

    page = refused.content.decode()
    name = winner.municipality.name
    assert f"Vedtaket for {name} ble endret av Kari Direktorat " in page
    assert f"Vedtaket for {name} er lagret som utkast." not in page
    assert "<strong>Valgt</strong>" in page
    assert form_data(page, _decide(winner)) == {
        "revision": "1",
        "outcome": "ikke_valgt",
        "reason": "Ikke i år.",
        "deviation_reason": "Annen prioritering.",
    }
    decision = Decision.objects.get()
    assert (decision.outcome, decision.reason, decision.decided_by) == ("valgt", "Høyest.", kari)
    assert AuditEvent.objects.filter(action="decision.staged").count() == 1
    # From the page as it is now, Per's decision replaces Kari's on purpose.
    per_client.post(_decide(winner), form_data(page, _decide(winner)))
    decision.refresh_from_db()
    assert (decision.outcome, decision.revision, decision.decided_by) == ("ikke_valgt", 2, per)


def test_a_decision_from_another_tab_is_told_as_the_users_own(national):
    (winner, _reserve), kari, _per = national
    client = _session(kari)
    tab_one = _open_decision(client, winner)
    tab_two = _open_decision(client, winner)
    client.post(_decide(winner), {**tab_one, "outcome": "valgt", "reason": "Fane én."})
    refused = client.post(
        _decide(winner),
        {**tab_two, "outcome": "reserve", "reason": "Fane to.", "deviation_reason": "Fane to."},
        follow=True,
    )
    page = refused.content.decode()
    assert f"Du har selv endret vedtaket for {winner.municipality.name} " in page
    assert Decision.objects.get().reason == "Fane én."


def test_a_decision_on_another_application_from_a_page_opened_before_is_saved(national):
    (winner, reserve), kari, per = national
    kari_client, per_client = _session(kari), _session(per)
    per_form = _open_decision(per_client, reserve)
    kari_client.post(_decide(winner), {**_open_decision(kari_client, winner), "reason": "Høyest."})
    saved = per_client.post(_decide(reserve), {**per_form, "reason": "Neste."}, follow=True)
    assert f"Vedtaket for {reserve.municipality.name} er lagret som utkast." in (
        saved.content.decode()
    )
    assert sorted(Decision.objects.values_list("outcome", flat=True)) == ["reserve", "valgt"]
