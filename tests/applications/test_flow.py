"""The whole application through the test client, from an empty draft to the receipt e-mail."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Application
from applications.sections import units_token
from laeringsmiljo.models import AuditEvent
from selection.models import Invitation
from tests.applications.factories import pdf_bytes
from tests.applications.signing import everyone_confirms
from tests.factories import (
    CohortFactory,
    KindergartenFactory,
    MunicipalityFactory,
    OfficeScheduleFactory,
    PPTServiceFactory,
    SchoolFactory,
    municipality_user,
    office_user,
)


@pytest.fixture
def setting(db):
    municipality = MunicipalityFactory(name="Testvik", written_standard="nb")
    cohort = CohortFactory(number=5, name="Pulje 5")
    OfficeScheduleFactory(cohort=cohort, office=municipality.county.office)
    Invitation.objects.create(cohort=cohort, municipality=municipality)
    return {
        "municipality": municipality,
        "cohort": cohort,
        "schools": [SchoolFactory(municipality=municipality, name=f"Skole {n}") for n in "ABC"],
        "kindergartens": [
            KindergartenFactory(municipality=municipality, name="Kommunal barnehage"),
            KindergartenFactory(
                municipality=municipality,
                name="Privat barnehage",
                owner_kind="privat",
                owner_name="Privat barnehage AS",
            ),
        ],
        "ppt": PPTServiceFactory(municipalities=[municipality]),
        "user": municipality_user(municipality, first_name="Kari", last_name="Nordmann"),
    }


def _post_section(client, application, slug, data, revision=None):
    """Post a section as its page would: with the revisions it was opened with."""
    current = Application.objects.get(pk=application.pk)
    if revision is None:
        revision = current.revisions.get(slug, 0)
    return client.post(
        reverse("applications:section", args=[application.pk, slug]),
        {"revision": revision, "units": units_token(current), **data},
    )


def _management(prefix, forms):
    return {
        f"{prefix}-TOTAL_FORMS": len(forms),
        f"{prefix}-INITIAL_FORMS": len(forms),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def fill_in(client, application, setting):
    """Fill in every section as a user would, and return the application afterwards."""
    school_a, school_b, _ = setting["schools"]
    public, private = setting["kindergartens"]
    responses = [
        _post_section(
            client,
            application,
            "kontakt",
            {
                "contact_name": "Kari Nordmann",
                "contact_role": "Kommunalsjef",
                "contact_email": "kari@testvik.example",
                "contact_phone": "+47 22 33 44 55",
                "postal_address": "Postboks 1\n9999 Testvik",
            },
        ),
        _post_section(client, application, "skoler", {"schools": [school_a.pk, school_b.pk]}),
        _post_section(
            client,
            application,
            "barnehager",
            {"kindergartens": [public.pk, private.pk], **_management("lenker", [])},
        ),
    ]
    application.refresh_from_db()
    units = {u.kindergarten_id: u for u in application.kindergartens.all()}
    schools = {u.school_id: u for u in application.schools.all()}
    responses.append(
        _post_section(
            client,
            application,
            "barnehager",
            {
                "kindergartens": [public.pk, private.pk],
                **_management("lenker", units),
                "lenker-0-id": units[public.pk].pk,
                "lenker-0-feeds": [schools[school_a.pk].pk],
                "lenker-0-challenges": "",
                "lenker-1-id": units[private.pk].pk,
                "lenker-1-challenges": "Mange nye barn i år.",
            },
        )
    )
    responses.append(
        _post_section(
            client,
            application,
            "ppt",
            {
                "ppt_service": setting["ppt"].pk,
                "ppt_contact_name": "Pia PPT",
                "ppt_contact_email": "pia@ppt.example",
                "ppt_contact_phone": "",
            },
        )
    )
    school_units = list(application.schools.order_by("school__name"))
    kindergarten_units = list(application.kindergartens.order_by("kindergarten__name"))
    commitments = {
        "school_owner_name": "Ola Eier",
        "school_owner_role": "Kommunedirektør",
        "school_owner_email": "ola@testvik.example",
        "kindergarten_owner_name": "Åse Eier",
        "kindergarten_owner_role": "Barnehagesjef",
        "kindergarten_owner_email": "ase@testvik.example",
        "ppt_leader_name": "Per PPT",
        "ppt_leader_role": "Leder",
        "ppt_leader_email": "per@ppt.example",
        **_management("skoleledere", school_units),
        **_management("barnehageledere", kindergarten_units),
    }
    for index, unit in enumerate(school_units):
        commitments |= {
            f"skoleledere-{index}-id": unit.pk,
            f"skoleledere-{index}-leader_name": f"Rektor {index}",
            f"skoleledere-{index}-leader_role": "Rektor",
            f"skoleledere-{index}-leader_email": f"rektor{index}@testvik.example",
        }
    for index, unit in enumerate(kindergarten_units):
        commitments |= {
            f"barnehageledere-{index}-id": unit.pk,
            f"barnehageledere-{index}-leader_name": f"Styrer {index}",
            f"barnehageledere-{index}-leader_role": "Styrer",
            f"barnehageledere-{index}-leader_email": f"styrer{index}@testvik.example",
            f"barnehageledere-{index}-owner_contact_name": "Eva Eier",
            f"barnehageledere-{index}-owner_contact_role": "Daglig leder",
            f"barnehageledere-{index}-owner_contact_email": "eva@eier.example",
        }
    responses.append(_post_section(client, application, "forpliktelser", commitments))
    motivation = {
        "motivation_why": "Vi ser for mye mobbing.",
        "motivation_goals": "Relasjoner og klasseledelse.",
        "motivation_priority": "Fast tid hver uke i alle enheter.",
        **_management("skoler", school_units),
        **_management("barnehager", kindergarten_units),
    }
    for index, unit in enumerate(school_units):
        motivation |= {
            f"skoler-{index}-id": unit.pk,
            f"skoler-{index}-motivation": "Vi vil delta.",
            f"skoler-{index}-challenges": "",
        }
    for index, unit in enumerate(kindergarten_units):
        motivation |= {f"barnehager-{index}-id": unit.pk, f"barnehager-{index}-motivation": "Med!"}
    responses.append(_post_section(client, application, "motivasjon", motivation))
    for response in responses:
        assert response.status_code == 302, response.content.decode()[:3000]
    attached = client.post(
        reverse("applications:attachments", args=[application.pk]),
        {
            "revision": 0,
            "file": SimpleUploadedFile("plan.pdf", pdf_bytes(), "application/pdf"),
            "description": "Plan for arbeidet",
        },
    )
    assert attached.status_code == 302
    # Each of the eight who commit confirms through the link in their own e-mail.
    assert len(everyone_confirms(client, application)) == 8
    application.refresh_from_db()
    return application


def test_a_municipality_applies_from_empty_draft_to_receipt_email(
    client, setting, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(setting["user"])
    start = client.get(reverse("municipality_start"))
    assert "Start søknaden" in start.content.decode()
    response = client.post(
        reverse("applications:start", args=[setting["cohort"].pk, setting["municipality"].pk])
    )
    application = Application.objects.get()
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    assert application.contact_name == "Kari Nordmann"  # prefilled from the user

    detail = client.get(response["Location"])
    assert "Velg minst én skole." in detail.content.decode()

    application = fill_in(client, application, setting)
    detail = client.get(reverse("applications:detail", args=[application.pk]))
    assert detail.context["problems"] == []
    assert "Søknaden er komplett." in detail.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("applications:submit", args=[application.pk]))
    assert sent["Location"] == reverse("applications:receipt", args=[application.pk])
    application.refresh_from_db()
    number = setting["municipality"].number
    assert application.status == "sendt"
    assert application.reference == f"LMP5-{number}-1"
    receipt = client.get(sent["Location"])
    assert f"LMP5-{number}-1" in receipt.content.decode()

    assert len(mailoutbox) == 9  # eight requests to commit, then the receipt
    mail = mailoutbox[-1]
    assert mail.to == ["kari@testvik.example", setting["municipality"].email]
    assert f"LMP5-{number}-1" in mail.subject
    assert "Skole A" in mail.body and "Privat barnehage" in mail.body and "plan.pdf" in mail.body
    assert "Vi har mottatt søknaden fra Testvik kommune" in mail.body

    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[0] == "application.created"
    assert actions[-1] == "application.submitted"
    assert "application.section_saved.forpliktelser" in actions

    # The office of the county sees it in its list.
    officer = office_user(setting["municipality"].county.office)
    client.force_login(officer)
    listing = client.get(reverse("applications:list"))
    row = listing.context["applications"][0]
    assert (row.pk, row.school_count, row.kindergarten_count) == (application.pk, 2, 2)
    assert f"LMP5-{number}-1" in listing.content.decode()


def test_a_submitted_application_is_read_only_for_the_municipality(client, setting):
    client.force_login(setting["user"])
    client.post(
        reverse("applications:start", args=[setting["cohort"].pk, setting["municipality"].pk])
    )
    application = fill_in(client, Application.objects.get(), setting)
    client.post(reverse("applications:submit", args=[application.pk]))
    response = _post_section(client, application, "kontakt", {"contact_name": "Endret"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.contact_name == "Kari Nordmann"


def test_a_nynorsk_municipality_gets_its_receipt_in_nynorsk(
    client, setting, mailoutbox, django_capture_on_commit_callbacks
):
    setting["municipality"].written_standard = "nn"
    setting["municipality"].save()
    client.force_login(setting["user"])
    client.post(
        reverse("applications:start", args=[setting["cohort"].pk, setting["municipality"].pk])
    )
    application = fill_in(client, Application.objects.get(), setting)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:submit", args=[application.pk]))
    assert "Stadfest deltakinga i Læringsmiljøprosjektet" in mailoutbox[0].subject
    assert "Vi har motteke søknaden frå Testvik kommune" in mailoutbox[-1].body
    assert mailoutbox[-1].subject.startswith("Kvittering for søknad til Læringsmiljøprosjektet")


def test_a_municipality_that_is_not_invited_cannot_start(client, setting):
    Invitation.objects.all().delete()
    client.force_login(setting["user"])
    assert "Start søknaden" not in client.get(reverse("municipality_start")).content.decode()
    response = client.post(
        reverse("applications:start", args=[setting["cohort"].pk, setting["municipality"].pk]),
        follow=True,
    )
    assert "Kommunen er ikke invitert til å søke på denne puljen." in response.content.decode()
    assert not Application.objects.exists()
