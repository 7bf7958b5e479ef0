"""The link that brings the contact person in, from the office's invitation to the
application's start page, and every way it can be misused."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from applications import access_links
from applications.models import AccessLink, Application
from laeringsmiljo.models import AuditEvent, Membership, Role
from selection.models import Invitation
from tests.factories import (
    CohortFactory,
    MunicipalityFactory,
    OfficeScheduleFactory,
    UserFactory,
    office_user,
)
from tests.signin import sign_in

LINK = re.compile(r"http://testserver(/soknader/tilgang/(\d+)/(\d+)/([A-Za-z0-9_-]+)/)")
PASSWORD = "Læringsmiljø-2026!"


@pytest.fixture
def setting(db, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://testserver"
    municipality = MunicipalityFactory(
        name="Fjordvik", written_standard="nn", email="postmottak@fjordvik.example"
    )
    office = municipality.county.office
    cohort = CohortFactory(number=7, name="Pulje 7")
    OfficeScheduleFactory(cohort=cohort, office=office)
    return {
        "municipality": municipality,
        "office": office,
        "cohort": cohort,
        "officer": office_user(office=office),
        "commit": django_capture_on_commit_callbacks,
    }


def invite(client, setting, *municipalities):
    sign_in(client, setting["officer"])
    with setting["commit"](execute=True):
        response = client.post(
            reverse("selection:invitations", args=[setting["cohort"].pk, setting["office"].pk]),
            {"municipalities": [m.pk for m in municipalities]},
        )
    assert response.status_code == 302


def link_in(message):
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1), match.group(4)


def send_link(setting, municipality=None):
    """A link e-mailed to the municipality; returns (path, token)."""
    from django.core import mail

    before = len(mail.outbox)
    with setting["commit"](execute=True):
        request(setting, municipality)
    assert len(mail.outbox) == before + 1
    return link_in(mail.outbox[-1])


def request(setting, municipality=None):
    return access_links.request_access_link(
        cohort=setting["cohort"],
        municipality=municipality or setting["municipality"],
        actor=setting["officer"],
        replaces=AccessLink.objects.filter(
            municipality=municipality or setting["municipality"], voided_at__isnull=True
        )
        .values_list("pk", flat=True)
        .first(),
    )


def create_account(client, path, email="nina@fjordvik.example"):
    client.logout()
    assert client.get(path).status_code == 302
    return client.post(
        reverse("applications:access"),
        {
            "first_name": "Nina",
            "last_name": "Nilsen",
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def test_access_link_from_invitation_to_start_page_in_nynorsk(client, setting, mailoutbox):
    invite(client, setting, setting["municipality"])

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["postmottak@fjordvik.example"]
    assert "Tilgang til søknaden om Læringsmiljøprosjektet (Pulje 7)" in message.subject
    assert "Den som skal vere kontaktperson for søknaden" in message.body
    path, token = link_in(message)

    response = create_account(client, path)

    municipality, cohort = setting["municipality"], setting["cohort"]
    assert response.status_code == 302
    assert response["Location"] == reverse("municipality_start")
    user = get_user_model().objects.get(username="nina@fjordvik.example")
    assert user.get_full_name() == "Nina Nilsen"
    assert Membership.objects.filter(
        user=user, role=Role.MUNICIPALITY, municipality=municipality
    ).exists()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Pulje 7" in page.content.decode()
    start = reverse("applications:start", args=[cohort.pk, municipality.pk])
    assert start in page.content.decode()
    response = client.post(start)
    application = Application.objects.get(cohort=cohort, municipality=municipality)
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    link = AccessLink.objects.get()
    assert link.used_by == user
    assert link.token_hash == access_links.token_hash(token)


def test_access_link_signed_in_user_confirms(client, setting, mailoutbox):
    path, _ = send_link(setting)
    user = UserFactory()
    sign_in(client, user)
    client.get(path)

    page = client.get(reverse("applications:access"))
    assert "Ta imot tilgangen" in page.content.decode()
    response = client.post(reverse("applications:access"))

    assert response.status_code == 302
    assert Membership.objects.filter(
        user=user, role=Role.MUNICIPALITY, municipality=setting["municipality"]
    ).exists()


def test_access_link_weak_password_is_refused_and_nothing_made(client, setting, mailoutbox):
    path, _ = send_link(setting)
    client.get(path)

    response = client.post(
        reverse("applications:access"),
        {
            "first_name": "Nina",
            "last_name": "Nilsen",
            "email": "nina@fjordvik.example",
            "password1": "123",
            "password2": "123",
        },
    )

    assert response.status_code == 200
    assert "Passordet er for kort. Det må ha minst 8 tegn." in response.content.decode()
    assert not get_user_model().objects.filter(username="nina@fjordvik.example").exists()
    assert AccessLink.objects.get().used_at is None


def assert_refused(client, path, text):
    response = client.get(path, follow=True)
    assert response.status_code == 410
    body = response.content.decode()
    assert text in body
    assert "Ingenting er endret" in body
    return response


def test_access_link_used_twice_is_refused(client, setting, mailoutbox):
    path, _ = send_link(setting)
    create_account(client, path)
    client.logout()
    other = UserFactory()
    sign_in(client, other)

    assert_refused(client, path, "Lenken er allerede brukt.")
    assert client.post(reverse("applications:access")).status_code == 410
    assert not Membership.objects.filter(user=other).exists()


def test_access_link_expired_is_refused(client, setting, mailoutbox):
    path, _ = send_link(setting)
    AccessLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    assert_refused(client, path, "Lenken er utløpt.")
    assert create_account(client, path).status_code == 410
    assert not get_user_model().objects.filter(username="nina@fjordvik.example").exists()


def test_access_link_expires_after_the_configured_days(client, setting, settings, mailoutbox):
    settings.ACCESS_LINK_DAYS = 3
    send_link(setting)
    link = AccessLink.objects.get()
    assert link.expires_at - link.sent_at == datetime.timedelta(days=3)


def test_access_link_tampered_token_is_refused(client, setting, mailoutbox):
    path, token = send_link(setting)
    tampered = path.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))

    assert_refused(client, tampered, "Lenken er ikke gyldig.")
    assert AccessLink.objects.get().used_at is None


def test_access_link_for_another_municipality_or_cohort_is_refused(client, setting, mailoutbox):
    path, token = send_link(setting)
    municipality, cohort = setting["municipality"], setting["cohort"]
    other_municipality = MunicipalityFactory(county=municipality.county, email="post@annen.example")
    other_cohort = CohortFactory(number=8)
    user = UserFactory()
    sign_in(client, user)

    for cohort_pk, municipality_pk in [
        (cohort.pk, other_municipality.pk),
        (other_cohort.pk, municipality.pk),
    ]:
        other = reverse("applications:access_link", args=[cohort_pk, municipality_pk, token])
        assert_refused(client, other, "Lenken er ikke gyldig.")
        assert client.post(reverse("applications:access")).status_code == 410

    assert not Membership.objects.filter(user=user).exists()


def test_access_link_of_one_municipality_never_opens_another_application(
    client, setting, mailoutbox
):
    other_municipality = MunicipalityFactory(
        county=setting["municipality"].county, email="post@annen.example"
    )
    Invitation.objects.create(cohort=setting["cohort"], municipality=other_municipality)
    other_application = Application.objects.create(
        cohort=setting["cohort"], municipality=other_municipality
    )
    path, _ = send_link(setting)
    create_account(client, path)

    assert (
        client.get(reverse("applications:detail", args=[other_application.pk])).status_code == 404
    )
    start = reverse("applications:start", args=[setting["cohort"].pk, other_municipality.pk])
    assert client.post(start).status_code == 404


def test_access_link_resend_makes_the_old_one_fail(client, setting, mailoutbox):
    old_path, _ = send_link(setting)
    new_path, _ = send_link(setting)

    assert_refused(client, old_path, "Lenken er erstattet av en nyere lenke")
    assert create_account(client, new_path).status_code == 302


def test_access_link_double_click_sends_once(client, setting, mailoutbox):
    send_link(setting)
    current = AccessLink.objects.get().pk
    for _ in range(2):
        with setting["commit"](execute=True):
            access_links.request_access_link(
                cohort=setting["cohort"],
                municipality=setting["municipality"],
                actor=setting["officer"],
                replaces=current,
            )
    assert len(mailoutbox) == 2
    assert AccessLink.objects.count() == 2
    assert access_links.send_access_link_email(link_id=AccessLink.objects.first().pk) is False
    assert len(mailoutbox) == 2


def test_access_link_inviting_without_email_sends_nothing(client, setting, mailoutbox):
    setting["municipality"].email = ""
    setting["municipality"].save()
    invite(client, setting, setting["municipality"])
    assert mailoutbox == []
    assert not AccessLink.objects.exists()


def test_access_link_revoke_removes_access(client, setting, mailoutbox):
    path, _ = send_link(setting)
    create_account(client, path)
    membership = Membership.objects.get(municipality=setting["municipality"])

    access_links.revoke_membership(membership=membership, actor=setting["officer"])

    assert not Membership.objects.filter(pk=membership.pk).exists()
    start = reverse("applications:start", args=[setting["cohort"].pk, setting["municipality"].pk])
    assert client.post(start).status_code == 404


def test_access_link_token_never_in_audit_events(client, setting, mailoutbox):
    path, token = send_link(setting)
    create_account(client, path)
    access_links.revoke_membership(
        membership=Membership.objects.get(municipality=setting["municipality"]),
        actor=setting["officer"],
    )

    events = list(AuditEvent.objects.all())
    assert {e.action for e in events} >= {
        "access_link.requested",
        "access_link.sent",
        "access_link.used",
        "membership.revoked",
    }
    for event in events:
        assert token not in f"{event.object_repr} {event.before} {event.after}"


def test_access_link_token_not_logged_when_broker_away(setting, caplog, mailoutbox):
    """The job's arguments are logged when the broker is away: they hold only the link's id."""
    from applications.tasks import send_access_link

    with setting["commit"](execute=True):
        link = request(setting)
    assert send_access_link.name == "applications.tasks.send_access_link"
    _, token = link_in(mailoutbox[-1])
    assert token not in caplog.text
    link.refresh_from_db()
    assert link.token_hash != token


def invitations_url(setting):
    return reverse("selection:invitations", args=[setting["cohort"].pk, setting["office"].pk])


def office_url(setting, name, *args):
    return reverse(
        f"selection:{name}",
        args=[setting["cohort"].pk, setting["office"].pk, setting["municipality"].pk, *args],
    )


def test_invitations_page_shows_who_holds_access(client, setting, mailoutbox):
    invite(client, setting, setting["municipality"])
    path, _ = link_in(mailoutbox[-1])
    create_account(client, path)
    sign_in(client, setting["officer"])

    body = client.get(invitations_url(setting)).content.decode()

    assert "Nina Nilsen (nina@fjordvik.example)" in body
    assert "Fjern tilgangen" in body
    assert "Send lenken igjen" in body
    assert ">brukt" in body or "brukt<br>" in body


def test_invitations_page_tells_the_contact_person_from_a_co_editor(client, setting, mailoutbox):
    invite(client, setting, setting["municipality"])
    path, _ = link_in(mailoutbox[-1])
    create_account(client, path)
    client.post(
        reverse("applications:start", args=[setting["cohort"].pk, setting["municipality"].pk])
    )
    with setting["commit"](execute=True):
        client.post(
            reverse("applications:invite_colleague", args=[Application.objects.get().pk]),
            {"email": "kari@fjordvik.example"},
        )
    colleague_path, _ = link_in(mailoutbox[-1])
    create_account(client, colleague_path, email="kari@fjordvik.example")
    # An account made in admin, in a municipality without a contact person, is neither.
    other = MunicipalityFactory(county=setting["municipality"].county, name="Nabovik")
    Invitation.objects.create(cohort=setting["cohort"], municipality=other)
    Membership.objects.create(
        user=UserFactory(first_name="Ola", last_name="Admin"),
        role=Role.MUNICIPALITY,
        municipality=other,
    )
    sign_in(client, setting["officer"])

    body = client.get(invitations_url(setting)).content.decode()

    assert "Nina Nilsen (nina@fjordvik.example), kontaktperson" in body
    assert "Nina Nilsen (kari@fjordvik.example), medredaktør" in body
    ola = body[body.index("Ola Admin") :]
    assert ola[: ola.index("</li>")].split(")", 1)[1].strip().startswith("<form")


def test_invitations_page_resend_twice_sends_once_and_old_link_fails(client, setting, mailoutbox):
    invite(client, setting, setting["municipality"])
    old_path, _ = link_in(mailoutbox[-1])
    seen = AccessLink.objects.get().pk

    for _ in range(2):  # a double click posts the same form twice
        with setting["commit"](execute=True):
            response = client.post(office_url(setting, "invitation_resend"), {"replaces": seen})
        assert response.status_code == 302

    assert len(mailoutbox) == 2
    new_path, _ = link_in(mailoutbox[-1])
    assert_refused(client, old_path, "Lenken er erstattet av en nyere lenke")
    assert create_account(client, new_path).status_code == 302


def test_invitations_page_revoke_removes_access(client, setting, mailoutbox):
    path, _ = send_link(setting)
    create_account(client, path)
    membership = Membership.objects.get(municipality=setting["municipality"])
    Invitation.objects.create(cohort=setting["cohort"], municipality=setting["municipality"])
    sign_in(client, setting["officer"])

    response = client.post(office_url(setting, "invitation_revoke", membership.pk))

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action="membership.revoked").count() == 1


def test_invitations_page_other_office_cannot_resend_or_revoke(client, setting, mailoutbox):
    path, _ = send_link(setting)
    create_account(client, path)
    membership = Membership.objects.get(municipality=setting["municipality"])
    Invitation.objects.create(cohort=setting["cohort"], municipality=setting["municipality"])
    stranger = office_user()
    sign_in(client, stranger)
    other_office = stranger.memberships.get().office
    args = [setting["cohort"].pk, other_office.pk, setting["municipality"].pk]

    assert client.post(reverse("selection:invitation_resend", args=args)).status_code == 404
    revoke = reverse("selection:invitation_revoke", args=[*args, membership.pk])
    assert client.post(revoke).status_code == 404
    sign_in(client, stranger)
    assert client.post(office_url(setting, "invitation_resend")).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert AccessLink.objects.count() == 1


def test_invitations_page_office_changes_postmottak(client, setting, mailoutbox):
    Invitation.objects.create(cohort=setting["cohort"], municipality=setting["municipality"])
    sign_in(client, setting["officer"])

    response = client.post(
        office_url(setting, "invitation_email"), {"email": "ikke-en-adresse"}, follow=True
    )
    assert "Skriv en gyldig e-postadresse" in response.content.decode()
    setting["municipality"].refresh_from_db()
    assert setting["municipality"].email == "postmottak@fjordvik.example"

    client.post(office_url(setting, "invitation_email"), {"email": "ny@fjordvik.example"})
    setting["municipality"].refresh_from_db()
    assert setting["municipality"].email == "ny@fjordvik.example"
    assert AuditEvent.objects.get(action="municipality.email_changed").after == {
        "email": "ny@fjordvik.example"
    }


def test_invitations_page_in_nynorsk(client, setting, mailoutbox):
    invite(client, setting, setting["municipality"])
    client.cookies["django_language"] = "nn"

    body = client.get(invitations_url(setting), HTTP_ACCEPT_LANGUAGE="nn").content.decode()

    assert "Tilgang for dei inviterte kommunane" in body
    assert "Send lenkja igjen" in body


def test_access_link_sign_in_first_and_come_back(client, setting, mailoutbox):
    path, _ = send_link(setting)
    user = UserFactory(username="kari")
    user.set_password(PASSWORD)
    user.save()
    client.get(path)
    page = client.get(reverse("applications:access")).content.decode()
    assert "Logg inn først" in page

    response = client.post(
        reverse("login"),
        {"username": "kari", "password": PASSWORD, "next": reverse("applications:access")},
    )
    assert response["Location"] == reverse("applications:access")
    assert client.post(reverse("applications:access")).status_code == 302

    assert Membership.objects.filter(user=user, municipality=setting["municipality"]).exists()


def test_access_link_without_a_link_in_the_session_is_refused(client, setting):
    assert_refused(client, reverse("applications:access"), "Lenken er ikke gyldig.")
