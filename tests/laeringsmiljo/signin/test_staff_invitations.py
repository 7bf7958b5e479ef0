"""The staff invitation: an administrator e-mails a case officer a personal link, and the first
sign-in at the staff's identity provider from it ties the provider's stable id to the user,
against the real local provider (tests/oidc)."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.urls import reverse

from laeringsmiljo.models import AuditEvent, ExternalIdentity
from laeringsmiljo.signin.staff_invitations import SALT, InvitationError, accept_staff_invitation
from tests.factories import GovernorOfficeFactory, municipality_user, office_user
from tests.oidc_provider import through_provider
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/konto/ansatt/[^/\s]+/)")


@pytest.fixture
def administrator(db):
    return get_user_model().objects.create_superuser("rot", "rot@test.example", "passord-for-test")


def _invite(client, administrator, *users):
    sign_in(client, administrator)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "send_staff_invitation", "_selected_action": [u.pk for u in users]},
        follow=True,
    )
    client.logout()
    return [str(message) for message in response.context["messages"]]


def _link(message):
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def _through_staff_provider(client, account="saksbehandler"):
    start = client.get(reverse("oidc_start", args=["staff"]) + "?next=/konto/ansatt/")
    return client.get(through_provider(start["Location"], account))


def test_an_invited_case_officer_signs_in_through_the_staff_provider_and_is_tied(
    client, oidc, administrator
):
    office = GovernorOfficeFactory(default_written_standard="nn")
    officer = office_user(office=office, email="sara@statsforvalteren.example", first_name="Sara")
    assert _invite(client, administrator, officer) == [f"Invitasjon sendt til {officer.username}."]
    [message] = mail.outbox
    assert message.to == ["sara@statsforvalteren.example"]
    # In the office's written standard.
    assert message.subject == "Logg inn i Læringsmiljøprosjektet som tilsett"
    assert "Logg inn som tilsett" in message.body
    assert AuditEvent.objects.filter(action="signin.staff_invited").count() == 1

    assert client.get(_link(message))["Location"] == "/konto/ansatt/"
    page = client.get("/konto/ansatt/").content.decode()
    assert "Invitasjon til å logge inn som ansatt" in page
    assert 'href="/konto/oidc/staff/?next=/konto/ansatt/"' in page
    response = _through_staff_provider(client)
    assert response["Location"] == "/konto/ansatt/"
    assert "_auth_user_id" not in client.session
    assert "Ta imot invitasjonen" in client.get("/konto/ansatt/").content.decode()
    response = client.post("/konto/ansatt/")
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(officer.pk)
    assert list(ExternalIdentity.objects.values_list("user", "provider", "subject")) == [
        (officer.pk, "staff", "saksbehandler")
    ]
    # Signed in by the provider, the officer is not asked for a code.
    assert client.get("/embete/").status_code == 200

    # From now on the login page's «Logg inn som ansatt» is enough; the link is spent.
    client.logout()
    start = client.get(reverse("oidc_start", args=["staff"]) + "?next=/embete/")
    assert client.get(through_provider(start["Location"], "saksbehandler"))["Location"] == (
        "/embete/"
    )
    client.logout()
    client.get(_link(message))
    response = client.get("/konto/ansatt/")
    assert response.status_code == 410
    assert "Lenken er allerede brukt." in response.content.decode()


def test_who_cannot_be_invited_is_named_with_the_reason_and_gets_no_mail(
    client, oidc, administrator
):
    resident = municipality_user(email="kari@fjordvik.example")
    without_address = office_user(email="")
    messages = _invite(client, administrator, resident, without_address)
    assert mail.outbox == []
    assert sorted(messages) == sorted(
        [
            f"{resident.username} fikk ingen invitasjon: Brukeren er ikke ansatt i et embete "
            "eller i Udir, og er ikke administrator.",
            f"{without_address.username} fikk ingen invitasjon: Brukeren har ingen e-postadresse.",
        ]
    )


def test_a_tampered_or_expired_link_is_refused_and_ties_nothing(
    client, oidc, settings, monkeypatch
):
    officer = office_user()
    token = signing.dumps(officer.pk, salt=SALT)
    client.get(f"/konto/ansatt/{token[:-2]}xx/")
    response = client.get("/konto/ansatt/")
    assert response.status_code == 410
    assert "Lenken er ikke gyldig." in response.content.decode()
    # A link made two days ago, with links lasting one day.
    settings.STAFF_INVITATION_DAYS = 1
    now = time.time()
    monkeypatch.setattr("django.core.signing.time.time", lambda: now - 2 * 86400)
    expired = signing.dumps(officer.pk, salt=SALT)
    monkeypatch.undo()
    client.get(f"/konto/ansatt/{expired}/")
    response = client.get("/konto/ansatt/")
    assert response.status_code == 410
    assert "Lenken har gått ut." in response.content.decode()
    assert ExternalIdentity.objects.count() == 0


def test_an_identity_tied_to_someone_else_is_not_tied_again(oidc):
    first = office_user()
    ExternalIdentity.objects.create(user=first, provider="staff", subject="saksbehandler")
    second = office_user()
    with pytest.raises(InvitationError) as refused:
        accept_staff_invitation(token=signing.dumps(second.pk, salt=SALT), subject="saksbehandler")
    assert refused.value.message == (
        "Denne ansattidentiteten er allerede knyttet til en annen bruker i tjenesten."
    )
    assert ExternalIdentity.objects.filter(user=second).count() == 0


def test_the_invitation_page_is_not_there_without_the_staff_provider(client, db):
    assert client.get("/konto/ansatt/").status_code == 404
