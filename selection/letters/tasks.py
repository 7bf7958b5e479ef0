"""The letters' Celery tasks and the helpers that queue them: every letter reaches the broker
through these helpers, which queue on commit and leave a letter waiting, with the reason, when
the broker cannot be reached."""

from datetime import timedelta
from functools import partial

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from laeringsmiljo.audit import record
from laeringsmiljo.models import Cohort
from laeringsmiljo.queue import enqueue_on_commit
from selection.letters import services as letters
from selection.letters.models import LetterKind

# The longest wait before a retry; the broker's visibility timeout is longer (settings).
RETRY_WAIT_MAX = 5 * 60


def _retry_wait(task=None):
    """Seconds before the task's next try (the first, without a task): 5, 10, 20, 40, 80 … up
    to RETRY_WAIT_MAX."""
    return get_exponential_backoff_interval(
        factor=5,
        retries=task.request.retries if task is not None else 0,
        maximum=RETRY_WAIT_MAX,
        full_jitter=False,
    )


@shared_task(name="selection.tasks.generate_letter_task", bind=True, max_retries=5, acks_late=True)
def generate_letter_task(self, letter_id):
    """Make one letter, then send it and see whether its batch is complete. Storage trouble is
    retried with back-off; after the last try the letter is marked failed with the reason."""
    try:
        letter = letters.generate_letter(letter_id=letter_id)
    except OSError as exc:
        if self.request.retries >= self.max_retries:
            letter = letters.mark_failed(
                letter_id=letter_id,
                reason=_("Brevet kunne ikke lagres: %(error)s") % {"error": exc},
            )
        else:
            wait = _retry_wait(self)
            # Not stranded while it waits for its retry.
            letters.note_queued(letter_ids=[letter_id], at=timezone.now() + timedelta(seconds=wait))
            raise self.retry(exc=exc, countdown=wait) from exc
    if letter is None:
        return None  # the letter was deleted before its turn came
    _after_making(letter)
    return letter.status


@shared_task(name="selection.tasks.generate_letters_task", acks_late=True)
def generate_letters_task(letter_ids):
    """Make several letters, reading what they share once, then send each and see whether
    their batches are complete. A letter with storage trouble gets a task of its own, which
    retries it with back-off; the others go on."""
    statuses, batch_ids = [], set()
    for letter_id, letter in letters.generate_letters(letter_ids=letter_ids):
        if isinstance(letter, OSError):
            statuses.append(None)
            _retry_alone(letter_id, letter)
            continue
        if letter is None:
            statuses.append(None)  # deleted before its turn came
            continue
        _after_making(letter, finish=False)
        statuses.append(letter.status)
        if letter.batch_id:
            batch_ids.add(letter.batch_id)
    for batch_id in sorted(batch_ids):
        letters.finish_batch(batch_id=batch_id)
    return statuses


def _retry_alone(letter_id, error):
    wait = _retry_wait()
    letters.note_queued(letter_ids=[letter_id], at=timezone.now() + timedelta(seconds=wait))
    try:
        generate_letter_task.apply_async((letter_id,), countdown=wait)
    except OperationalError as away:  # the broker is gone too: the sweep queues it again
        _not_queued([letter_id], away)


def _after_making(letter, *, finish=True):
    # A receipt follows the receipt e-mail and is downloaded; the other letters are e-mailed.
    # A letter held in the outbox waits for a person to send it.
    if (
        letter.status == letter.Status.GENERATED
        and letter.kind != LetterKind.RECEIPT
        and letter.may_go
    ):
        queue_sending(letter.pk)
    if finish and letter.batch_id:
        letters.finish_batch(batch_id=letter.batch_id)


@shared_task(name="selection.tasks.send_letter_task", bind=True, max_retries=5, acks_late=True)
def send_letter_task(self, letter_id):
    """E-mail one made letter; a failed send is retried with back-off."""
    try:
        letter = letters.send_letter(letter_id=letter_id)
    except OSError as exc:
        raise self.retry(exc=exc, countdown=_retry_wait(self)) from exc
    return letter.send_status if letter is not None else None


@shared_task(name="selection.tasks.send_test_letter_task", bind=True, max_retries=5, acks_late=True)
def send_test_letter_task(self, letter_id, to):
    """E-mail a test of one letter to a person's own address; retried with back-off."""
    try:
        return letters.send_test_letter(letter_id=letter_id, to=to)
    except OSError as exc:
        raise self.retry(exc=exc, countdown=_retry_wait(self)) from exc


@shared_task(
    name="selection.tasks.start_decision_letters_task", bind=True, max_retries=5, acks_late=True
)
def start_decision_letters_task(self, cohort_id, actor_id=None):
    """Order the decision letters of a published cohort; safe to run again."""
    # batches queues its letters through the helpers below: a real cycle, so imported here.
    from selection.letters.batches import start_decision_letters

    cohort = Cohort.objects.get(pk=cohort_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        batch = start_decision_letters(cohort=cohort, actor=actor)
    except OSError as exc:
        raise self.retry(exc=exc, countdown=_retry_wait(self)) from exc
    return batch.pk


@shared_task(name="selection.tasks.requeue_stranded_letters_task")
def requeue_stranded_letters_task():
    """Queue again the letters whose task was lost (run by Celery beat, see
    CELERY_BEAT_SCHEDULE); safe to run at any time and more than once."""
    # batches queues its letters through the helpers below: a real cycle, so imported here.
    from selection.letters.batches import requeue_stranded

    return requeue_stranded()


@shared_task(name="selection.tasks.settle_cohorts_task")
def settle_cohorts_task():
    """The reminders of the answer deadline and the closing letters to the reserves still
    waiting at the formal start (run by Celery beat, see CELERY_BEAT_SCHEDULE); each letter is
    made once however often this runs."""
    # batches queues its letters through the helpers below: a real cycle, so imported here.
    from selection.letters.batches import send_answer_reminders, send_closing_letters

    return {"reminders": send_answer_reminders(), "closing_letters": send_closing_letters()}


@shared_task(name="selection.tasks.email_office_task", bind=True, max_retries=5, acks_late=True)
def email_office_task(self, participation_id, notice):
    """E-mail the office about its place; a failed send is retried with back-off."""
    try:
        return letters.email_office(participation_id=participation_id, notice=notice)
    except OSError as exc:
        raise self.retry(exc=exc, countdown=_retry_wait(self)) from exc


def queue_office_email(*, participation, notice):
    """E-mail the office once the transaction commits; if that cannot be queued, the audit log
    says why."""
    enqueue_on_commit(
        email_office_task,
        participation.pk,
        notice,
        when_away=lambda error: record(
            actor=None,
            action="letters.office_email_not_queued",
            obj=participation.application,
            after={"notice": notice, "reason": _broker_away(error)},
        ),
    )


def _broker_away(error):
    return _("Køen for bakgrunnsjobber kunne ikke nås (%(error)s).") % {"error": error}


def queue_letters(letter_ids):
    """Make the letters in the background once the transaction commits, LETTERS_PER_TASK to
    a task (one alone in its own). A letter that cannot be queued stays waiting with the
    reason, and «Prøv igjen» or the sweep queues it again."""
    letter_ids = list(letter_ids)
    letters.note_queued(letter_ids=letter_ids)
    size = letters.LETTERS_PER_TASK
    for start in range(0, len(letter_ids), size):
        chunk = letter_ids[start : start + size]
        task, argument = (
            (generate_letter_task, chunk[0]) if len(chunk) == 1 else (generate_letters_task, chunk)
        )
        enqueue_on_commit(
            task,
            argument,
            when_away=partial(_not_queued, chunk),
        )


def _not_queued(letter_ids, error):
    for letter_id in letter_ids:
        letters.note_not_queued(
            letter_id=letter_id,
            reason=_("%(reason)s Brevet venter; prøv igjen.") % {"reason": _broker_away(error)},
        )


def queue_sending(letter_id):
    """E-mail a made letter in the background once the transaction commits; if that cannot be
    queued, the sending is marked failed with the reason, to be tried again."""
    letters.note_queued(letter_ids=[letter_id])
    enqueue_on_commit(
        send_letter_task,
        letter_id,
        when_away=lambda error: letters.note_not_sent(
            letter_id=letter_id,
            reason=_("%(reason)s Brevet er ikke sendt; prøv igjen.")
            % {"reason": _broker_away(error)},
        ),
    )


def queue_decision_letters(*, publication, actor):
    """Order the decision letters of a published cohort once the transaction commits; if that
    cannot be queued, the publication's page says why and Udir orders them again there."""
    enqueue_on_commit(
        start_decision_letters_task,
        publication.cohort_id,
        actor.pk if actor is not None else None,
        when_away=lambda error: record(
            actor=None,
            action=letters.DECISIONS_NOT_QUEUED,
            obj=publication,
            after={"reason": _broker_away(error)},
        ),
    )


def queue_test_letter(*, letter, to):
    """E-mail a test of the letter to `to` once the transaction commits; if that cannot be
    queued, the audit log says why."""
    enqueue_on_commit(
        send_test_letter_task,
        letter.pk,
        to,
        when_away=lambda error: record(
            actor=None,
            action="letter.test_not_queued",
            obj=letter,
            after={"to": to, "reason": _broker_away(error)},
        ),
    )
