"""The letters that follow from what happens elsewhere: a submission's receipt letter, a
published cohort's decision letters, and the letters about a place after publication. Module-level functions, connected in SelectionConfig.ready()."""

from django.db import transaction

from selection.letters.batches import request_place_letter, request_receipt_letter
from selection.letters.models import LetterKind
from selection.letters.tasks import queue_decision_letters, queue_office_email


def order_receipt_letter(sender, application, **kwargs):
    """A submitted application gets its receipt letter once the submission is committed."""
    transaction.on_commit(lambda: request_receipt_letter(application=application))


def order_decision_letters(sender, publication, actor, **kwargs):
    """A published cohort's decision letters are ordered once the publication is committed."""
    queue_decision_letters(publication=publication, actor=actor)


def confirm_leaving(sender, participation, actor, **kwargs):
    """A municipality that left its place gets the confirmation, and the office an e-mail."""
    request_place_letter(kind=LetterKind.WITHDRAWAL, participation=participation, actor=actor)
    queue_office_email(participation=participation, notice="freed")


def order_promotion_letter(sender, participation, actor, **kwargs):
    """A reserve taken into a free place gets its decision letter, and the office an e-mail."""
    request_place_letter(
        kind=LetterKind.DECISION_PROMOTED, participation=participation, actor=actor
    )
    queue_office_email(participation=participation, notice="promoted")
