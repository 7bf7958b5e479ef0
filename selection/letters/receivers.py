"""The letters that follow from what happens elsewhere: a submission's receipt letter and a
published cohort's decision letters. Module-level functions, connected in SelectionConfig.ready()."""

from django.db import transaction

from selection.letters.batches import request_receipt_letter
from selection.letters.tasks import queue_decision_letters


def order_receipt_letter(sender, application, **kwargs):
    """A submitted application gets its receipt letter once the submission is committed."""
    transaction.on_commit(lambda: request_receipt_letter(application=application))


def order_decision_letters(sender, publication, actor, **kwargs):
    """A published cohort's decision letters are ordered once the publication is committed."""
    queue_decision_letters(publication=publication, actor=actor)
