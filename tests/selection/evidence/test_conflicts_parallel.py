"""The conflicts of complaint cases and supervision findings with truly parallel requests
(PostgreSQL): of two changes to the same record from pages opened at the same state exactly one
wins and the other is told; nothing is recorded twice, and no request fails."""

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from laeringsmiljo.models import AuditEvent
from selection.evidence.models import ComplaintCaseCount, SupervisionFinding
from selection.evidence.services import save_complaint_cases, save_finding
from tests.factories import MunicipalityFactory, SchoolFactory, office_user
from tests.pageforms import form_data
from tests.parallel import at_once, needs_postgresql
from tests.signin import sign_in

pytestmark = needs_postgresql


def _office():
    municipality = MunicipalityFactory()
    school = SchoolFactory(municipality=municipality)
    office = municipality.county.office
    clients = []
    for name in ("Kari", "Ola"):
        client = Client()
        sign_in(client, office_user(office, first_name=name, last_name="Saksbehandler"))
        clients.append(client)
    return municipality, school, clients


def _post(client, url, data):
    def post():
        response = client.post(url, data, follow=True)
        return response.status_code, response.content.decode()

    return post


def test_two_corrections_of_the_same_counts_at_once_one_wins():
    municipality, school, (kari, ola) = _office()
    count = save_complaint_cases(
        municipality=municipality,
        school=school,
        school_year=2019,
        cases=1,
        long_running=0,
        actor=None,
    )
    url = reverse("selection:case_update", args=[municipality.pk, count.pk])
    kari_form, ola_form = (form_data(c.get(url).content.decode(), None) for c in (kari, ola))

    answers = at_once(
        _post(kari, url, {**kari_form, "cases": "4"}),
        _post(ola, url, {**ola_form, "cases": "6"}),
    )

    assert [status for status, _page in answers] == [200, 200]
    assert sum("Klagesakene er lagret." in page for _status, page in answers) == 1
    assert sum("Klagesakene ble endret av " in page for _status, page in answers) == 1
    count.refresh_from_db()
    assert (count.cases in (4, 6), count.revision) == (True, 2)
    assert AuditEvent.objects.filter(action="evidence.complaint_cases_change").count() == 1


def test_a_correction_and_a_deletion_of_the_same_finding_at_once_one_wins():
    municipality, _school, (kari, ola) = _office()
    finding = save_finding(
        municipality=municipality,
        actor=None,
        school=None,
        date=datetime.date(2019, 4, 1),
        topic="Skolemiljø",
        in_practice=True,
        in_routines=False,
        in_system=False,
        closed=False,
    )
    update = reverse("selection:finding_update", args=[municipality.pk, finding.pk])
    delete = reverse("selection:finding_delete", args=[municipality.pk, finding.pk])
    kari_form = form_data(kari.get(update).content.decode(), None)
    ola_form = form_data(ola.get(update).content.decode(), delete)

    (saved_status, saved), (_deleted_status, deleted) = at_once(
        _post(kari, update, {**kari_form, "closed": "on"}),
        _post(ola, delete, ola_form),
    )

    events = AuditEvent.objects.filter(object_id=str(finding.pk))
    if SupervisionFinding.objects.exists():
        # The correction came first: the deletion is refused and shows the form again.
        assert "Tilsynsfunnet er lagret." in saved
        assert "Tilsynsfunnet ble endret av Kari Saksbehandler " in deleted
        assert SupervisionFinding.objects.get().closed is True
        assert list(events.values_list("action", flat=True)) == [
            "evidence.finding_change",
            "evidence.finding_create",
        ]
    else:
        # The deletion came first: the correction is answered with who deleted it.
        assert "Tilsynsfunnet er slettet." in deleted
        assert (saved_status, "Tilsynsfunnet ble slettet av Ola Saksbehandler " in saved) == (
            410,
            True,
        )
        assert list(events.values_list("action", flat=True)) == [
            "evidence.finding_delete",
            "evidence.finding_create",
        ]


def test_two_registrations_of_the_same_school_and_year_at_once_make_one():
    municipality, school, (kari, ola) = _office()
    url = reverse("selection:case_create", args=[municipality.pk])
    data = {"school": school.pk, "school_year": 2019, "cases": 2, "long_running": 0}

    answers = at_once(_post(kari, url, data), _post(ola, url, {**data, "cases": 3}))

    assert [status for status, _page in answers] == [200, 200]
    assert sum("Klagesakene er lagret." in page for _status, page in answers) == 1
    assert (
        sum(
            "Skolen har allerede tall for dette skoleåret. Endre dem i stedet." in page
            for _status, page in answers
        )
        == 1
    )
    assert ComplaintCaseCount.objects.count() == 1
    assert AuditEvent.objects.filter(action="evidence.complaint_cases_create").count() == 1


def test_counts_committed_by_another_request_between_check_and_save_are_refused_cleanly():
    """The other request's row is not visible to the validation, only to the insert: the
    refusal is the constraint's message, not a database error."""
    municipality, school, _clients = _office()
    inserted = threading.Event()

    def insert_and_commit_once_the_other_waits():
        try:
            with transaction.atomic():
                ComplaintCaseCount.objects.create(
                    school=school, school_year=2019, cases=5, long_running=0
                )
                inserted.set()
                _wait_until_a_request_waits_for_a_lock()
        finally:
            connections.close_all()

    other = threading.Thread(target=insert_and_commit_once_the_other_waits)
    other.start()
    assert inserted.wait(30)
    with pytest.raises(ValidationError) as error:
        save_complaint_cases(
            municipality=municipality,
            school=school,
            school_year=2019,
            cases=2,
            long_running=0,
            actor=None,
        )
    other.join(30)
    assert error.value.messages == [
        "Skolen har allerede tall for dette skoleåret. Endre dem i stedet."
    ]
    assert list(ComplaintCaseCount.objects.values_list("cases", flat=True)) == [5]


def _wait_until_a_request_waits_for_a_lock():
    with connection.cursor() as cursor:
        for _ in range(3000):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("the other request never waited for the row")
