"""Starting letters in the background: one task per letter, grouped in a batch with a ZIP."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application
from laeringsmiljo.audit import record
from laeringsmiljo.models import Cohort, GovernorOffice
from selection.letters.models import Letter, LetterBatch, LetterKind, OutboxSetting
from selection.letters.services import finish_batch, remember_reasons, request_letter
from selection.letters.tasks import queue_letters, queue_sending
from selection.process import settlement
from selection.process.models import (
    AnswerDeadline,
    Decision,
    Invitation,
    Outcome,
    Participation,
    Publication,
)

DECISION_KINDS = {
    Outcome.SELECTED: LetterKind.DECISION_SELECTED,
    Outcome.RESERVE: LetterKind.DECISION_RESERVE,
    Outcome.NOT_SELECTED: LetterKind.DECISION_NOT_SELECTED,
}


def _signer(actor):
    if actor is None:
        return ""
    return actor.get_full_name() or actor.get_username()


def _email(actor):
    return actor.email if actor is not None else ""


def _dispatch(letters):
    """Queue each letter's task when the transaction commits. A broker that cannot be reached
    leaves the letters waiting, with the reason, to be queued again."""
    queue_letters([letter.pk for letter in letters])


@transaction.atomic
def requeue_waiting(*, batch):
    """Queue again every letter of the batch that is still waiting, for example after the
    broker was away. Making a letter is idempotent, so a letter queued twice is made once."""
    waiting = list(batch.letters.filter(status=Letter.Status.PENDING))
    _dispatch(waiting)
    if not waiting:
        _finish_empty(batch)
    return len(waiting)


@transaction.atomic
def start_invitation_letters(*, cohort, office, actor):
    """A batch with one invitation letter for each invited municipality that has none yet.
    A second click while a batch is running, or when every invited municipality has its
    letter, returns that batch instead of making letters twice."""
    GovernorOffice.objects.select_for_update().filter(pk=office.pk).first()
    running = LetterBatch.objects.filter(
        purpose=LetterBatch.Purpose.INVITATIONS, cohort=cohort, office=office, finished_at=None
    ).first()
    if running is not None:
        return running
    already = Letter.objects.filter(cohort=cohort, kind=LetterKind.INVITATION).values(
        "municipality"
    )
    waiting = Invitation.objects.filter(cohort=cohort, municipality__county__office=office).exclude(
        municipality__in=already
    )
    if not waiting.exists():
        latest = LetterBatch.objects.filter(
            purpose=LetterBatch.Purpose.INVITATIONS, cohort=cohort, office=office
        ).first()
        if latest is not None:
            return latest
    batch = LetterBatch.objects.create(
        purpose=LetterBatch.Purpose.INVITATIONS, cohort=cohort, office=office, created_by=actor
    )
    letters = []
    for invitation in waiting.select_related("municipality__county"):
        letter, _created = request_letter(
            kind=LetterKind.INVITATION,
            cohort=cohort,
            municipality=invitation.municipality,
            reference=f"LMP{cohort.number}-{invitation.municipality.number}",
            batch=batch,
            signer_name=_signer(actor),
            contact_email=_email(actor),
            held=True,
        )
        letters.append(letter)
    _dispatch(letters)
    if not letters:
        _finish_empty(batch)
    return batch


@transaction.atomic
def start_decision_letters(*, cohort, actor):
    """The batch with the decision letter of every decided application of a published cohort:
    one batch per cohort, made once; running it again queues what is still missing."""
    batch, _created = LetterBatch.objects.get_or_create(
        purpose=LetterBatch.Purpose.DECISIONS, cohort=cohort, defaults={"created_by": actor}
    )
    letters = []
    for decision in Decision.objects.filter(
        application__cohort=cohort, application__status=Application.Status.SUBMITTED
    ).select_related("application__municipality__county"):
        application = decision.application
        letter, _created = request_letter(
            kind=DECISION_KINDS[decision.outcome],
            cohort=cohort,
            municipality=application.municipality,
            application=application,
            reference=application.reference,
            batch=batch,
            signer_name=_signer(actor),
            contact_email=_email(actor),
            held=True,
        )
        letters.append(letter)
    remember_reasons(letters, cohort=cohort)
    _dispatch([letter for letter in letters if letter.status == Letter.Status.PENDING])
    if not letters:
        _finish_empty(batch)
    return batch


def request_receipt_letter(*, application):
    """The receipt letter of the application's current submission, made in the background."""
    if application.status != Application.Status.SUBMITTED:
        return None
    letter, created = request_letter(
        kind=LetterKind.RECEIPT,
        cohort=application.cohort,
        municipality=application.municipality,
        application=application,
        reference=application.reference,
    )
    if created:
        _dispatch([letter])
    return letter


def _stranded(cutoff):
    """The letters whose task was queued before the cutoff and which still wait to be made or
    (except receipts, which are not e-mailed, and letters waiting in the outbox) to be
    sent."""
    waiting = Q(status=Letter.Status.PENDING) | (
        Q(status=Letter.Status.GENERATED, send_status=Letter.SendStatus.NOT_SENT)
        & ~Q(kind=LetterKind.RECEIPT)
        # A letter in the outbox waits for a person, not for a task.
        & (Q(held=False) | Q(released_at__isnull=False))
    )
    queued_long_ago = Q(queued_at__lt=cutoff) | Q(queued_at=None, created_at__lt=cutoff)
    # A letter being made holds its row lock until it is stored: its task is alive, skip it.
    return Letter.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        waiting, queued_long_ago
    )


@transaction.atomic
def requeue_stranded(*, now=None):
    """Queue again every letter that has waited longer than LETTER_STRANDED_AFTER seconds since
    its task was queued: the task was lost with a worker that died, or never reached the
    broker. Finish the batches whose last letter was made by a worker that died before it could
    finish the batch. Making and sending are idempotent, so a letter queued twice is made and
    sent once. Returns the number of letters queued again."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.LETTER_STRANDED_AFTER)
    stranded = list(_stranded(cutoff))
    for letter in stranded:
        before = {"status": letter.status, "send_status": letter.send_status}
        if letter.status == Letter.Status.PENDING:
            queue_letters([letter.pk])
        else:
            queue_sending(letter.pk)
        record(
            actor=None,
            action="letter.requeued",
            obj=letter,
            before={**before, "queued_at": letter.queued_at and letter.queued_at.isoformat()},
            after={**before, "queued_at": now.isoformat()},
        )
    unfinished = (
        LetterBatch.objects.filter(finished_at=None, created_at__lt=cutoff)
        .exclude(letters__status=Letter.Status.PENDING)
        .values_list("pk", flat=True)
    )
    for batch_id in unfinished:
        transaction.on_commit(lambda pk=batch_id: finish_batch(batch_id=pk))
    return len(stranded)


def _finish_empty(batch):
    transaction.on_commit(lambda: finish_batch(batch_id=batch.pk))


RETRY_SENDING = (
    Letter.SendStatus.FAILED,
    Letter.SendStatus.NOT_POSSIBLE,
    Letter.SendStatus.NOT_SENT,
)


@transaction.atomic
def retry_letter(*, letter, actor):
    """Try a letter again: a waiting one is queued again, a failed one is made anew, a made one
    whose sending failed is sent again. Returns what was done (a message for the user), or
    None when the letter is already made and sent."""
    locked = Letter.objects.select_for_update().get(pk=letter.pk)
    before = {"status": locked.status, "send_status": locked.send_status}
    if locked.status == Letter.Status.PENDING:
        queue_letters([locked.pk])
        done = _("Brevet er lagt i køen på nytt.")
    elif locked.status == Letter.Status.FAILED:
        locked.status = Letter.Status.PENDING
        locked.failure = ""
        locked.save(update_fields=["status", "failure"])
        if locked.batch_id:
            LetterBatch.objects.filter(pk=locked.batch_id).update(finished_at=None)
        queue_letters([locked.pk])
        done = _("Brevet lages på nytt.")
    elif (
        locked.status == Letter.Status.GENERATED
        and locked.send_status in RETRY_SENDING
        and locked.may_go
    ):
        queue_sending(locked.pk)
        done = _("Brevet sendes på nytt.")
    else:
        return None
    record(
        actor=actor,
        action="letter.retried",
        obj=locked,
        before=before,
        after={"status": locked.status, "send_status": locked.send_status},
    )
    return done


def request_place_letter(*, kind, participation, actor=None):
    """The letter of this kind about a municipality's place (the promotion's decision letter,
    the confirmation that it does not take part, the reminder), made once, in the background."""
    application = participation.application
    letter, created = request_letter(
        kind=kind,
        cohort=application.cohort,
        municipality=application.municipality,
        application=application,
        reference=application.reference,
        signer_name=_signer(actor),
        held=OutboxSetting.holds(kind),
    )
    if created:
        _dispatch([letter])
    return letter, created


@transaction.atomic
def send_answer_reminders(*, now=None):
    """A reminder to every selected municipality that has not answered when its answer
    deadline is REMINDER_DAYS days away or less, once. Run by Celery beat. Returns the number
    of reminders ordered."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ordered = 0
    waiting = (
        Participation.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=Participation.Status.WAITING, reminded_at=None)
        .select_related("place__cohort", "application__municipality__county", "application__cohort")
    )
    deadlines = dict(AnswerDeadline.objects.values_list("cohort_id", "date"))
    for participation in waiting:
        deadline = settlement.answer_deadline(
            participation, deadlines.get(participation.place.cohort_id)
        )
        if deadline is None or not (
            today <= deadline <= today + timedelta(days=settlement.REMINDER_DAYS)
        ):
            continue
        letter, _created = request_place_letter(
            kind=LetterKind.ANSWER_REMINDER, participation=participation
        )
        participation.reminded_at = now
        participation.save(update_fields=["reminded_at"])
        record(
            actor=None,
            action="participation.reminded",
            obj=participation.application,
            after={"answer_by": deadline.isoformat(), "letter": letter.pk},
        )
        ordered += 1
    return ordered


@transaction.atomic
def send_closing_letters(*, now=None):
    """When a published cohort's formal start has come, every reserve still waiting gets the
    letter that the place did not become free, exactly once. Run by Celery beat. Returns the
    number of letters ordered."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ordered = 0
    cohorts = Publication.objects.filter(cohort__start_date__lte=today).values_list(
        "cohort_id", flat=True
    )
    held = OutboxSetting.holds(LetterKind.RESERVE_CLOSED)
    for cohort_id in cohorts:
        # Two beats (or a beat and a retry) take turns per cohort; the letter's unique
        # reference makes each letter once in any case.
        Cohort.objects.select_for_update().filter(pk=cohort_id).first()
        already = Letter.objects.filter(cohort_id=cohort_id, kind=LetterKind.RESERVE_CLOSED).values(
            "application_id"
        )
        reserves = (
            Decision.objects.filter(
                application__cohort_id=cohort_id,
                application__status=Application.Status.SUBMITTED,
                outcome=Outcome.RESERVE,
                application__participation__isnull=True,
            )
            .exclude(application_id__in=already)
            .select_related("application__municipality__county", "application__cohort")
        )
        for decision in reserves:
            application = decision.application
            letter, created = request_letter(
                kind=LetterKind.RESERVE_CLOSED,
                cohort=application.cohort,
                municipality=application.municipality,
                application=application,
                reference=application.reference,
                held=held,
            )
            if not created:
                continue
            _dispatch([letter])
            record(
                actor=None,
                action="reserve.closed",
                obj=application,
                after={
                    "letter": letter.pk,
                    "start_date": application.cohort.start_date.isoformat(),
                },
            )
            ordered += 1
    return ordered
