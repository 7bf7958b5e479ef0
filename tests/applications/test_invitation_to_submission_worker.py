"""From the office's invitation to a submitted application, with every e-mail sent by a real
Celery worker on Redis and PostgreSQL, and no administrator touching anything: the postmottak
link makes the contact person's account, a colleague joins as co-editor and fills in the parts,
the eight who commit answer through their own links (one declines and is replaced), and the
contact person sends the application and gets the receipt."""

import re
import time
from email.header import decode_header, make_header

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from applications.models import Application, Commitment, ContactPerson
from laeringsmiljo.models import Membership, Role
from selection.models import Invitation
from tests.applications.filling import commitments_part, fill_in_parts, post_section, units_of
from tests.applications.signing import answer
from tests.applications.test_access_links import PASSWORD
from tests.factories import (
    CohortFactory,
    MunicipalityFactory,
    OfficeScheduleFactory,
    office_user,
)
from tests.selection.letters.test_letters_worker import (  # noqa: F401 - the fixtures
    celery,
    messages_in,
    worker,
)
from tests.signin import sign_in

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not __import__("os").environ.get("CELERY_BROKER_URL"),
        reason="needs DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis), as in CI",
    ),
]

SITE = "http://testserver"
ACCESS_LINK = re.compile(SITE + r"(/soknader/tilgang/\d+/\d+/[A-Za-z0-9_-]+/)")


class Mail:
    """An e-mail the worker wrote to its file: who it went to, its subject and its text."""

    def __init__(self, message):
        self.to = [address.strip() for address in message["To"].split(",")]
        self.subject = str(make_header(decode_header(message["Subject"])))
        part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
        self.body = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def mails_to(mail_dir, address, count=1, *, seconds=60):
    """The e-mails to `address`, once there are `count` of them."""
    deadline = time.monotonic() + seconds
    while True:
        found = [
            Mail(message)
            for message in messages_in(mail_dir)
            if address in [a.strip() for a in message["To"].split(",")]
        ]
        if len(found) >= count or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert len(found) == count, [mail.subject for mail in found]
    return found


@pytest.fixture
def site(monkeypatch, settings):
    """The address in the e-mails' links, for the worker (from its environment) and here."""
    monkeypatch.setenv("SITE_URL", SITE)
    settings.SITE_URL = SITE


@pytest.fixture
def setting(site, worker):  # noqa: F811 - the fixture imported above
    municipality = MunicipalityFactory(
        name="Fjordvik", written_standard="nb", email="postmottak@fjordvik.example"
    )
    office = municipality.county.office
    cohort = CohortFactory(number=7, name="Pulje 7")
    OfficeScheduleFactory(cohort=cohort, office=office)
    return {
        "mail_dir": worker,
        "municipality": municipality,
        "office": office,
        "cohort": cohort,
        **units_of(municipality),
    }


def register(path, *, first_name, last_name, email):
    """Open an access link in a browser of one's own and make an account there."""
    browser = Client()
    assert browser.get(path).status_code == 302
    response = browser.post(
        reverse("applications:access"),
        {
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return browser


def test_a_municipality_goes_from_the_invitation_e_mail_to_a_submitted_application(setting):
    mail_dir, municipality, cohort = setting["mail_dir"], setting["municipality"], setting["cohort"]

    # The office invites Fjordvik on its invitation page.
    officer = Client()
    sign_in(officer, office_user(setting["office"]))
    invited = officer.post(
        reverse("selection:invitations", args=[cohort.pk, setting["office"].pk]),
        {"municipalities": [municipality.pk]},
    )
    assert invited.status_code == 302
    assert Invitation.objects.filter(cohort=cohort, municipality=municipality).exists()

    # Postmottak gets the link, and whoever opens it becomes the contact person.
    [invitation] = mails_to(mail_dir, "postmottak@fjordvik.example")
    path = ACCESS_LINK.search(invitation.body).group(1)
    contact = register(path, first_name="Nina", last_name="Nilsen", email="nina@fjordvik.example")
    started = contact.post(reverse("applications:start", args=[cohort.pk, municipality.pk]))
    application = Application.objects.get(cohort=cohort, municipality=municipality)
    assert started["Location"] == reverse("applications:detail", args=[application.pk])
    assert ContactPerson.objects.get(
        cohort=cohort, municipality=municipality
    ).user.get_full_name() == ("Nina Nilsen")

    # A colleague is invited, joins as co-editor, and fills in every part.
    contact.post(
        reverse("applications:invite_colleague", args=[application.pk]),
        {"email": "kari@fjordvik.example"},
    )
    [invitation] = mails_to(mail_dir, "kari@fjordvik.example")
    colleague = register(
        ACCESS_LINK.search(invitation.body).group(1),
        first_name="Kari",
        last_name="Kollega",
        email="kari@fjordvik.example",
    )
    kari = get_user_model().objects.get(username="kari@fjordvik.example")
    assert Membership.objects.filter(
        user=kari, role=Role.MUNICIPALITY, municipality=municipality
    ).exists()
    application = fill_in_parts(colleague, application, setting)
    detail = contact.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Kari Kollega" in detail and "Medredaktør" in detail

    # The contact person sends the requests; each of the eight answers through their own link.
    contact.post(reverse("applications:request_commitments", args=[application.pk]))
    signatories = list(
        Commitment.objects.filter(application=application).values_list("email", flat=True)
    )
    assert len(signatories) == 8
    for address in signatories:
        [request] = mails_to(mail_dir, address)
        if address == "per@ppt.example":
            answer(request, confirm=False, comment="Vi har ikke kapasitet i høst.")
        else:
            assert answer(request).status_code == 200
    refused = contact.post(
        reverse("applications:submit", args=[application.pk]), {"bekreftet": "on"}, follow=True
    )
    assert "PP-tjenesten har svart at de ikke kan delta." in refused.content.decode()

    # PPT's new leader is named by the co-editor, asked by the contact person, and confirms.
    saved = post_section(
        colleague,
        application,
        "forpliktelser",
        commitments_part(application, ppt_leader_name="Pål Ny", ppt_leader_email="pal@ppt.example"),
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    contact.post(reverse("applications:request_commitments", args=[application.pk]))
    [request] = mails_to(mail_dir, "pal@ppt.example")
    assert answer(request).status_code == 200

    # Only the contact person sends; the receipt comes from the worker.
    assert colleague.post(
        reverse("applications:submit", args=[application.pk]), {"bekreftet": "on"}
    ).status_code == (403)
    sent = contact.post(reverse("applications:submit", args=[application.pk]), {"bekreftet": "on"})
    assert sent["Location"] == reverse("applications:receipt", args=[application.pk])
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.reference == f"LMP7-{municipality.number}-1"
    postmottak = mails_to(mail_dir, "postmottak@fjordvik.example", count=2)
    [receipt] = [mail for mail in postmottak if "Tilgang" not in mail.subject]
    assert f"LMP7-{municipality.number}-1" in receipt.subject
    assert receipt.to == ["kari@testvik.example", "postmottak@fjordvik.example"]  # the contact part
    open_ones = Commitment.objects.filter(application=application, voided_at__isnull=True)
    assert sorted(open_ones.values_list("answer", flat=True)) == ["bekreftet"] * 8
    assert not open_ones.filter(email="per@ppt.example").exists()
    # Every e-mail went once: the postmottak link, the colleague, nine requests, the receipt
    # (to the contact person given in the contact part and to postmottak).
    recipients = sorted(
        address.strip() for message in messages_in(mail_dir) for address in message["To"].split(",")
    )
    assert len(recipients) == len(set(recipients)) + 1  # postmottak: the link and the receipt
