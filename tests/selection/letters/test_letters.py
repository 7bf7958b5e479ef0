import io
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications import services as application_services
from selection.letters import services as letters
from selection.letters.batches import (
    request_receipt_letter,
    start_decision_letters,
    start_invitation_letters,
)
from selection.letters.outbox import send_batch
from selection.models import Decision, Invitation, Letter, LetterBatch, LetterTemplate
from tests.applications.factories import complete_application
from tests.factories import (
    MunicipalityFactory,
    OfficeScheduleFactory,
    municipality_user,
    office_user,
    udir_user,
)
from tests.signin import sign_in


def _read(letter):
    with letter.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, text


def _invitation(written_standard="nb"):
    municipality = MunicipalityFactory(name="Fjordvik", written_standard=written_standard)
    schedule = OfficeScheduleFactory(office=municipality.county.office)
    Invitation.objects.create(cohort=schedule.cohort, municipality=municipality)
    return schedule.cohort, municipality


def _decided(outcome, written_standard="nb"):
    application = complete_application()
    application.municipality.written_standard = written_standard
    application.municipality.name = "Fjordvik"
    application.municipality.save()
    application = application_services.submit(application=application, actor=None)
    Decision.objects.create(
        application=application, outcome=outcome, reason="Sterk søknad med tydelig plan."
    )
    return application


NB_NN = {"nb": ("Med hilsen", "håndskrevne"), "nn": ("Med helsing", "handskrivne")}


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_an_invitation_letter_is_a_real_tagged_pdf_in_the_written_standard(db, language):
    cohort, municipality = _invitation(language)
    batch = start_invitation_letters(cohort=cohort, office=municipality.county.office, actor=None)
    letter = Letter.objects.get(batch=batch)
    letters.generate_letter(letter_id=letter.pk)
    letter.refresh_from_db()
    reader, text = _read(letter)
    assert letter.status == "laget" and letter.language == language
    assert "Fjordvik kommune" in text
    assert f"LMP{cohort.number}-{municipality.number}" in text
    assert "Side 1 av" in text
    for word in NB_NN[language]:
        assert word in text
    other = "nn" if language == "nb" else "nb"
    assert NB_NN[other][0] not in text
    assert letter.pages == len(reader.pages)
    assert reader.metadata.title == letter.subject
    assert reader.trailer["/Root"]["/Lang"] == language
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    import hashlib

    with letter.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == letter.sha256


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize(
    ("outcome", "kind", "words"),
    [
        ("valgt", "decision_selected", {"nb": "er tatt opp", "nn": "er teken opp"}),
        ("reserve", "decision_reserve", {"nb": "reservelisten", "nn": "reservelista"}),
        (
            "ikke_valgt",
            "decision_not_selected",
            {"nb": "ikke fått plass", "nn": "ikkje fått plass"},
        ),
    ],
)
def test_a_decision_letter_for_each_outcome(
    db, language, outcome, kind, words, django_capture_on_commit_callbacks
):
    application = _decided(outcome, language)
    with django_capture_on_commit_callbacks(execute=True):
        start_decision_letters(cohort=application.cohort, actor=None)
    letter = Letter.objects.get(application=application)
    _, text = _read(letter)
    assert letter.kind == kind
    assert words[language] in text
    assert application.reference in text
    assert "Sterk søknad med tydelig plan." in text
    assert "Utdanningsdirektoratet" in text
    assert NB_NN[language][0] in text


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_a_receipt_letter_lists_what_was_sent(db, language, django_capture_on_commit_callbacks):
    application = complete_application()
    application.municipality.written_standard = language
    application.municipality.save()
    application = application_services.submit(application=application, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        letter = request_receipt_letter(application=application)
    letter.refresh_from_db()
    _, text = _read(letter)
    assert application.reference in text
    assert application.schools.get().school.name in text
    assert {"nb": "Vi har mottatt", "nn": "Vi har motteke"}[language] in text


def test_a_neutral_municipality_gets_the_senders_default(db):
    cohort, municipality = _invitation("noytral")
    office = municipality.county.office
    office.default_written_standard = "nn"
    office.save()
    letter, _ = letters.request_letter(
        kind="invitation", cohort=cohort, municipality=municipality, reference="R-1"
    )
    assert letter.language == "nn"


def test_requesting_or_generating_twice_gives_one_letter(db, django_capture_on_commit_callbacks):
    cohort, municipality = _invitation()
    with django_capture_on_commit_callbacks(execute=True):
        start_invitation_letters(cohort=cohort, office=municipality.county.office, actor=None)
        start_invitation_letters(cohort=cohort, office=municipality.county.office, actor=None)
    letter = Letter.objects.get()
    name = letter.file.name
    letters.generate_letter(letter_id=letter.pk)
    letter.refresh_from_db()
    assert letter.file.name == name
    assert Letter.objects.count() == 1


def test_a_template_that_fails_marks_the_letter_failed_and_the_batch_goes_on(
    db, settings, django_capture_on_commit_callbacks, tmp_path
):
    cohort, municipality = _invitation()
    other = MunicipalityFactory(county=municipality.county, written_standard="nn")
    Invitation.objects.create(cohort=cohort, municipality=other)
    LetterTemplate.objects.filter(kind="invitation", language="nb").update(body="Til {municipality")
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_invitation_letters(
            cohort=cohort, office=municipality.county.office, actor=None
        )
    failed = Letter.objects.get(municipality=municipality)
    made = Letter.objects.get(municipality=other)
    assert failed.status == "feilet"
    assert "Brevmalen kan ikke fylles ut" in failed.failure
    assert not failed.file
    assert made.status == "laget"
    batch.refresh_from_db()
    assert batch.finished_at is not None
    with batch.zip_file.open("rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert names == [f"{other.number}-{other.name}-{made.reference}.pdf"]
    assert list((tmp_path / "private").rglob("*.pdf")) == [tmp_path / "private" / made.file.name]


def test_the_zip_holds_one_pdf_per_letter(db, django_capture_on_commit_callbacks):
    cohort, municipality = _invitation()
    for _ in range(2):
        Invitation.objects.create(
            cohort=cohort, municipality=MunicipalityFactory(county=municipality.county)
        )
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_invitation_letters(
            cohort=cohort, office=municipality.county.office, actor=None
        )
    batch.refresh_from_db()
    with batch.zip_file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
        names = archive.namelist()
        assert all(archive.read(name).startswith(b"%PDF-") for name in names)
    assert len(names) == 3 == Letter.objects.filter(batch=batch).count()


def test_the_letter_is_emailed_with_its_pdf(db, mailoutbox, django_capture_on_commit_callbacks):
    application = _decided("valgt")
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_decision_letters(cohort=application.cohort, actor=None)
    assert Letter.objects.get().send_status == "ikke_sendt"
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        send_batch(batch=batch, actor=udir_user())
    letter = Letter.objects.get()
    assert letter.send_status == "sendt" and letter.sent_at is not None
    mail = mailoutbox[-1]
    assert mail.to == [application.municipality.email]
    assert mail.cc == [application.municipality.county.office.email]
    name, content, mimetype = mail.attachments[0]
    assert (name, mimetype) == (f"{letter.reference}.pdf", "application/pdf")
    assert content.startswith(b"%PDF-")


def test_a_municipality_without_email_gets_its_letter_made_but_not_sent(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    cohort, municipality = _invitation()
    municipality.email = ""
    municipality.save()
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_invitation_letters(
            cohort=cohort, office=municipality.county.office, actor=None
        )
    with django_capture_on_commit_callbacks(execute=True):
        send_batch(batch=batch, actor=None)
    letter = Letter.objects.get()
    assert letter.status == "laget"
    assert letter.send_status == "umulig"
    assert letter.send_error == "Kommunen har ingen e-postadresse i registeret."
    assert mailoutbox == []


def test_a_failed_send_is_recorded_and_can_be_retried(db, settings, mailoutbox):
    cohort, municipality = _invitation()
    letter, _ = letters.request_letter(
        kind="invitation", cohort=cohort, municipality=municipality, reference="R-1"
    )
    letters.generate_letter(letter_id=letter.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with pytest.raises(OSError):
        letters.send_letter(letter_id=letter.pk)
    letter.refresh_from_db()
    assert letter.send_status == "feilet" and letter.send_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    letters.send_letter(letter_id=letter.pk)
    letter.refresh_from_db()
    assert letter.send_status == "sendt"
    assert len(mailoutbox) == 1


def test_storage_trouble_is_retried_then_marked_failed_and_can_be_tried_again(
    client, db, settings, tmp_path, django_capture_on_commit_callbacks
):
    from celery.exceptions import Retry

    from selection.tasks import generate_letter_task

    cohort, municipality = _invitation()
    letter, _ = letters.request_letter(
        kind="invitation", cohort=cohort, municipality=municipality, reference="R-1"
    )
    not_a_folder = tmp_path / "fil"
    not_a_folder.write_text("")
    settings.MEDIA_ROOT = not_a_folder  # every save fails with an OSError
    with pytest.raises(Retry):
        generate_letter_task.apply(args=[letter.pk], throw=True)
    assert Letter.objects.get(pk=letter.pk).status == "venter"
    # The last of its retries gives up and says why.
    result = generate_letter_task.apply(args=[letter.pk], retries=generate_letter_task.max_retries)
    assert result.get() == "feilet"
    letter.refresh_from_db()
    assert letter.status == "feilet"
    assert letter.failure.startswith("Brevet kunne ikke lagres:")
    settings.MEDIA_ROOT = tmp_path / "private"
    sign_in(client, office_user(municipality.county.office))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("selection:retry", args=[letter.pk]))
    letter.refresh_from_db()
    assert letter.status == "laget"


@pytest.mark.parametrize(
    ("who", "status"), [("own", 200), ("other", 404), ("office", 200), ("udir", 200)]
)
def test_who_may_download_a_letter(client, db, who, status):
    cohort, municipality = _invitation()
    letter, _ = letters.request_letter(
        kind="invitation", cohort=cohort, municipality=municipality, reference="R-1"
    )
    letters.generate_letter(letter_id=letter.pk)
    users = {
        "own": lambda: municipality_user(municipality),
        "other": lambda: municipality_user(MunicipalityFactory()),
        "office": lambda: office_user(municipality.county.office),
        "udir": udir_user,
    }
    sign_in(client, users[who]())
    response = client.get(reverse("selection:letter", args=[letter.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_second_click_on_generate_makes_no_duplicates(
    client, db, django_capture_on_commit_callbacks
):
    cohort, municipality = _invitation()
    sign_in(client, office_user(municipality.county.office))
    url = reverse("selection:start_invitations", args=[cohort.pk, municipality.county.office.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)
    assert Letter.objects.count() == 1
    assert LetterBatch.objects.count() == 1
    progress = client.get(
        reverse("selection:batch", args=[LetterBatch.objects.first().pk]),
        HTTP_ACCEPT="application/json",
    ).json()
    assert progress == {
        "total": 1,
        "generated": 1,
        "failed": 0,
        "pending": 0,
        "ready": 1,
        "sending": 0,
        "sent": 0,
        "done": 1,
        "finished": True,
    }


def test_an_unknown_placeholder_in_admin_is_refused_by_name(client, db):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("rot", "rot@test.example", "x")
    sign_in(client, admin)
    template = LetterTemplate.objects.get(kind="invitation", language="nb")
    response = client.post(
        reverse("admin:selection_lettertemplate_change", args=[template.pk]),
        {"kind": "invitation", "language": "nb", "subject": "Til {kommune}", "body": template.body},
    )
    assert response.status_code == 200
    assert "Ukjent plassholder {kommune}." in response.content.decode()
    template.refresh_from_db()
    assert template.subject != "Til {kommune}"


def test_a_task_for_a_deleted_letter_does_nothing(db):
    from selection.tasks import generate_letter_task, send_letter_task

    assert generate_letter_task.apply(args=[987654]).get() is None
    assert send_letter_task.apply(args=[987654]).get() is None


def test_the_admin_previews_a_letter_for_a_chosen_municipality(client, db):
    from django.contrib.auth import get_user_model

    cohort, municipality = _invitation()
    sign_in(client, get_user_model().objects.create_superuser("rot", "rot@test.example", "x"))
    template = LetterTemplate.objects.get(kind="invitation", language="nn")
    url = reverse("admin:selection_lettertemplate_preview", args=[template.pk])
    chooser = client.get(url)
    assert chooser.status_code == 200
    assert f"{cohort.name}: {municipality.number} {municipality.name}" in chooser.content.decode()
    [(key, _label)] = chooser.context["cases"]
    preview = client.get(url, {"sak": key}).content.decode()
    assert "Fjordvik kommune" in preview
    assert "Med helsing" in preview
    assert '<html lang="nn">' in preview
    # A case that is not one of the kind's gets the chooser again, with a message.
    for spoiled in ["s" + key[1:], "i999999", "x", "i"]:
        again = client.get(url, {"sak": spoiled})
        assert again.status_code == 200
        assert "Saken finnes ikke, eller den har ikke det denne brevtypen bygger på." in (
            again.content.decode()
        )


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("receipt", "Vi har mottatt søknaden"),
        ("decision_selected", "Klagerett"),
        ("decision_reserve", "reserve"),
        ("decision_not_selected", "Klagerett"),
        ("decision_promoted", "reservelisten"),
        ("answer_reminder", "svar"),
        ("withdrawal", "takket nei"),
        ("reserve_closed", "ikke ledig"),
    ],
)
def test_the_admin_previews_every_kind_for_a_case_that_has_what_it_needs(
    client, db, kind, expected
):
    from django.contrib.auth import get_user_model

    from selection.models import Participation
    from selection.process import settlement
    from tests.selection.process.helpers import published_cohort

    sign_in(client, get_user_model().objects.create_superuser("rot", "rot@test.example", "x"))
    template = LetterTemplate.objects.get(kind=kind, language="nb")
    url = reverse("admin:selection_lettertemplate_preview", args=[template.pk])
    empty = client.get(url).content.decode()
    assert "så det er ingenting å forhåndsvise med" in empty

    selected, reserve, _third = published_cohort(3)
    settlement.decline(
        participation=Participation.objects.get(application=selected), reason="Nei.", actor=None
    )
    settlement.promote(
        place=Participation.objects.get(application=selected).place,
        application=reserve,
        actor=None,
    )
    chooser = client.get(url)
    cases = dict(chooser.context["cases"])
    assert cases
    key = next(iter(cases))
    preview = client.get(url, {"sak": key})
    assert preview.status_code == 200, preview.content.decode()[:2000]
    assert expected in " ".join(preview.content.decode().split())


@pytest.mark.parametrize(
    ("who", "status"),
    [("office", 200), ("other_office", 404), ("udir", 200), ("municipality", 403)],
)
def test_who_sees_a_batch_and_its_zip(client, db, who, status, django_capture_on_commit_callbacks):
    from tests.factories import GovernorOfficeFactory

    cohort, municipality = _invitation()
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_invitation_letters(
            cohort=cohort, office=municipality.county.office, actor=None
        )
    users = {
        "office": lambda: office_user(municipality.county.office),
        "other_office": lambda: office_user(GovernorOfficeFactory()),
        "udir": udir_user,
        "municipality": lambda: municipality_user(municipality),
    }
    sign_in(client, users[who]())
    assert client.get(reverse("selection:batch", args=[batch.pk])).status_code == status
    assert client.get(reverse("selection:batch_zip", args=[batch.pk])).status_code == status


def test_a_municipality_cannot_start_letters_or_list_them(client, db):
    cohort, municipality = _invitation()
    sign_in(client, municipality_user(municipality))
    assert client.get(reverse("selection:letters", args=[cohort.pk])).status_code == 403
    response = client.post(
        reverse("selection:start_invitations", args=[cohort.pk, municipality.county.office.pk])
    )
    assert response.status_code == 404
    assert not Letter.objects.exists()


def test_an_invitation_letter_in_another_cohort_does_not_hide_this_cohorts(
    db, django_capture_on_commit_callbacks
):
    cohort, municipality = _invitation()
    later = OfficeScheduleFactory(office=municipality.county.office).cohort
    Invitation.objects.create(cohort=later, municipality=municipality)
    with django_capture_on_commit_callbacks(execute=True):
        start_invitation_letters(cohort=cohort, office=municipality.county.office, actor=None)
        letters.request_letter(
            kind="receipt", cohort=later, municipality=municipality, reference="R-9"
        )
        batch = start_invitation_letters(
            cohort=later, office=municipality.county.office, actor=None
        )
    assert list(batch.letters.values_list("municipality", flat=True)) == [municipality.pk]


def test_waiting_letters_can_be_queued_again(client, db, django_capture_on_commit_callbacks):
    cohort, municipality = _invitation()
    batch = LetterBatch.objects.create(
        purpose="invitations", cohort=cohort, office=municipality.county.office
    )
    letter, _ = letters.request_letter(
        kind="invitation", cohort=cohort, municipality=municipality, reference="R-1", batch=batch
    )
    sign_in(client, office_user(municipality.county.office))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("selection:requeue", args=[batch.pk]))
    letter.refresh_from_db()
    batch.refresh_from_db()
    assert letter.status == "laget"
    assert batch.finished_at is not None


def test_udir_can_order_missing_decision_letters_once_published(
    client, db, django_capture_on_commit_callbacks
):
    from selection.models import Publication

    application = _decided("valgt")
    sign_in(client, udir_user())
    url = reverse("selection:start_decisions", args=[application.cohort.pk])
    refused = client.post(url, follow=True)
    assert "først lages når utvalget er publisert" in refused.content.decode()
    Publication.objects.create(cohort=application.cohort)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)
    assert Letter.objects.filter(application=application).count() == 1
    assert LetterBatch.objects.filter(purpose="decisions").count() == 1
