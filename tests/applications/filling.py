"""The application's parts filled in through the test client, as its pages post them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Application
from applications.sections import units_token
from tests.applications.factories import pdf_bytes
from tests.factories import KindergartenFactory, PPTServiceFactory, SchoolFactory


def units_of(municipality):
    """The units fill_in_parts() chooses: three schools, a public and a private kindergarten
    and the PPT service, made in the municipality."""
    return {
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
    }


def post_section(client, application, slug, data, revision=None):
    """Post a section as its page would: with the revisions it was opened with."""
    current = Application.objects.get(pk=application.pk)
    if revision is None:
        revision = current.revisions.get(slug, 0)
    return client.post(
        reverse("applications:section", args=[application.pk, slug]),
        {"revision": revision, "units": units_token(current), **data},
    )


def management_form(prefix, forms):
    return {
        f"{prefix}-TOTAL_FORMS": len(forms),
        f"{prefix}-INITIAL_FORMS": len(forms),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def fill_in_parts(client, application, setting):
    """Fill in every part as a user would, up to the requests to commit, which are not sent.
    `setting` holds the municipality's "schools" (three), "kindergartens" (a public and a
    private one) and "ppt"."""
    school_a, school_b, _ = setting["schools"]
    public, private = setting["kindergartens"]
    responses = [
        post_section(
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
        post_section(client, application, "skoler", {"schools": [school_a.pk, school_b.pk]}),
        post_section(
            client,
            application,
            "barnehager",
            {"kindergartens": [public.pk, private.pk], **management_form("lenker", [])},
        ),
    ]
    application.refresh_from_db()
    units = {u.kindergarten_id: u for u in application.kindergartens.all()}
    schools = {u.school_id: u for u in application.schools.all()}
    responses.append(
        post_section(
            client,
            application,
            "barnehager",
            {
                "kindergartens": [public.pk, private.pk],
                **management_form("lenker", units),
                "lenker-0-id": units[public.pk].pk,
                "lenker-0-feeds": [schools[school_a.pk].pk],
                "lenker-0-challenges": "",
                "lenker-1-id": units[private.pk].pk,
                "lenker-1-challenges": "Mange nye barn i år.",
            },
        )
    )
    responses.append(
        post_section(
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
        **management_form("skoleledere", school_units),
        **management_form("barnehageledere", kindergarten_units),
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
    responses.append(post_section(client, application, "forpliktelser", commitments))
    motivation = {
        "motivation_why": "Vi ser for mye mobbing.",
        "motivation_goals": "Relasjoner og klasseledelse.",
        "motivation_priority": "Fast tid hver uke i alle enheter.",
        **management_form("skoler", school_units),
        **management_form("barnehager", kindergarten_units),
    }
    for index, unit in enumerate(school_units):
        motivation |= {
            f"skoler-{index}-id": unit.pk,
            f"skoler-{index}-motivation": "Vi vil delta.",
            f"skoler-{index}-challenges": "",
        }
    for index, unit in enumerate(kindergarten_units):
        motivation |= {f"barnehager-{index}-id": unit.pk, f"barnehager-{index}-motivation": "Med!"}
    responses.append(post_section(client, application, "motivasjon", motivation))
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
    application.refresh_from_db()
    return application


def commitments_part(application, **overrides):
    """The commitments part as its page posts it, with what is saved now and `overrides`."""
    application = Application.objects.get(pk=application.pk)
    data = {
        field: getattr(application, field)
        for party in ("school_owner", "kindergarten_owner", "ppt_leader")
        for field in (f"{party}_name", f"{party}_role", f"{party}_email")
    }
    units = {
        "skoleledere": (list(application.schools.order_by("school__name")), ()),
        "barnehageledere": (
            list(application.kindergartens.order_by("kindergarten__name")),
            ("owner_contact_name", "owner_contact_role", "owner_contact_email"),
        ),
    }
    for prefix, (rows, owner_fields) in units.items():
        data |= management_form(prefix, rows)
        for index, unit in enumerate(rows):
            data[f"{prefix}-{index}-id"] = unit.pk
            for field in ("leader_name", "leader_role", "leader_email", *owner_fields):
                data[f"{prefix}-{index}-{field}"] = getattr(unit, field)
    return {**data, **overrides}
