"""Every application view for the allowed role and each denied one."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from applications import services
from applications.models import Application, Attachment
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
    """A draft that was sent in once and withdrawn: the office and Udir see it but may not change
    it (a draft never sent in is the municipality's own: tests/applications/test_drafts.py)."""
    application = complete_application()
    attachment = Attachment(
        application=application, original_name="plan.pdf", size=10, sha256="0" * 64
    )
    attachment.file.save("plan.pdf", ContentFile(pdf_bytes()), save=True)
    services.submit(application=application, actor=None)
    return services.withdraw(application=application, actor=None)


def _users(application):
    office = application.municipality.county.office
    return {
        "own": municipality_user(application.municipality),
        "other_municipality": municipality_user(
            MunicipalityFactory(county=application.municipality.county)
        ),
        "office": office_user(office),
        "other_office": office_user(GovernorOfficeFactory()),
        "udir": udir_user(),
        "no_role": UserFactory(),
    }


READ_VIEWS = ["applications:detail", "applications:attachment"]
EDIT_VIEWS = [
    ("applications:section", ["kontakt"]),
    ("applications:attachments", []),
]
EXPECTED_READ = {
    "own": 200,
    "other_municipality": 404,
    "office": 200,
    "other_office": 404,
    "udir": 200,
    "no_role": 404,
}
EXPECTED_EDIT = {
    "own": 200,
    "other_municipality": 404,
    "office": 403,
    "other_office": 404,
    "udir": 403,
    "no_role": 404,
}


def _args(application, name, extra=()):
    if name == "applications:attachment":
        return [application.pk, application.attachments.get().pk]
    return [application.pk, *extra]


@pytest.mark.parametrize("who", sorted(EXPECTED_READ))
@pytest.mark.parametrize("name", READ_VIEWS)
def test_reading_an_application(client, application, who, name):
    sign_in(client, _users(application)[who])
    response = client.get(reverse(name, args=_args(application, name)))
    assert response.status_code == EXPECTED_READ[who]


@pytest.mark.parametrize("who", sorted(EXPECTED_EDIT))
@pytest.mark.parametrize(("name", "extra"), EDIT_VIEWS)
def test_editing_an_application(client, application, who, name, extra):
    sign_in(client, _users(application)[who])
    response = client.get(reverse(name, args=_args(application, name, extra)))
    assert response.status_code == EXPECTED_EDIT[who]


@pytest.mark.parametrize("who", sorted(EXPECTED_EDIT))
def test_a_forged_post_for_another_municipalitys_application_changes_nothing(
    client, application, who
):
    sign_in(client, _users(application)[who])
    before = Application.objects.get(pk=application.pk).contact_name
    response = client.post(
        reverse("applications:section", args=[application.pk, "kontakt"]),
        {
            "revision": 0,
            "contact_name": "Forfalsket",
            "contact_role": "x",
            "contact_email": "x@y.example",
            "contact_phone": "22334455",
            "postal_address": "x",
        },
    )
    expected = 302 if who == "own" else EXPECTED_EDIT[who]
    assert response.status_code == expected
    after = Application.objects.get(pk=application.pk).contact_name
    assert (after == "Forfalsket") == (who == "own")
    if who != "own":
        assert after == before


@pytest.mark.parametrize("who", sorted(EXPECTED_EDIT))
def test_only_the_municipality_submits(client, application, who):
    sign_in(client, _users(application)[who])
    response = client.post(
        reverse("applications:submit", args=[application.pk]), {"bekreftet": "on"}
    )
    assert response.status_code == (302 if who == "own" else EXPECTED_EDIT[who])
    assert Application.objects.get(pk=application.pk).is_submitted == (who == "own")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("own", 200),
        ("other_municipality", 404),
        ("office", 200),
        ("other_office", 404),
        ("udir", 200),
    ],
)
def test_reading_the_receipt(client, application, who, status):
    services.submit(application=application, actor=None)
    sign_in(client, _users(application)[who])
    assert client.get(reverse("applications:receipt", args=[application.pk])).status_code == status


def test_an_anonymous_user_is_sent_to_login(client, application):
    for url in [
        reverse("applications:detail", args=[application.pk]),
        reverse("applications:list"),
        reverse("applications:attachment", args=_args(application, "applications:attachment")),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("who", "status"),
    [("own", 403), ("office", 200), ("udir", 200), ("no_role", 403)],
)
def test_the_list_is_for_offices_and_udir(client, application, who, status):
    sign_in(client, _users(application)[who])
    assert client.get(reverse("applications:list")).status_code == status


def test_an_office_lists_only_its_counties_and_udir_all(client, application):
    elsewhere = services.submit(application=complete_application(), actor=None)
    users = _users(application)
    # «Alle puljer»: the two applications are in different cohorts.
    every_cohort = {"cohort": ""}
    sign_in(client, users["office"])
    page = client.get(reverse("applications:list"), every_cohort)
    assert [a.pk for a in page.context["applications"]] == [application.pk]
    sign_in(client, users["udir"])
    page = client.get(reverse("applications:list"), every_cohort)
    listed = {a.pk for a in page.context["applications"]}
    assert listed == {application.pk, elsewhere.pk}


def test_a_municipality_cannot_start_an_application_for_another(client, application):
    other = MunicipalityFactory()
    sign_in(client, _users(application)["own"])
    response = client.post(reverse("applications:start", args=[application.cohort.pk, other.pk]))
    assert response.status_code == 404
    assert not Application.objects.filter(municipality=other).exists()
