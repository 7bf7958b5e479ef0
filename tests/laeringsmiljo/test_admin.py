import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from laeringsmiljo.audit import record
from laeringsmiljo.models import AuditEvent, FeederLink, Municipality, School
from tests.factories import (
    FeederLinkFactory,
    KindergartenFactory,
    MembershipFactory,
    MunicipalityFactory,
    OfficeScheduleFactory,
    PPTServiceFactory,
    SchoolFactory,
)
from tests.signin import sign_in


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("rot", "rot@test.example", "passord-for-test")


@pytest.fixture
def admin_client(client, superuser):
    sign_in(client, superuser)
    return client


def _admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def registered_models():
    return sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_every_changelist_answers_200(admin_client, model):
    response = admin_client.get(_admin_url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_every_add_page_answers_200_unless_adding_is_forbidden(admin_client, model):
    response = admin_client.get(_admin_url(model, "add"))
    # Records made only by the service itself (audit events, uploaded files, letters and their
    # batches, publications) cannot be added by hand.
    forbidden = {
        "laeringsmiljo.AuditEvent",
        "applications.Attachment",
        "applications.AccessLink",
        "applications.ContactPerson",
        "selection.Letter",
        "selection.LetterBatch",
        "selection.Publication",
        "selection.ImportRecord",
        "selection.PendingImport",
        "selection.ScoringRun",
        "selection.ApplicationScore",
        "selection.SenderSettings",
        "selection.Invitation",
        "selection.OfficeReview",
        "selection.Recommendation",
        "selection.Decision",
        "selection.Place",
        "selection.Participation",
        "selection.Reminder",
        # The journal and the archive extracts: written only by the journal and the extract.
        "selection.CaseFile",
        "selection.JournalPost",
        "selection.ArchiveExport",
        # django-axes' records of sign-in attempts: deleting one lifts a lock.
        "axes.AccessAttempt",
        "axes.AccessLog",
        "axes.AccessFailureLog",
    }
    expected = 403 if model._meta.label in forbidden else 200
    assert response.status_code == expected, model._meta.label


def test_admin_speaks_norwegian(admin_client):
    response = admin_client.get(_admin_url(School, "changelist"))
    assert "Velg skole du ønsker å endre" in response.content.decode()
    assert '<html lang="nb"' in response.content.decode()


def test_a_malformed_orgnr_in_admin_saves_nothing(admin_client):
    municipality = MunicipalityFactory()
    response = admin_client.post(
        _admin_url(School, "add"),
        {
            "organisation_number": "123456789",
            "name": "Feil skole",
            "municipality": municipality.pk,
            "owner_kind": "offentlig",
            "level": "barneskole",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "ikke et gyldig organisasjonsnummer" in response.content.decode()
    assert not School.objects.exists()


def test_a_school_in_a_municipality_that_does_not_exist_saves_nothing(admin_client):
    response = admin_client.post(
        _admin_url(School, "add"),
        {
            "organisation_number": "974760673",
            "name": "Skole uten kommune",
            "municipality": 987654,
            "owner_kind": "offentlig",
            "level": "barneskole",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["municipality"]
    assert not School.objects.exists()


def test_a_three_digit_municipality_number_in_admin_saves_nothing(admin_client):
    county = MunicipalityFactory().county
    response = admin_client.post(
        _admin_url(Municipality, "add"),
        {"number": "301", "name": "Oslo", "county": county.pk, "written_standard": "noytral"},
    )
    assert response.status_code == 200
    assert "fire siffer" in response.content.decode()
    assert not Municipality.objects.filter(name="Oslo").exists()


def test_a_feeder_link_to_a_school_that_does_not_exist_saves_nothing(admin_client):
    kindergarten = KindergartenFactory()
    response = admin_client.post(
        _admin_url(FeederLink, "add"), {"kindergarten": kindergarten.pk, "school": 987654}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["school"]
    assert not FeederLink.objects.exists()


def test_the_audit_log_cannot_be_changed_or_deleted_through_admin(admin_client, superuser):
    event = record(actor=superuser, action="test.handling", after={"a": 1})
    change = admin_client.post(_admin_url(AuditEvent, "change", event.pk), {"action": "endret"})
    delete = admin_client.post(_admin_url(AuditEvent, "delete", event.pk), {"post": "yes"})
    bulk = admin_client.post(
        _admin_url(AuditEvent, "changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    event.refresh_from_db()
    assert event.action == "test.handling"
    assert AuditEvent.objects.count() == 1
    assert delete.status_code == 403
    assert change.status_code == 403
    assert bulk.status_code == 200
    view = admin_client.get(_admin_url(AuditEvent, "change", event.pk))
    assert view.status_code == 200
    assert 'name="action"' not in view.content.decode()


def test_the_audit_log_cannot_be_changed_or_deleted_through_the_orm(superuser):
    event = record(actor=superuser, action="test.handling")
    event.action = "endret"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(action="endret")
    assert AuditEvent.objects.get().action == "test.handling"


ROW_FACTORIES = {
    "laeringsmiljo.School": SchoolFactory,
    "laeringsmiljo.Kindergarten": KindergartenFactory,
    "laeringsmiljo.FeederLink": FeederLinkFactory,
    "laeringsmiljo.Municipality": MunicipalityFactory,
    "laeringsmiljo.PPTService": PPTServiceFactory,
    "laeringsmiljo.OfficeSchedule": OfficeScheduleFactory,
    "laeringsmiljo.Membership": MembershipFactory,
    "laeringsmiljo.AuditEvent": lambda: record(actor=None, action="test", obj=SchoolFactory()),
}


def _changelist_queries(client, model):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_admin_url(model, "changelist"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("label", sorted(ROW_FACTORIES))
def test_a_changelists_query_count_does_not_grow_with_its_rows(admin_client, label):
    model = apps.get_model(label)
    ROW_FACTORIES[label]()
    with_one = _changelist_queries(admin_client, model)
    ROW_FACTORIES[label]()
    ROW_FACTORIES[label]()
    with_three = _changelist_queries(admin_client, model)
    assert with_three == with_one


def _cohort_with_two_schedules():
    first = OfficeScheduleFactory()
    second = OfficeScheduleFactory(cohort=first.cohort)
    cohort = first.cohort
    data = {
        "number": cohort.number,
        "name": cohort.name,
        "kickoff_date": cohort.kickoff_date.isoformat(),
        "start_date": cohort.start_date.isoformat(),
        "end_date": cohort.end_date.isoformat(),
        "semesters": "4",
        "schedules-TOTAL_FORMS": "2",
        "schedules-INITIAL_FORMS": "2",
    }
    for i, schedule in enumerate([first, second]):
        data |= {
            f"schedules-{i}-id": str(schedule.pk),
            f"schedules-{i}-cohort": str(cohort.pk),
            f"schedules-{i}-office": str(schedule.office.pk),
            f"schedules-{i}-invitation_date": schedule.invitation_date.isoformat(),
            f"schedules-{i}-application_deadline": schedule.application_deadline.isoformat(),
            f"schedules-{i}-recommendation_deadline": schedule.recommendation_deadline.isoformat(),
            f"schedules-{i}-capacity": "1",
        }
    return cohort, [first, second], data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"schedules-1-id": "first"}, "Den samme raden er sendt to ganger."),
        ({"schedules-INITIAL_FORMS": "-1"}, "Skjemaet stemmer ikke med det som er lagret."),
        ({"schedules-INITIAL_FORMS": "7"}, "Skjemaet stemmer ikke med det som er lagret."),
    ],
)
def test_a_tampered_inline_is_refused_and_nothing_changes(admin_client, change, message):
    from laeringsmiljo.models import OfficeSchedule

    cohort, schedules, data = _cohort_with_two_schedules()
    data |= {k: str(schedules[0].pk) if v == "first" else v for k, v in change.items()}
    response = admin_client.post(_admin_url(type(cohort), "change", cohort.pk), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert {(s.pk, s.office_id) for s in OfficeSchedule.objects.all()} == {
        (s.pk, s.office_id) for s in schedules
    }
