"""Commitments confirmed by link: the contact person names who commits for each party and
sends the requests; each signatory answers through a personal, expiring link without an
account; criterion 6 and the completeness check count only those answers."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications import commitments
from applications.models import Application, Commitment
from applications.sections import units_token
from laeringsmiljo.models import AuditEvent
from tests.applications.factories import complete_application
from tests.applications.filling import commitments_part
from tests.applications.signing import answer, link_in, send_requests
from tests.broker import broker_away
from tests.factories import KindergartenFactory, SchoolFactory, municipality_user, office_user
from tests.signin import sign_in

SIGNATORIES = {
    "ola.eier@kommune.example",
    "ase.eier@kommune.example",
    "per@ppt.example",
    "rita@skole.example",
    "siri@barnehage.example",
}


@pytest.fixture
def draft(db, settings):
    settings.SITE_URL = "http://testserver"
    return complete_application(confirmed=False)


@pytest.fixture
def contact(client, draft):
    sign_in(client, municipality_user(draft.municipality))
    return client


def part_url(application):
    return reverse("applications:section", args=[application.pk, "forpliktelser"])


def requests_by_address(messages):
    return {message.to[0]: message for message in messages}


def test_five_signatories_four_confirm_one_declines_and_is_replaced_then_submit(
    contact, draft, django_capture_on_commit_callbacks
):
    messages = requests_by_address(send_requests(contact, draft))
    assert set(messages) == SIGNATORIES
    for address, message in messages.items():
        if address == "per@ppt.example":
            done = answer(message, confirm=False, comment="Vi har ikke kapasitet i høst.")
            assert "Du svarte" in done.content.decode()
        else:
            done = answer(message)
            assert "Du bekreftet deltakelsen" in done.content.decode()

    # The decline, with its comment, is shown to the contact person ...
    part = contact.get(part_url(draft)).content.decode()
    assert "avslått" in part and "«Vi har ikke kapasitet i høst.»" in part
    detail = contact.get(reverse("applications:detail", args=[draft.pk]))
    problems = [str(problem.message) for problem in detail.context["problems"]]
    assert problems == [
        "PP-tjenesten har svart at de ikke kan delta. «Vi har ikke kapasitet i høst.»"
    ]
    # ... and it can be saved, not sent; the message names what is missing.
    refused = contact.post(
        reverse("applications:submit", args=[draft.pk]), {"bekreftet": "on"}, follow=True
    )
    page = refused.content.decode()
    assert "Søknaden er ikke komplett ennå." in page
    assert "PP-tjenesten har svart at de ikke kan delta." in page
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT
    # ... and to the office, once the municipality asks it for help.
    contact.post(reverse("applications:help", args=[draft.pk]), {"asked": "1"})
    officer = Client()
    sign_in(officer, office_user(draft.municipality.county.office))
    seen = officer.get(reverse("applications:detail", args=[draft.pk])).content.decode()
    assert "«Vi har ikke kapasitet i høst.»" in seen

    # Another leader of PPT is named: the decline is void, and a new request goes out.
    save_part(contact, draft, ppt_leader_name="Pål Ny", ppt_leader_email="pal@ppt.example")
    declined = Commitment.objects.get(email="per@ppt.example")
    assert declined.voided_at is not None
    again = send_requests(contact, draft)
    assert [message.to for message in again] == [["pal@ppt.example"]]
    answer(again[0])

    with django_capture_on_commit_callbacks(execute=True):
        sent = contact.post(reverse("applications:submit", args=[draft.pk]), {"bekreftet": "on"})
    assert sent["Location"] == reverse("applications:receipt", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED
    confirmed = Commitment.objects.filter(voided_at__isnull=True)
    assert confirmed.count() == 5
    assert {c.answer for c in confirmed} == {"bekreftet"}
    for commitment in confirmed:
        assert commitment.answered_at is not None
        assert commitment.name in commitment.text_seen
        assert "forplikter seg til å delta i Læringsmiljøprosjektet" in commitment.text_seen


def part_data(application, **overrides):
    """The commitments part as the page posts it, with what is saved now."""
    application = Application.objects.get(pk=application.pk)
    return {
        "revision": application.revisions.get("forpliktelser", 0),
        "units": units_token(application),
        **commitments_part(application, **overrides),
    }


def save_part(client, application, **overrides):
    response = client.post(part_url(application), part_data(application, **overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_only_confirmations_by_link_count_and_a_new_signatory_voids_the_confirmation(
    contact, draft
):
    messages = requests_by_address(send_requests(contact, draft))
    for message in messages.values():
        answer(message)
    assert (
        commitments.commitment_problems(
            draft,
            list(draft.schools.select_related("school")),
            list(draft.kindergartens.select_related("kindergarten")),
        )
        == []
    )

    save_part(contact, draft, **{"skoleledere-0-leader_name": "Rolf Ny Rektor"})

    detail = contact.get(reverse("applications:detail", args=[draft.pk]))
    messages_now = [str(p.message) for p in detail.context["problems"]]
    school = draft.schools.get().school.name
    assert messages_now == [f"Forespørselen til Lederen ved {school} er ikke sendt."]
    assert AuditEvent.objects.filter(action="commitment.voided").count() == 1
    # The old link of the school's leader no longer opens anything.
    response = answer_refused(messages["rita@skole.example"])
    assert "Svaret kan ikke endres med lenken" in response or "trukket tilbake" in response


def answer_refused(message):
    browser = Client()
    path, _pk, _token = link_in(message)
    browser.get(path)
    response = browser.get(reverse("applications:commitment"))
    assert response.status_code == 410
    body = response.content.decode()
    assert "Ingenting er endret." in body
    return body


def test_removing_a_unit_voids_its_request(contact, draft):
    other = SchoolFactory(municipality=draft.municipality)
    kept = draft.schools.get()
    send_requests(contact, draft)
    response = contact.post(
        reverse("applications:section", args=[draft.pk, "skoler"]),
        {"revision": 0, "schools": [other.pk]},
    )
    assert response.status_code == 302
    assert not Commitment.objects.filter(school_id=kept.pk).exists()
    assert not draft.schools.filter(pk=kept.pk).exists()


def test_status_per_party_and_send_again(contact, draft, django_capture_on_commit_callbacks):
    messages = requests_by_address(send_requests(contact, draft))
    answer(messages["ola.eier@kommune.example"])
    answer(messages["per@ppt.example"], confirm=False)
    Commitment.objects.filter(email="rita@skole.example").update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    rows = {
        row["party"].kind: row["status"] for row in contact.get(part_url(draft)).context["parties"]
    }
    assert rows == {
        "skoleeier": "bekreftet",
        "barnehageeier": "ikke_svart",
        "ppt": "avslatt",
        "skole": "utlopt",
        "barnehage": "ikke_svart",
    }
    page = contact.get(part_url(draft)).content.decode()
    assert "lenken er utløpt" in page and "Send igjen" in page

    expired = Commitment.objects.get(email="rita@skole.example")
    url = reverse("applications:resend_commitment", args=[draft.pk, expired.pk])
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        contact.post(url, {"round": expired.round})
        contact.post(url, {"round": expired.round})  # the double click
    assert len(mail.outbox) == before + 1
    answer_refused(messages["rita@skole.example"])
    assert answer(mail.outbox[-1]).status_code == 200
    assert Commitment.objects.get(pk=expired.pk).answer == "bekreftet"


def test_a_request_the_queue_could_not_take_can_be_sent_again(
    contact, draft, django_capture_on_commit_callbacks
):
    with broker_away(), django_capture_on_commit_callbacks(execute=True):
        contact.post(reverse("applications:request_commitments", args=[draft.pk]))
    assert mail.outbox == []
    waiting = Commitment.objects.get(email="per@ppt.example")
    rows = {
        row["party"].kind: row["status"] for row in contact.get(part_url(draft)).context["parties"]
    }
    assert set(rows.values()) == {"ikke_i_ko"}
    page = contact.get(part_url(draft)).content.decode()
    assert "kunne ikke sendes ennå" in page
    assert "E-posten kunne ikke legges i køen for utsending. Trykk «Send igjen»." in page
    assert reverse("applications:resend_commitment", args=[draft.pk, waiting.pk]) in page

    url = reverse("applications:resend_commitment", args=[draft.pk, waiting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        contact.post(url, {"round": waiting.round})
        contact.post(url, {"round": waiting.round})  # the double click
    assert [message.to for message in mail.outbox] == [["per@ppt.example"]]
    rows = {
        row["party"].kind: row["status"] for row in contact.get(part_url(draft)).context["parties"]
    }
    assert rows["ppt"] == "ikke_svart" and rows["skole"] == "ikke_i_ko"
    assert answer(mail.outbox[0]).status_code == 200


def test_send_requests_twice_sends_once(contact, draft):
    assert len(send_requests(contact, draft)) == 5
    assert send_requests(contact, draft) == []
    assert Commitment.objects.count() == 5


def test_a_party_without_a_valid_email_is_not_asked(contact, draft):
    response = contact.post(
        part_url(draft), part_data(draft, school_owner_email="ola@"), follow=True
    )
    assert "Skriv en gyldig e-postadresse, som navn@kommune.no." in response.content.decode()
    draft.refresh_from_db()
    assert draft.school_owner_email == "ola.eier@kommune.example"
    assert draft.revisions.get("forpliktelser") is None

    save_part(contact, draft, school_owner_email="")
    with_warning = contact.post(
        reverse("applications:request_commitments", args=[draft.pk]), follow=True
    ).content.decode()
    assert "Ikke sendt, fordi navn, stilling eller en gyldig e-post mangler: Skoleeier" in (
        with_warning
    )
    assert not Commitment.objects.filter(kind="skoleeier").exists()


@pytest.mark.parametrize(
    ("spoil", "text"),
    [
        ("tampered", "Lenken er ikke gyldig."),
        ("other_commitment", "Lenken er ikke gyldig."),
        ("expired", "Lenken er utløpt."),
        ("answered", "Du har allerede svart"),
        ("submitted", "Søknaden er allerede sendt inn"),
        ("deadline", "Søknadsfristen er ute"),
    ],
)
def test_a_bad_link_changes_nothing(contact, draft, spoil, text):
    messages = requests_by_address(send_requests(contact, draft))
    message = messages["rita@skole.example"]
    path, pk, token = link_in(message)
    other_pk = Commitment.objects.exclude(pk=pk).first().pk
    if spoil == "tampered":
        path = path.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    elif spoil == "other_commitment":
        path = reverse("applications:commitment_link", args=[other_pk, token])
    elif spoil == "expired":
        Commitment.objects.filter(pk=pk).update(expires_at=timezone.now())
    elif spoil == "answered":
        answer(message)
    elif spoil == "submitted":
        Application.objects.filter(pk=draft.pk).update(status=Application.Status.SUBMITTED)
    elif spoil == "deadline":
        Application.objects.filter(pk=draft.pk).update(
            deadline_override=timezone.localdate() - datetime.timedelta(days=1)
        )
    before = list(Commitment.objects.order_by("pk").values()), AuditEvent.objects.count()

    browser = Client()
    browser.get(path)
    page = browser.get(reverse("applications:commitment"))
    posted = browser.post(reverse("applications:commitment"), {"answer": "bekreftet", "text": "x"})

    assert page.status_code == posted.status_code == 410
    assert text in page.content.decode()
    assert (list(Commitment.objects.order_by("pk").values()), AuditEvent.objects.count()) == before


def test_an_answer_without_a_choice_or_with_an_old_text_stores_nothing(contact, draft):
    message = send_requests(contact, draft)[0]
    browser = Client()
    path, pk, _token = link_in(message)
    browser.get(path)
    page = browser.get(reverse("applications:commitment"))
    digest = page.context["digest"]
    url = reverse("applications:commitment")

    nothing = browser.post(url, {"comment": "Hm", "text": digest})
    assert nothing.status_code == 400
    assert "Velg «Jeg bekrefter» eller «Vi kan ikke delta»." in nothing.content.decode()
    old = browser.post(url, {"answer": "bekreftet", "text": "0" * 64})
    assert old.status_code == 410
    assert "Teksten er endret etter at du åpnet siden." in old.content.decode()
    assert Commitment.objects.get(pk=pk).answer == ""


def test_a_request_in_nynorsk_and_tokens_never_in_audit_or_logs(contact, draft, caplog):
    draft.municipality.written_standard = "nn"
    draft.municipality.save()
    messages = send_requests(contact, draft)
    message = messages[0]
    assert message.subject.startswith("Stadfest deltakinga i Læringsmiljøprosjektet")
    assert "forpliktar seg til å delta" in message.body
    browser = Client()
    path, pk, token = link_in(message)
    browser.get(path)
    page = browser.get(reverse("applications:commitment")).content.decode()
    assert '<html lang="nn">' in page
    assert "Eg stadfestar" in page and "Vi kan ikkje delta" in page
    answer(message, browser=browser)
    assert "forpliktar seg" in Commitment.objects.get(pk=pk).text_seen

    tokens = [link_in(m)[2] for m in messages]
    for event in AuditEvent.objects.all():
        for token in tokens:
            assert token not in f"{event.object_repr} {event.before} {event.after}"
    for token in tokens:
        assert token not in caplog.text
        assert not Commitment.objects.filter(token_hash=token).exists()


def test_one_municipalitys_signatory_link_never_opens_another_application(contact, draft):
    other = complete_application(confirmed=False)
    other_client = Client()
    sign_in(other_client, municipality_user(other.municipality))
    theirs = send_requests(other_client, other)[0]
    _path, their_pk, their_token = link_in(theirs)
    mine = send_requests(contact, draft)[0]
    _path, my_pk, my_token = link_in(mine)

    browser = Client()
    for pk, token in [(their_pk, my_token), (my_pk, their_token)]:
        browser.get(reverse("applications:commitment_link", args=[pk, token]))
        assert browser.get(reverse("applications:commitment")).status_code == 410
    # Nor may the contact person of one send or resend the other's requests.
    assert (
        contact.post(reverse("applications:request_commitments", args=[other.pk])).status_code
        == 404
    )
    assert (
        contact.post(
            reverse("applications:resend_commitment", args=[draft.pk, their_pk]), {"round": 1}
        ).status_code
        == 302
    )
    assert Commitment.objects.get(pk=their_pk).round == 1


@pytest.mark.parametrize("count", [1, 10])
def test_the_commitments_part_takes_the_same_number_of_queries(
    contact, draft, count, django_assert_num_queries
):
    for _ in range(count - 1):
        unit = draft.schools.create(
            school=SchoolFactory(municipality=draft.municipality),
            leader_name="R",
            leader_role="R",
            leader_email="r@skole.example",
        )
        draft.kindergartens.create(
            kindergarten=KindergartenFactory(municipality=draft.municipality, owner_kind="privat"),
            leader_name="S",
            leader_role="S",
            leader_email="s@bhg.example",
            owner_contact_name="E",
            owner_contact_role="E",
            owner_contact_email="e@eier.example",
        ).feeds.add(unit)
    send_requests(contact, draft)
    url = part_url(draft)
    contact.get(url)
    with django_assert_num_queries(QUERIES):
        response = contact.get(url)
    assert response.status_code == 200
    assert len(response.context["parties"]) == 3 + 2 * count + (count - 1)


# With the progress list of the parts (its schools, kindergartens and links, requests,
# attachments): the same for 1 and 10 units.
QUERIES = 15
