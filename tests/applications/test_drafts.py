"""Who sees a draft: it is the municipality's own until it has been sent in once, unless the
municipality asks its office for help; after the first submission the office and Udir see
the application as it is now, also when it has been withdrawn or reopened."""

import itertools

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from applications import services
from applications.access import may_see_application, visible_applications
from applications.errors import ApplicationError
from applications.models import Application, Attachment
from laeringsmiljo.access import roles_of
from laeringsmiljo.models import AuditEvent
from tests.applications.factories import complete_application, pdf_bytes
from tests.factories import (
    GovernorOfficeFactory,
    MunicipalityFactory,
    UserFactory,
    municipality_user,
    office_user,
    udir_user,
)
from tests.signin import sign_in


@pytest.fixture
def application(db):
    application = complete_application()
    attachment = Attachment(
        application=application, original_name="plan.pdf", size=10, sha256="0" * 64
    )
    attachment.file.save("plan.pdf", ContentFile(pdf_bytes()), save=True)
    return application


def _people(application):
    return {
        "own": municipality_user(application.municipality),
        "other_municipality": municipality_user(
            MunicipalityFactory(county=application.municipality.county)
        ),
        "office": office_user(application.municipality.county.office),
        "other_office": office_user(GovernorOfficeFactory()),
        "udir": udir_user(),
        "no_role": UserFactory(),
    }


def _make(application, state, owner):
    """Bring the application into one of the states the rule tells apart."""
    if state in ("submitted", "withdrawn", "withdrawn_shared"):
        services.submit(application=application, actor=owner)
    if state in ("withdrawn", "withdrawn_shared"):
        services.withdraw(application=application, actor=owner)
    if state in ("shared", "withdrawn_shared"):
        services.ask_office_for_help(application=application, actor=owner, asked=True)
    return Application.objects.get(pk=application.pk)


STATES = ["draft", "shared", "submitted", "withdrawn", "withdrawn_shared"]
SEES = {
    "draft": {"own"},
    "shared": {"own", "office"},
    "submitted": {"own", "office", "udir"},
    "withdrawn": {"own", "office", "udir"},
    "withdrawn_shared": {"own", "office", "udir"},
}


@pytest.mark.parametrize("state", STATES)
def test_who_sees_the_application_page_and_its_attachment(client, application, state):
    people = _people(application)
    application = _make(application, state, people["own"])
    attachment = application.attachments.get()
    for who, user in people.items():
        sign_in(client, user)
        expected = 200 if who in SEES[state] else 404
        detail = client.get(reverse("applications:detail", args=[application.pk]))
        download = client.get(
            reverse("applications:attachment", args=[application.pk, attachment.pk])
        )
        assert (who, detail.status_code, download.status_code) == (who, expected, expected)


@pytest.mark.parametrize("state", STATES)
def test_who_finds_the_application_in_the_lists(client, application, state):
    people = _people(application)
    application = _make(application, state, people["own"])
    for who in ("office", "other_office", "udir"):
        sign_in(client, people[who])
        listed = [a.pk for a in client.get(reverse("applications:list")).context["applications"]]
        scored = [
            row["application"].pk
            for row in client.get(
                reverse("selection:cohort_scores", args=[application.cohort.pk])
            ).context["rows"]
        ]
        expected = [application.pk] if who in SEES[state] else []
        assert (who, listed, scored) == (who, expected, expected)


@pytest.mark.parametrize("state", STATES)
def test_who_opens_the_score_page(client, application, state):
    people = _people(application)
    application = _make(application, state, people["own"])
    for who in ("office", "udir"):
        sign_in(client, people[who])
        response = client.get(reverse("selection:score", args=[application.pk]))
        assert (who, response.status_code) == (who, 200 if who in SEES[state] else 404)


def test_the_predicate_and_the_queryset_agree_in_every_state(application):
    people = _people(application)
    applications = [application]
    for state in STATES[1:]:
        other = complete_application(
            municipality=MunicipalityFactory(county=application.municipality.county)
        )
        applications.append(_make(other, state, municipality_user(other.municipality)))
    for user, app in itertools.product(people.values(), applications):
        roles = roles_of(user)
        in_queryset = visible_applications(roles).filter(pk=app.pk).exists()
        assert may_see_application(roles, app) == in_queryset
        assert user.has_perm("applications.view_application", app) == in_queryset


def test_the_municipality_asks_for_help_and_stops_again(client, application):
    people = _people(application)
    sign_in(client, people["own"])
    url = reverse("applications:help", args=[application.pk])
    detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Be embetet om hjelp" in detail
    response = client.post(url, {"asked": "1"})
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    application.refresh_from_db()
    assert application.help_requested_at is not None
    sign_in(client, people["office"])
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Kommunen har bedt embetet om hjelp og deler utkastet" in page
    sign_in(client, people["own"])
    client.post(url, {"asked": "0"})
    application.refresh_from_db()
    assert application.help_requested_at is None
    sign_in(client, people["office"])
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 404
    assert list(
        AuditEvent.objects.filter(action__startswith="application.help")
        .order_by("pk")
        .values_list("action", "actor")
    ) == [
        ("application.help_requested", people["own"].pk),
        ("application.help_request_withdrawn", people["own"].pk),
    ]


@pytest.mark.parametrize("who", ["office", "udir", "other_municipality"])
def test_only_the_municipality_asks_for_help(client, application, who):
    people = _people(application)
    services.submit(application=application, actor=people["own"])
    services.withdraw(application=application, actor=people["own"])
    sign_in(client, people[who])
    response = client.post(reverse("applications:help", args=[application.pk]), {"asked": "1"})
    assert response.status_code == (404 if who == "other_municipality" else 403)
    assert Application.objects.get(pk=application.pk).help_requested_at is None


def test_a_submitted_application_needs_no_help_request(application):
    services.submit(application=application, actor=None)
    with pytest.raises(ApplicationError, match="Søknaden er sendt inn"):
        services.ask_office_for_help(application=application, actor=None, asked=True)
    assert not AuditEvent.objects.filter(action="application.help_requested").exists()


def test_a_withdrawn_application_says_what_the_office_sees(client, application):
    people = _people(application)
    services.submit(application=application, actor=people["own"])
    services.withdraw(application=application, actor=people["own"])
    sign_in(client, people["office"])
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "er et utkast igjen" in page
    assert "slik kommunen har den nå, ikke slik den ble sendt" in page
