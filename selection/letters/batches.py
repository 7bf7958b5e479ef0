"""Starting letters in the background: one task per letter, grouped in a batch with a ZIP."""

import logging

from django.db import transaction

from applications.models import Application
from selection.letters.models import Letter, LetterBatch, LetterKind
from selection.letters.services import request_letter
from selection.process.models import Decision, Invitation, Outcome

logger = logging.getLogger(__name__)

DECISION_KINDS = {
    Outcome.SELECTED: LetterKind.DECISION_SELECTED,
    Outcome.RESERVE: LetterKind.DECISION_RESERVE,
    Outcome.NOT_SELECTED: LetterKind.DECISION_NOT_SELECTED,
}


def _signer(actor):
    if actor is None:
        return ""
    return actor.get_full_name() or actor.get_username()


def _dispatch(letters):
    """Queue each letter's task when the transaction commits. A broker that cannot be reached
    leaves the letters waiting, to be queued again from the batch page."""
    for letter in letters:
        transaction.on_commit(lambda pk=letter.pk: queue_letter(pk))


def queue_letter(letter_id):
    from selection.letters.tasks import generate_letter_task

    try:
        generate_letter_task.delay(letter_id)
    except Exception:  # kombu raises its own errors when the broker is away
        logger.exception("Brev %s kunne ikke legges i køen", letter_id)
        return False
    return True


def queue_decision_letters(cohort_id, actor_id):
    """Order the decision letters in the background; if the broker is away, Udir can start
    them again from the selection page."""
    from selection.letters.tasks import start_decision_letters_task

    try:
        start_decision_letters_task.delay(cohort_id, actor_id)
    except Exception:
        logger.exception("Vedtaksbrevene for pulje %s kunne ikke legges i køen", cohort_id)
        return False
    return True


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
    from laeringsmiljo.models import GovernorOffice

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
        )
        letters.append(letter)
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


def _finish_empty(batch):
    from selection.letters.services import finish_batch

    transaction.on_commit(lambda: finish_batch(batch_id=batch.pk))
