"""Colleagues as co-editors: the contact person invites them by a single-use link, they edit
and save, only the contact person submits, withdraws and hands the role over, and two of
them saving the same part keep the stale-revision protection."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import AccessLink, Application, ContactPerson
from laeringsmiljo.models import AuditEvent, Membership, Role
from tests.applications.test_access_links import (  # noqa: F401 (fixture)
    PASSWORD,
    assert_refused,
    create_account,
    invite,
    link_in,
    setting,
)
from tests.factories import MunicipalityFactory, UserFactory
from tests.signin import sign_in

COLLEAGUE = "kari@fjordvik.example"


def detail_url(application):
    return reverse("applications:detail", args=[application.pk])


@pytest.fixture
def started(client, setting, mailoutbox):  # noqa: F811 (the fixture imported above)
    """The contact person has used the invitation's link and started the application."""
    invite(client, setting, setting["municipality"])
    path, _ = link_in(mailoutbox[-1])
    create_account(client, path)
    client.post(
        reverse("applications:start", args=[setting["cohort"].pk, setting["municipality"].pk])
    )
    application = Application.objects.get()
    return {**setting, "application": application, "contact": client}


def invite_colleague(started, email=COLLEAGUE, client=None):
    with started["commit"](execute=True):
        return (client or started["contact"]).post(
            reverse("applications:invite_colleague", args=[started["application"].pk]),
            {"email": email},
            follow=True,
        )


def colleague_joins(started, mailoutbox):
    """The colleague opens the e-mailed link in a browser of their own and makes an account."""
    invite_colleague(started)
    path, _ = link_in(mailoutbox[-1])
    colleague = Client()
    assert colleague.get(path).status_code == 302
    response = colleague.post(
        reverse("applications:access"),
        {
            "first_name": "Kari",
            "last_name": "Kollega",
            "email": COLLEAGUE,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    return colleague


def contact_data(name, revision):
    return {
        "revision": revision,
        "contact_name": name,
        "contact_role": "Rådgiver",
        "contact_email": "nina@fjordvik.example",
        "contact_phone": "22 33 44 55",
        "postal_address": "Postboks 1, 6900 Fjordvik",
    }


def section_url(started, slug="kontakt"):
    return reverse("applications:section", args=[started["application"].pk, slug])


def test_colleague_invited_in_nynorsk_joins_as_co_editor(started, mailoutbox):
    response = invite_colleague(started)

    assert "Invitasjonen sendes til kari@fjordvik.example." in response.content.decode()
    message = mailoutbox[-1]
    assert message.to == [COLLEAGUE]
    assert "Invitasjon til å skrive søknaden frå Fjordvik" in message.subject
    assert "Nina Nilsen har invitert deg til å skrive søknaden frå Fjordvik" in message.body
    colleague = colleague_joins_after_invite(message)

    user = get_user_model().objects.get(username=COLLEAGUE)
    assert Membership.objects.filter(
        user=user, role=Role.MUNICIPALITY, municipality=started["municipality"]
    ).exists()
    contact = ContactPerson.objects.get()
    assert contact.user.username == "nina@fjordvik.example"
    page = colleague.get(detail_url(started["application"])).content.decode()
    assert "Det er kontaktpersonen, Nina Nilsen, som sender den inn." in page
    assert reverse("applications:submit", args=[started["application"].pk]) not in page


def colleague_joins_after_invite(message):
    path, _ = link_in(message)
    colleague = Client()
    colleague.get(path)
    page = colleague.get(reverse("applications:access")).content.decode()
    assert "sammen med kontaktpersonen" in page
    colleague.post(
        reverse("applications:access"),
        {
            "first_name": "Kari",
            "last_name": "Kollega",
            "email": COLLEAGUE,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    return colleague


def test_co_editor_saves_but_cannot_submit_withdraw_invite_or_hand_over(started, mailoutbox):
    colleague = colleague_joins(started, mailoutbox)
    application = started["application"]

    assert colleague.post(section_url(started), contact_data("Kari", 0)).status_code == 302
    application.refresh_from_db()
    assert application.contact_name == "Kari"

    pk = application.pk
    for name in ["submit", "invite_colleague", "hand_over"]:
        assert colleague.post(reverse(f"applications:{name}", args=[pk])).status_code == 403
    assert colleague.get(reverse("applications:withdraw", args=[pk])).status_code == 403
    assert colleague.post(reverse("applications:withdraw", args=[pk])).status_code == 403
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert ContactPerson.objects.get().user.username == "nina@fjordvik.example"


def test_application_shows_who_has_access_and_when_each_last_saved(started, mailoutbox):
    colleague = colleague_joins(started, mailoutbox)
    colleague.post(section_url(started), contact_data("Kari", 0))
    invite_colleague(started, "per@fjordvik.example")

    page = started["contact"].get(detail_url(started["application"])).content.decode()
    section = page[page.index('id="tilgang"') :]
    kari = section[section.index("Kari Kollega") : section.index("Nina Nilsen")]
    nina = section[section.index("Nina Nilsen") : section.index("per@fjordvik.example")]
    assert "Kontaktperson" in nina and "har ikke lagret noe" in nina
    assert "Medredaktør" in kari and "har ikke lagret noe" not in kari
    assert "Invitert som medredaktør" in section


def test_contact_person_hands_over_the_contact_role(started, mailoutbox):
    colleague = colleague_joins(started, mailoutbox)
    kari = get_user_model().objects.get(username=COLLEAGUE)
    pk = started["application"].pk

    response = started["contact"].post(
        reverse("applications:hand_over", args=[pk]), {"user": kari.pk}, follow=True
    )

    assert "Kari Kollega er nå kontaktperson for søknaden." in response.content.decode()
    assert ContactPerson.objects.get().user == kari
    assert (
        started["contact"]
        .post(reverse("applications:submit", args=[pk]), {"bekreftet": "on"})
        .status_code
        == 403
    )
    # The new contact person may send; the application is incomplete, so it is not sent.
    response = colleague.post(
        reverse("applications:submit", args=[pk]), {"bekreftet": "on"}, follow=True
    )
    assert "Søknaden er ikke komplett ennå." in response.content.decode()
    assert AuditEvent.objects.filter(action="contact_person.set").count() == 2


def test_hand_over_to_someone_without_access_is_refused(started, mailoutbox):
    outsider = UserFactory()
    pk = started["application"].pk
    for value in [outsider.pk, "x", ""]:
        response = started["contact"].post(
            reverse("applications:hand_over", args=[pk]), {"user": value}, follow=True
        )
        assert "Kontaktrollen kan bare gis til en som allerede har tilgang" in (
            response.content.decode()
        )
    assert ContactPerson.objects.get().user.username == "nina@fjordvik.example"


def test_colleague_invitation_double_click_sends_once(started, mailoutbox):
    before = len(mailoutbox)
    invite_colleague(started)
    response = invite_colleague(started, "  KARI@fjordvik.example ")

    assert len(mailoutbox) == before + 1
    assert "er allerede invitert, og lenken gjelder ennå" in response.content.decode()
    assert AccessLink.objects.filter(kind=AccessLink.Kind.COLLEAGUE).count() == 1


def test_colleague_invitation_after_expiry_sends_a_new_link(started, mailoutbox):
    invite_colleague(started)
    old, _ = link_in(mailoutbox[-1])
    AccessLink.objects.filter(kind=AccessLink.Kind.COLLEAGUE).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    invite_colleague(started)

    assert AccessLink.objects.filter(kind="kollega", voided_at__isnull=True).count() == 1
    assert_refused(Client(), old, "Lenken er erstattet av en nyere lenke")


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("nina@fjordvik.example", "nina@fjordvik.example har allerede tilgang til søknaden."),
        ("NINA@Fjordvik.example", "nina@fjordvik.example har allerede tilgang til søknaden."),
        ("kari@", "«kari@» er ikke en gyldig e-postadresse."),
        ("", "«» er ikke en gyldig e-postadresse."),
    ],
)
def test_colleague_invitation_bad_address_is_refused(started, mailoutbox, email, message):
    before = len(mailoutbox), AuditEvent.objects.count()

    response = invite_colleague(started, email)

    assert message in response.content.decode()
    assert (len(mailoutbox), AuditEvent.objects.count()) == before
    assert not AccessLink.objects.filter(kind=AccessLink.Kind.COLLEAGUE).exists()


def test_colleague_link_used_twice_or_elsewhere_is_refused(started, mailoutbox):
    invite_colleague(started)
    path, token = link_in(mailoutbox[-1])
    other = MunicipalityFactory(county=started["municipality"].county)
    intruder = UserFactory()
    browser = Client()
    sign_in(browser, intruder)
    elsewhere = reverse("applications:access_link", args=[started["cohort"].pk, other.pk, token])
    assert_refused(browser, elsewhere, "Lenken er ikke gyldig.")
    assert browser.post(reverse("applications:access")).status_code == 410
    assert not Membership.objects.filter(user=intruder).exists()

    colleague_joins_after_invite(mailoutbox[-1])
    assert_refused(browser, path, "Lenken er allerede brukt.")
    assert not Membership.objects.filter(user=intruder).exists()


def test_colleague_link_token_never_in_audit_or_logs(started, mailoutbox, caplog):
    invite_colleague(started)
    _, token = link_in(mailoutbox[-1])
    colleague_joins_after_invite(mailoutbox[-1])

    for event in AuditEvent.objects.all():
        assert token not in f"{event.object_repr} {event.before} {event.after}"
    assert token not in caplog.text
    assert not AccessLink.objects.filter(token_hash=token).exists()


def test_two_editors_saving_the_same_part_keep_the_stale_revision_protection(started, mailoutbox):
    colleague = colleague_joins(started, mailoutbox)
    contact = started["contact"]
    # Both open the part, each in their own session, and see revision 0.
    for browser in (contact, colleague):
        page = browser.get(section_url(started)).content.decode()
        assert re.search(r'name="revision" value="0"', page)

    assert contact.post(section_url(started), contact_data("Nina", 0)).status_code == 302
    response = colleague.post(section_url(started), contact_data("Kari", 0))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Noen andre har lagret denne delen etter at du åpnet den." in html
    application = Application.objects.get()
    assert application.contact_name == "Nina"
    assert application.revisions["kontakt"] == 1
    assert colleague.post(section_url(started), contact_data("Kari", 1)).status_code == 302
    application.refresh_from_db()
    assert application.contact_name == "Kari"


def test_contact_person_without_designation_leads_as_before(client, db):
    """Accounts made in admin, without a contact person for the cohort: each member leads."""
    from tests.applications.factories import ApplicationFactory
    from tests.factories import municipality_user

    application = ApplicationFactory()
    sign_in(client, municipality_user(application.municipality))
    page = client.get(detail_url(application)).content.decode()
    # The application is not complete: the one who leads is told what stands before sending.
    assert "Søknaden kan sendes inn når alt i listen over er på plass." in page
    assert "som sender den inn." not in page
    assert "Inviter en kollega" in page
