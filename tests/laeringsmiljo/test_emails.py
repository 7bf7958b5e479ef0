"""The e-mails that are not letters: their texts are edited per kind and målform in admin, with
the placeholders checked when saved, and the next e-mail of the kind goes out with the edited
text in the recipient's målform."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from laeringsmiljo.emails import DEFAULTS, PLACEHOLDERS
from laeringsmiljo.models import EmailKind, EmailTemplate
from laeringsmiljo.placeholders import placeholders_in
from tests.applications.test_access_links import (  # noqa: F401 - the fixture
    send_link,
    setting,
)
from tests.signin import sign_in


@pytest.fixture
def admin_client(client, db):
    sign_in(
        client,
        get_user_model().objects.create_superuser("rot", "rot@test.example", "passord-for-test"),
    )
    return client


def test_every_kind_has_a_default_text_in_both_written_standards_with_known_placeholders(db):
    for kind in EmailKind.values:
        for language in ("nb", "nn"):
            subject, body = DEFAULTS[kind, language]
            assert placeholders_in(subject + body) <= set(PLACEHOLDERS[kind]), (kind, language)
            stored = EmailTemplate.objects.get(kind=kind, language=language)
            assert (stored.subject, stored.body) == (subject, body)


def test_an_edited_text_is_the_next_e_mail_of_its_kind_in_its_written_standard(
    admin_client,
    setting,  # noqa: F811 - the fixture imported above
    mailoutbox,
):
    template = EmailTemplate.objects.get(kind="access", language="nn")
    url = reverse("admin:laeringsmiljo_emailtemplate_change", args=[template.pk])
    page = admin_client.get(url).content.decode()
    assert "{office_contact}: embetets navn, med e-postadressen i parentes" in page
    response = admin_client.post(
        url,
        {
            "kind": "access",
            "language": "nn",
            "subject": "Lenkje til søknaden for {municipality}",
            "body": "Opne {url} innan {expires}. Helsing {office}.",
        },
    )
    assert response.status_code == 302

    path, _token = send_link(setting)

    message = mailoutbox[-1]
    assert message.subject == "Lenkje til søknaden for Fjordvik"
    assert message.body.startswith(f"Opne http://testserver{path} innan ")
    assert message.body.endswith(f"Helsing {setting['office'].name}.")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Hei {kommune}", "Ukjent plassholder {kommune}."),
        ("Hei {municipality.name}", "Tomme eller ugyldige plassholdere er ikke tillatt."),
        ("Hei {municipality", "Teksten har en krøllparentes som ikke er lukket."),
        ("Hei {}", "Tomme eller ugyldige plassholdere er ikke tillatt."),
        # The inviter belongs to the colleague's e-mail, not to the postmottak's.
        ("Hei fra {inviter}", "Ukjent plassholder {inviter}."),
    ],
)
def test_a_text_with_a_placeholder_its_kind_does_not_know_is_refused_and_nothing_saved(
    admin_client, body, message
):
    template = EmailTemplate.objects.get(kind="access", language="nb")
    before = (template.subject, template.body)
    response = admin_client.post(
        reverse("admin:laeringsmiljo_emailtemplate_change", args=[template.pk]),
        {"kind": "access", "language": "nb", "subject": "Emne", "body": body},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    template.refresh_from_db()
    assert (template.subject, template.body) == before


def test_the_texts_cannot_be_deleted_in_admin(admin_client):
    template = EmailTemplate.objects.get(kind="receipt", language="nb")
    url = reverse("admin:laeringsmiljo_emailtemplate_delete", args=[template.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert EmailTemplate.objects.filter(pk=template.pk).exists()
    assert mail.outbox == []
