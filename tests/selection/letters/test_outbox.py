"""The outbox: a batch waits at «Klar til utsending» until a person presses «Send alle»; it is
checked with samples and a test to one's own address, made again after a template fix (the old
version kept), and a letter already sent is replaced, never made again."""

import datetime
import hashlib
import io
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from laeringsmiljo.models import AuditEvent
from laeringsmiljo.workdays import appeal_deadline
from selection.letters import services as letters
from selection.letters.batches import start_invitation_letters
from selection.letters.outbox import OutboxRefused, remake_batch, send_batch
from selection.models import (
    Invitation,
    Letter,
    LetterBatch,
    LetterTemplate,
    LetterVersion,
    OutboxSetting,
    Participation,
)
from selection.process import settlement
from tests.factories import (
    MunicipalityFactory,
    OfficeScheduleFactory,
    municipality_user,
    office_user,
    udir_user,
)
from tests.selection.letters.test_decision_letter import _decided_letters, _long_date
from tests.selection.process.helpers import published_cohort
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


def _text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _file_text(letter):
    with letter.file.open("rb") as handle:
        return _text(handle.read())


def _office_with(count, *, languages=("nb",)):
    """An office with `count` invited municipalities, in turn of the given målformer."""
    schedule = OfficeScheduleFactory()
    county = MunicipalityFactory().county
    county.office = schedule.office
    county.save()
    for index in range(count):
        Invitation.objects.create(
            cohort=schedule.cohort,
            municipality=MunicipalityFactory(
                county=county, written_standard=languages[index % len(languages)]
            ),
        )
    return schedule.cohort, schedule.office


def _made_batch(count, capture, **kwargs):
    cohort, office = _office_with(count, **kwargs)
    user = office_user(office, first_name="Siri", last_name="Saksbehandler")
    with capture(execute=True):
        batch = start_invitation_letters(cohort=cohort, office=office, actor=user)
    batch.refresh_from_db()
    return batch, user


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_made_batch_waits_at_klar_til_utsending_until_send_alle(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    batch, user = _made_batch(2, django_capture_on_commit_callbacks, languages=("nb", "nn"))
    assert mailoutbox == []
    sign_in(client, user)
    page = client.get(reverse("selection:batch", args=[batch.pk])).content.decode()
    assert "<strong>Klar til utsending.</strong>" in page
    assert '<dt class="col-sm-3">Klar til utsending</dt><dd class="col-sm-9">2</dd>' in page
    assert '<dt class="col-sm-3">Sendt</dt><dd class="col-sm-9">0</dd>' in page
    # One sample per kind and målform, each to open and to test.
    nb, nn = (Letter.objects.get(batch=batch, language=language) for language in ("nb", "nn"))
    for letter in (nb, nn):
        assert reverse("selection:letter", args=[letter.pk]) in page
        assert reverse("selection:letter_test", args=[letter.pk]) in page
    assert "Send alle (2 brev)" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("selection:batch_send", args=[batch.pk]))
    assert _messages(response) == ["2 brev sendes nå."]
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [nb.municipality.email, nn.municipality.email]
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("selection:batch_send", args=[batch.pk]))
    assert _messages(again)[-1] == "Ingen brev i bunken venter på å bli sendt."
    assert len(mailoutbox) == 2
    event = AuditEvent.objects.get(action="letters.batch_sent")
    assert (event.actor, sorted(event.after["letters"])) == (user, sorted([nb.pk, nn.pk]))
    page = client.get(reverse("selection:batch", args=[batch.pk])).content.decode()
    assert "<strong>Sendt.</strong>" in page
    assert '<dt class="col-sm-3">Sendt</dt><dd class="col-sm-9">2</dd>' in page


def test_a_test_goes_to_my_own_address_and_the_letter_is_not_counted_as_sent(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    batch, user = _made_batch(1, django_capture_on_commit_callbacks)
    letter = batch.letters.get()
    sign_in(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("selection:letter_test", args=[letter.pk]))
    assert _messages(response) == [f"En test av brevet sendes til {user.email}."]
    [message] = mailoutbox
    assert (message.to, message.subject) == ([user.email], f"Test: {letter.subject}")
    assert message.body.startswith("Dette er en test. Brevet er ikke sendt til ")
    assert message.attachments[0][1].startswith(b"%PDF-")
    letter.refresh_from_db()
    assert (letter.send_status, letter.sent_at, letter.released_at) == ("ikke_sendt", None, None)
    event = AuditEvent.objects.get(action="letter.test_sent")
    assert (event.actor, event.after) == (user, {"to": user.email})


def test_a_test_without_an_address_of_my_own_is_refused(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    batch, user = _made_batch(1, django_capture_on_commit_callbacks)
    user.email = ""
    user.save()
    sign_in(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("selection:letter_test", args=[batch.letters.get().pk]))
    assert _messages(response) == [
        "Du har ingen e-postadresse registrert, så testen kan ikke sendes til deg."
    ]
    assert mailoutbox == []
    assert not AuditEvent.objects.filter(action="letter.test_sent").exists()


def test_lag_paa_nytt_makes_the_batch_again_and_keeps_the_old_version(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    LetterTemplate.objects.filter(kind="invitation").update(body="Feil tekst til {municipality}.")
    batch, user = _made_batch(2, django_capture_on_commit_callbacks)
    before = {letter.pk: letter for letter in batch.letters.all()}
    assert all("Feil tekst til" in _file_text(letter) for letter in before.values())
    LetterTemplate.objects.filter(kind="invitation").update(body="Rett tekst til {municipality}.")
    sign_in(client, user)
    url = reverse("selection:batch_remake", args=[batch.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"revisjon": "0"})
        # The same page's button pressed once more: nothing is made a third time.
        twice = client.post(url, {"revisjon": "0"})
    assert _messages(response) == ["2 brev lages på nytt."]
    assert _messages(twice)[-1] == "Brevene er allerede laget på nytt."
    batch.refresh_from_db()
    assert batch.revision == 1 and batch.finished_at is not None
    for letter in batch.letters.all():
        assert letter.status == "laget"
        assert "Rett tekst til" in _file_text(letter)
        [version] = letter.versions.all()
        old = before[letter.pk]
        assert (version.sha256, version.file.name, version.dated) == (
            old.sha256,
            old.file.name,
            old.dated,
        )
        assert (version.reason, version.replaced_by) == ("laget_paa_nytt", user)
        with version.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == version.sha256
        assert letter.sha256 != version.sha256
    assert mailoutbox == []
    history = client.get(reverse("selection:letter_history", args=[letter.pk])).content.decode()
    assert version.sha256 in history
    assert "Siri Saksbehandler" in history
    response = client.get(reverse("selection:letter_version", args=[version.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="letters.batch_remade").count() == 1


def test_lag_paa_nytt_with_a_stale_or_empty_revision_changes_nothing(
    client, django_capture_on_commit_callbacks
):
    batch, user = _made_batch(1, django_capture_on_commit_callbacks)
    sign_in(client, user)
    response = client.post(reverse("selection:batch_remake", args=[batch.pk]), {"revisjon": "x"})
    assert _messages(response) == ["Siden var for gammel. Last den inn på nytt og prøv igjen."]
    assert not LetterVersion.objects.exists()
    assert batch.letters.get().status == "laget"


def test_lag_paa_nytt_on_sent_letters_is_refused_and_a_replacement_says_so(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    batch, user = _made_batch(1, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        send_batch(batch=batch, actor=user)
    sent = batch.letters.select_related("municipality").get()
    sign_in(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("selection:batch_remake", args=[batch.pk]), {"revisjon": "0"}
        )
    name = f"{sent.municipality.number} {sent.municipality.name}"
    assert _messages(response) == [
        f"1 brev er allerede sendt ({name}) og lages ikke på nytt. Lag et erstatningsbrev for "
        "det i stedet."
    ]
    sent.refresh_from_db()
    assert (sent.status, sent.send_status) == ("laget", "sendt")
    assert not LetterVersion.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("selection:letter_replace", args=[sent.pk]))
        client.post(reverse("selection:letter_replace", args=[sent.pk]))
    replacement = Letter.objects.get(replaces=sent)
    assert replacement.status == "laget" and replacement.waits_in_outbox
    day = letters._date(timezone.localdate(sent.sent_at))
    assert replacement.subject == f"Erstatter brevet av {day}: {sent.subject}"
    assert (
        f"Dette brevet erstatter brevet «{sent.subject}» som ble sendt {day}. Se bort fra det "
        "forrige brevet." in _file_text(replacement)
    )
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_batch(batch=batch, actor=user) == 1
    assert [m.subject for m in mailoutbox] == [sent.subject, replacement.subject]
    # The batch's ZIP holds what is valid: the replacement, not the letter it replaces.
    batch.refresh_from_db()
    with batch.zip_file.open("rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert names == [
        f"{sent.municipality.number}-{sent.municipality.name}-{sent.reference}-erstatning-"
        f"{replacement.pk}.pdf"
    ]


def test_a_replacement_of_a_letter_not_sent_is_refused(db, django_capture_on_commit_callbacks):
    from selection.letters.outbox import request_replacement

    batch, user = _made_batch(1, django_capture_on_commit_callbacks)
    with pytest.raises(OutboxRefused) as refused:
        request_replacement(letter=batch.letters.get(), actor=user)
    assert str(refused.value) == (
        "Bare et brev som er sendt, erstattes. Dette brevet kan lages på nytt i stedet."
    )
    assert Letter.objects.count() == 1


def _with_a_failure(capture):
    LetterTemplate.objects.filter(kind="invitation", language="nn").update(body="Til {municipality")
    return _made_batch(3, capture, languages=("nb", "nn", "nb"))


def test_send_alle_with_failed_letters_is_refused_until_confirmed_naming_them(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    batch, user = _with_a_failure(django_capture_on_commit_callbacks)
    failed = batch.letters.select_related("municipality").get(status="feilet")
    name = f"{failed.municipality.number} {failed.municipality.name}"
    sign_in(client, user)
    page = client.get(reverse("selection:batch", args=[batch.pk])).content.decode()
    assert f'name="uten" value="{failed.pk}"' in page
    url = reverse("selection:batch_send", args=[batch.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert _messages(response) == [
        f"1 brev kunne ikke lages: {name}. Prøv det igjen, eller bekreft at de andre brevene "
        "skal sendes uten det."
    ]
    assert mailoutbox == []
    assert not Letter.objects.exclude(released_at=None).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"uten": [str(failed.pk)]})
    assert _messages(response)[-1] == "2 brev sendes nå."
    assert len(mailoutbox) == 2
    event = AuditEvent.objects.get(action="letters.batch_sent")
    assert (event.after["without"], event.after["without_names"]) == ([failed.pk], name)


def test_send_alle_while_letters_are_being_made_is_refused(db, django_capture_on_commit_callbacks):
    cohort, office = _office_with(1)
    with django_capture_on_commit_callbacks(execute=False):
        batch = start_invitation_letters(cohort=cohort, office=office, actor=None)
    with pytest.raises(OutboxRefused) as refused:
        send_batch(batch=batch, actor=None)
    assert str(refused.value) == "Brevene lages fortsatt. Vent til alle er ferdige."
    with pytest.raises(OutboxRefused):
        remake_batch(batch=batch, actor=None, revision=0)
    assert batch.letters.get().status == "venter"


@pytest.mark.parametrize(
    ("who", "status"), [("own office", 302), ("other office", 404), ("udir", 403)]
)
def test_the_office_sends_its_own_invitations(
    client, who, status, mailoutbox, django_capture_on_commit_callbacks
):
    batch, user = _made_batch(1, django_capture_on_commit_callbacks)
    sign_in(client, {"own office": user, "other office": office_user(), "udir": udir_user()}[who])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("selection:batch_send", args=[batch.pk]))
        remade = client.post(reverse("selection:batch_remake", args=[batch.pk]), {"revisjon": "0"})
    assert (response.status_code, remade.status_code) == (status, status)
    assert len(mailoutbox) == (1 if status == 302 else 0)


@pytest.mark.parametrize(("who", "status"), [("udir", 302), ("office", 404)])
def test_udir_sends_the_decision_letters(
    client, who, status, mailoutbox, django_capture_on_commit_callbacks
):
    made = _decided_letters(
        "nb", django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    letter = made["valgt"]
    office = letter.municipality.county.office
    sign_in(client, udir_user() if who == "udir" else office_user(office))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("selection:batch_send", args=[letter.batch_id]))
    assert response.status_code == status
    assert len(mailoutbox) == (3 if status == 302 else 0)


def test_a_decision_letter_sent_on_a_later_day_is_made_anew_with_the_date_it_is_sent(
    mailoutbox, django_capture_on_commit_callbacks
):
    made_on = timezone.localdate() - datetime.timedelta(days=9)
    made = _decided_letters(
        "nb", dated=made_on, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    letter = made["valgt"]
    old = (letter.sha256, letter.file.name)
    assert _long_date(appeal_deadline(made_on), "nb") in _file_text(letter)
    with django_capture_on_commit_callbacks(execute=True):
        send_batch(batch=letter.batch, actor=udir_user())
    letter.refresh_from_db()
    today = timezone.localdate()
    assert letter.dated == today
    text = _file_text(letter)
    assert _long_date(appeal_deadline(today), "nb") in text
    assert _long_date(appeal_deadline(made_on), "nb") not in text
    [version] = letter.versions.all()
    assert (version.reason, version.dated, version.sha256, version.file.name) == (
        "ny_dato",
        made_on,
        *old,
    )
    [message] = [m for m in mailoutbox if m.to == [letter.municipality.email]]
    assert hashlib.sha256(message.attachments[0][1]).hexdigest() == letter.sha256
    event = AuditEvent.objects.get(action="letter.redated", object_id=str(letter.pk))
    assert event.before == {"dated": made_on.isoformat(), "sha256": old[0]}


def test_a_single_letter_goes_straight_out_unless_its_kind_is_held(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    OutboxSetting.objects.create(kind="withdrawal", held=True)
    selected, _reserve, _third = published_cohort(3)
    participation = Participation.objects.get(application=selected)
    with django_capture_on_commit_callbacks(execute=True):
        settlement.decline(participation=participation, reason="Nei.", actor=None)
    letter = Letter.objects.get(kind="withdrawal")
    assert letter.waits_in_outbox
    assert [m for m in mailoutbox if m.to == [letter.municipality.email]] == []
    office = letter.municipality.county.office
    sign_in(client, office_user(office))
    assert client.post(reverse("selection:letter_send", args=[letter.pk])).status_code == 403
    udir = udir_user()
    sign_in(client, udir)
    page = client.get(reverse("selection:letters", args=[letter.cohort_id])).content.decode()
    assert reverse("selection:letter_send", args=[letter.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("selection:letter_send", args=[letter.pk]))
        client.post(reverse("selection:letter_send", args=[letter.pk]))
    assert _messages(response) == ["Brevet sendes nå."]
    assert len([m for m in mailoutbox if m.to == [letter.municipality.email]]) == 1
    letter.refresh_from_db()
    assert (letter.send_status, letter.released_by) == ("sendt", udir)
    # Not held: the promotion letter goes out as soon as it is made.
    place = participation.place
    with django_capture_on_commit_callbacks(execute=True):
        settlement.promote(place=place, application=_reserve, actor=None)
    promoted = Letter.objects.get(kind="decision_promoted")
    assert (promoted.held, promoted.send_status) == (False, "sendt")


def _letters_in_batch(count):
    """A batch of `count` letters marked made, without making their PDFs (for query counts)."""
    cohort, office = _office_with(count)
    batch = LetterBatch.objects.create(purpose="invitations", cohort=cohort, office=office)
    Letter.objects.bulk_create(
        Letter(
            kind="invitation",
            cohort=cohort,
            municipality=invitation.municipality,
            reference=f"R-{invitation.municipality.number}",
            batch=batch,
            language=("nb", "nn")[index % 2],
            status="laget" if index % 5 else "feilet",
            failure="" if index % 5 else "Brevmalen kan ikke fylles ut.",
            held=True,
            pages=1,
        )
        for index, invitation in enumerate(Invitation.objects.filter(cohort=cohort))
    )
    LetterBatch.objects.filter(pk=batch.pk).update(finished_at=timezone.now())
    return batch, office


# The batch page: the session, the user and roles, the batch, its counts, its samples (two), its
# letters with their versions and replacements, whatever the number of letters.
BATCH_PAGE_QUERIES = 8


@pytest.mark.parametrize("count", [2, 50])
def test_the_batch_page_takes_the_same_number_of_queries_for_2_and_50_letters(
    client, count, django_assert_num_queries
):
    batch, office = _letters_in_batch(count)
    sign_in(client, office_user(office))
    with django_assert_num_queries(BATCH_PAGE_QUERIES):
        response = client.get(reverse("selection:batch", args=[batch.pk]))
    page = response.content.decode()
    assert page.count("<tr>") == count + 1
    assert page.count('name="uten"') == len(range(0, count, 5))


def test_the_municipality_sees_its_letter_only_once_it_is_sent(
    client, django_capture_on_commit_callbacks
):
    batch, user = _made_batch(1, django_capture_on_commit_callbacks)
    letter = batch.letters.select_related("municipality").get()
    sign_in(client, municipality_user(letter.municipality))
    url = reverse("selection:letter", args=[letter.pk])
    assert client.get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        send_batch(batch=batch, actor=user)
    assert client.get(url).status_code == 200
