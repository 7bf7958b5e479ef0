"""Starting letters in the background: one task per letter, grouped in a batch with a ZIP."""

from django.db import transaction

from applications.models import Application
from selection.letters import request_letter
from selection.models import Decision, Invitation, LetterBatch, LetterKind, Outcome

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
    from selection.tasks import generate_letter_task

    for letter in letters:
        transaction.on_commit(lambda pk=letter.pk: generate_letter_task.delay(pk))


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
    waiting = Invitation.objects.filter(cohort=cohort, municipality__county__office=office).exclude(
        municipality__letters__cohort=cohort,
        municipality__letters__kind=LetterKind.INVITATION,
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
    """A batch with the decision letter of every decided application of a published cohort."""
    batch = LetterBatch.objects.create(
        purpose=LetterBatch.Purpose.DECISIONS, cohort=cohort, created_by=actor
    )
    letters = []
    for decision in Decision.objects.filter(application__cohort=cohort).select_related(
        "application__municipality__county"
    ):
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
    _dispatch(letters)
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
    from selection.letters import finish_batch

    transaction.on_commit(lambda: finish_batch(batch_id=batch.pk))
