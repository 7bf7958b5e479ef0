"""Letters whose task was lost with a worker are queued again by the sweep that Celery beat
runs; making and sending stay once each however often a letter is queued."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from laeringsmiljo.celery import app
from laeringsmiljo.models import AuditEvent
from selection.letters import services as letters
from selection.letters.batches import requeue_stranded, start_invitation_letters
from selection.letters.outbox import send_batch
from selection.models import Invitation, Letter, LetterBatch
from tests.factories import MunicipalityFactory, OfficeScheduleFactory

pytestmark = pytest.mark.django_db

STRANDED = timedelta(seconds=settings.LETTER_STRANDED_AFTER)


def _batch_of_invitations(count, django_capture_on_commit_callbacks):
    """A batch whose letters' tasks were queued but never ran (the worker died)."""
    schedule = OfficeScheduleFactory()
    county = MunicipalityFactory().county
    county.office = schedule.office
    county.save()
    for _ in range(count):
        Invitation.objects.create(
            cohort=schedule.cohort, municipality=MunicipalityFactory(county=county)
        )
    with django_capture_on_commit_callbacks(execute=False):  # the tasks are lost
        batch = start_invitation_letters(cohort=schedule.cohort, office=schedule.office, actor=None)
    return batch


def _sweep(at, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return requeue_stranded(now=at)


def test_the_sweep_is_scheduled_by_beat_and_the_broker_gives_back_lost_tasks():
    schedule = app.conf.beat_schedule["requeue-stranded-letters"]
    assert schedule["task"] == "selection.tasks.requeue_stranded_letters_task"
    assert schedule["task"] in app.tasks
    assert schedule["schedule"] == 60
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.broker_transport_options == {"visibility_timeout": 600}


def test_letters_waiting_past_the_threshold_are_made_sent_and_their_batch_finished(
    mailoutbox, django_capture_on_commit_callbacks
):
    batch = _batch_of_invitations(2, django_capture_on_commit_callbacks)
    queued = set(batch.letters.values_list("queued_at", flat=True))
    assert len(queued) == 1 and None not in queued
    assert (
        _sweep(timezone.now() + STRANDED + timedelta(seconds=1), django_capture_on_commit_callbacks)
        == 2
    )
    batch.refresh_from_db()
    # Made, they wait in the outbox for a person: the sweep does not send them.
    assert (
        sorted(batch.letters.values_list("status", "send_status")) == [("laget", "ikke_sendt")] * 2
    )
    assert batch.finished_at is not None
    assert mailoutbox == []
    assert AuditEvent.objects.filter(action="letter.requeued").count() == 2
    assert _sweep(timezone.now() + 3 * STRANDED, django_capture_on_commit_callbacks) == 0
    # «Send alle», and the sending tasks are lost with their worker: the sweep sends them.
    with django_capture_on_commit_callbacks(execute=False):
        assert send_batch(batch=batch, actor=None) == 2
    later = timezone.now() + 4 * STRANDED
    assert _sweep(later, django_capture_on_commit_callbacks) == 2
    assert sorted(batch.letters.values_list("status", "send_status")) == [("laget", "sendt")] * 2
    assert len(mailoutbox) == 2
    # Queued again and done: a later sweep finds nothing, and nothing is sent twice.
    assert _sweep(later + 3 * STRANDED, django_capture_on_commit_callbacks) == 0
    assert len(mailoutbox) == 2


def test_letters_queued_lately_are_left_to_their_tasks(
    mailoutbox, django_capture_on_commit_callbacks
):
    batch = _batch_of_invitations(1, django_capture_on_commit_callbacks)
    assert (
        _sweep(timezone.now() + STRANDED - timedelta(seconds=5), django_capture_on_commit_callbacks)
        == 0
    )
    assert list(batch.letters.values_list("status", flat=True)) == ["venter"]
    assert mailoutbox == []


def test_a_made_letter_whose_sending_was_lost_is_sent_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    batch = _batch_of_invitations(1, django_capture_on_commit_callbacks)
    letter = batch.letters.get()
    letters.generate_letter(letter_id=letter.pk)
    # «Send alle», and the worker died before the letter's sending task reached it.
    with django_capture_on_commit_callbacks(execute=False):
        send_batch(batch=batch, actor=None)
    assert (
        _sweep(timezone.now() + STRANDED + timedelta(seconds=1), django_capture_on_commit_callbacks)
        == 1
    )
    letter.refresh_from_db()
    assert (letter.status, letter.send_status) == ("laget", "sendt")
    assert [message.attachments[0][0] for message in mailoutbox] == [f"{letter.reference}.pdf"]
    batch.refresh_from_db()
    assert batch.finished_at is not None


def test_a_made_receipt_is_not_sent_by_the_sweep(mailoutbox, django_capture_on_commit_callbacks):
    batch = _batch_of_invitations(1, django_capture_on_commit_callbacks)
    letter = batch.letters.get()
    receipt, _created = letters.request_letter(
        kind="receipt", cohort=letter.cohort, municipality=letter.municipality, reference="R-1"
    )
    Letter.objects.filter(pk=receipt.pk).update(status="laget")
    Letter.objects.filter(pk=letter.pk).update(status="feilet")
    assert (
        _sweep(timezone.now() + STRANDED + timedelta(seconds=1), django_capture_on_commit_callbacks)
        == 0
    )
    assert mailoutbox == []


def test_a_batch_whose_worker_died_before_finishing_it_is_finished(
    django_capture_on_commit_callbacks,
):
    batch = _batch_of_invitations(1, django_capture_on_commit_callbacks)
    letter = batch.letters.get()
    letters.generate_letter(letter_id=letter.pk)
    letters.send_letter(letter_id=letter.pk)
    LetterBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - 2 * STRANDED)
    assert _sweep(timezone.now(), django_capture_on_commit_callbacks) == 0
    batch.refresh_from_db()
    assert batch.finished_at is not None
    assert batch.zip_file


def test_a_letter_never_queued_because_the_broker_was_away_is_queued_by_the_sweep(
    django_capture_on_commit_callbacks,
):
    batch = _batch_of_invitations(1, django_capture_on_commit_callbacks)
    Letter.objects.filter(batch=batch).update(queued_at=None)
    assert (
        _sweep(timezone.now() + STRANDED + timedelta(seconds=1), django_capture_on_commit_callbacks)
        == 1
    )
    assert list(batch.letters.values_list("status", flat=True)) == ["laget"]


def test_a_letter_that_brings_its_worker_down_every_time_is_marked_failed(
    django_capture_on_commit_callbacks,
):
    batch = _batch_of_invitations(1, django_capture_on_commit_callbacks)
    letter = batch.letters.get()
    Letter.objects.filter(pk=letter.pk).update(attempts=settings.LETTER_MAX_ATTEMPTS)
    letters.generate_letter(letter_id=letter.pk)
    letter.refresh_from_db()
    assert letter.status == "feilet"
    assert letter.failure == (
        f"Brevet ble ikke ferdig etter {settings.LETTER_MAX_ATTEMPTS} forsøk: arbeideren som "
        "lagde det, stoppet hver gang underveis."
    )
    assert letter.file.name == ""


def test_each_start_of_making_a_letter_is_counted_once_it_is_made_no_more(
    django_capture_on_commit_callbacks,
):
    batch = _batch_of_invitations(1, django_capture_on_commit_callbacks)
    letter = batch.letters.get()
    letters.generate_letter(letter_id=letter.pk)
    letters.generate_letter(letter_id=letter.pk)
    letter.refresh_from_db()
    assert (letter.status, letter.attempts) == ("laget", 1)
