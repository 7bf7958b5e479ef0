"""The pages of the places after publication: each role's forms, their refusals with a
message and nothing changed, and who may not."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from laeringsmiljo.models import AuditEvent
from selection.models import Participation, Place
from selection.process import settlement
from tests.factories import municipality_user, office_user, udir_user
from tests.pageforms import form_data
from tests.selection.process.helpers import published_cohort
from tests.signin import sign_in


def _login(client, user):
    sign_in(client, user)
    return client


def _participation(application):
    return Participation.objects.get(application=application)


def test_the_municipality_confirms_on_its_start_page_and_sees_it(client, db):
    selected, _reserve = published_cohort(2)
    participation = _participation(selected)
    _login(client, municipality_user(selected.municipality))
    page = client.get(reverse("municipality_start")).content.decode()
    assert "Venter på svar" in page
    url = reverse("selection:confirm_place", args=[participation.pk])
    data = {**form_data(page, url), "contact_name": "Kari Kontakt"}
    page = client.post(url, data, follow=True).content.decode()
    assert "Plassen er bekreftet." in page
    assert "Kontaktperson i veiledningsperioden: Kari Kontakt." in page
    assert _participation(selected).status == "bekreftet"
    # The form is gone; a second post (an old tab) is told and changes nothing.
    page = client.post(url, {"contact_name": "Ola"}, follow=True).content.decode()
    assert "har allerede bekreftet plassen" in page
    assert _participation(selected).contact_name == "Kari Kontakt"


def test_declining_without_a_reason_is_refused_on_the_page(client, db):
    selected, _reserve = published_cohort(2)
    participation = _participation(selected)
    _login(client, municipality_user(selected.municipality))
    url = reverse("selection:decline_place", args=[participation.pk])
    page = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "Skriv en begrunnelse." in page
    assert _participation(selected).status == "venter"
    page = client.post(url, {"reason": "Ikke tid."}, follow=True).content.decode()
    assert "Kommunen har takket nei til plassen." in page
    assert _participation(selected).status == "takket_nei"


@pytest.mark.parametrize("who", ["other_municipality", "office", "udir"])
def test_only_the_municipality_itself_answers(client, db, who):
    selected, _reserve = published_cohort(2)
    participation = _participation(selected)
    users = {
        "other_municipality": lambda: municipality_user(),
        "office": lambda: office_user(selected.municipality.county.office),
        "udir": udir_user,
    }
    _login(client, users[who]())
    for name, data in [
        ("selection:confirm_place", {"contact_name": "X"}),
        ("selection:decline_place", {"reason": "X"}),
    ]:
        response = client.post(reverse(name, args=[participation.pk]), data)
        assert response.status_code == (404 if who == "other_municipality" else 403)
    assert _participation(selected).status == "venter"
    assert not AuditEvent.objects.filter(action__startswith="participation.").exists()


def test_an_office_registers_a_withdrawal_and_another_office_cannot(client, db):
    selected, _reserve = published_cohort(2)
    participation = _participation(selected)
    url = reverse("selection:withdraw_place", args=[participation.pk])
    today = timezone.localdate()
    _login(client, office_user())
    assert client.post(url, {"left_on": today, "reason": "X"}).status_code == 404
    _login(client, office_user(selected.municipality.county.office))
    page = client.post(
        url, {"left_on": "2.2.2019", "reason": "Ny plan."}, follow=True
    ).content.decode()
    assert "Datoen kan ikke være før utvalget ble publisert" in page
    assert _participation(selected).status == "venter"
    page = client.post(
        url, {"left_on": today.isoformat(), "reason": "Ny plan."}, follow=True
    ).content.decode()
    assert f"Det er registrert at {selected.municipality.name} trekker seg." in page
    assert "Plasser og svar" in page
    assert _participation(selected).status == "trukket"


def test_udir_sees_the_freed_place_with_the_proposal_and_promotes_in_one_step(client, db):
    selected, reserve, _third = published_cohort(3)
    settlement.decline(participation=_participation(selected), reason="Nei.", actor=None)
    place = _participation(selected).place
    _login(client, udir_user())
    national = reverse("selection:national", args=[selected.cohort.pk])
    page = client.get(national).content.decode()
    assert "En plass er ledig" in page
    assert f"{reserve.municipality.name} er neste reserve i rangeringen" in page
    url = reverse("selection:promote", args=[selected.cohort.pk, place.pk])
    page = client.post(url, form_data(page, url), follow=True).content.decode()
    assert f"{reserve.municipality.name} er tatt opp fra reservelisten." in page
    assert _participation(reserve).promoted
    # The same form again: the place is taken, and nothing is doubled.
    page = client.post(url, {"application": _third.pk, "reason": "x"}, follow=True).content.decode()
    assert "Plassen er ikke ledig" in page
    assert not Participation.objects.filter(application=_third).exists()
    assert AuditEvent.objects.filter(action="reserve.promoted").count() == 1


@pytest.mark.parametrize("value", ["", "abc", "0", str(2**40), "999999"])
def test_a_promotion_of_no_reserve_is_refused_with_a_message(client, db, value):
    selected, _reserve = published_cohort(2)
    settlement.decline(participation=_participation(selected), reason="Nei.", actor=None)
    place = _participation(selected).place
    _login(client, udir_user())
    url = reverse("selection:promote", args=[selected.cohort.pk, place.pk])
    page = client.post(url, {"application": value, "reason": ""}, follow=True).content.decode()
    assert "Velg" in page and "reserve" in page
    assert Place.objects.get(pk=place.pk).status == "ledig"


def test_an_office_may_not_promote_leave_empty_or_mark_no_answer(client, db):
    selected, reserve = published_cohort(2)
    settlement.decline(participation=_participation(selected), reason="Nei.", actor=None)
    place = _participation(selected).place
    _login(client, office_user(selected.municipality.county.office))
    cohort = selected.cohort.pk
    assert (
        client.post(
            reverse("selection:promote", args=[cohort, place.pk]), {"application": reserve.pk}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("selection:leave_empty", args=[cohort, place.pk]), {"reason": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("selection:mark_no_answer", args=[_participation(selected).pk]),
            {"reason": "x"},
        ).status_code
        == 403
    )
    assert Place.objects.get(pk=place.pk).status == "ledig"


def test_the_places_page_and_the_overview_count_per_office(client, db):
    selected, reserve, _third = published_cohort(3)
    _login(client, office_user(selected.municipality.county.office))
    page = client.get(reverse("selection:places", args=[selected.cohort.pk])).content.decode()
    assert "<title>Plasser og svar – " in page
    assert "Venter på svar" in page
    overview = client.get(reverse("selection:overview", args=[selected.cohort.pk])).content.decode()
    assert "Etter publiseringen: plasser og svar" in overview


def test_udir_marks_no_answer_after_the_deadline_on_the_national_page(client, db):
    selected, _reserve = published_cohort(2, answer_in_days=0)
    participation = _participation(selected)
    participation.answer_by = timezone.localdate() - datetime.timedelta(days=1)
    participation.save()
    _login(client, udir_user())
    national = reverse("selection:national", args=[selected.cohort.pk])
    page = client.get(national).content.decode()
    url = reverse("selection:mark_no_answer", args=[participation.pk])
    assert "fristen er ute" in page
    page = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "Skriv en begrunnelse." in page
    page = client.post(url, {"reason": "Svarte ikke."}, follow=True).content.decode()
    assert "svarte ikke innen fristen. Plassen er ledig." in page
    assert _participation(selected).status == "ikke_svart"


def _overview_queries(count, capacity):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from selection.process.queries import settlement_overview

    selected, *_ = published_cohort(count, capacity=capacity)
    settlement.decline(participation=_participation(selected), reason="Nei.", actor=None)
    with CaptureQueriesContext(connection) as queries:
        overview = settlement_overview(cohort=selected.cohort)
    assert len(overview["offices"][0]["rows"]) == capacity
    return len(queries)


def test_the_places_overview_takes_as_many_queries_for_one_place_as_for_many(db):
    assert _overview_queries(2, 1) == _overview_queries(6, 4)


@pytest.mark.parametrize("count", [1, 4])
def test_the_start_page_with_places_takes_the_same_queries_for_one_or_many_municipalities(
    client, db, count, django_assert_num_queries
):
    """A user of several municipalities, each with a place (waiting, confirmed or left) and its
    letters, gets the start page in as many queries as a user of one."""
    from laeringsmiljo.models import Membership, Role

    applications = published_cohort(4, capacity=4)
    user = municipality_user(applications[0].municipality)
    for application in applications[1:count]:
        Membership.objects.create(
            user=user, role=Role.MUNICIPALITY, municipality=application.municipality
        )
    if count > 1:
        settlement.confirm(
            participation=_participation(applications[1]), contact_name="Kari", actor=user
        )
        settlement.decline(participation=_participation(applications[2]), reason="Nei.", actor=user)
    _login(client, user)
    client.get(reverse("municipality_start"))
    with django_assert_num_queries(START_PAGE_QUERIES):
        page = client.get(reverse("municipality_start"))
    assert page.status_code == 200
    assert len(page.context["entries"]) == count


START_PAGE_QUERIES = 12
