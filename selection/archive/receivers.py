"""What the journal takes from what happens elsewhere: a submitted application and a letter
sent. Module-level functions, connected in SelectionConfig.ready()."""

from selection.archive import journal
from selection.archive.tasks import queue_journal_submission


def journal_submission(sender, application, **kwargs):
    """A submitted application is journaled, in the background, once the submission commits."""
    queue_journal_submission(application)


def journal_letter(sender, letter, **kwargs):
    """A letter sent is journaled in the transaction that marks it sent."""
    journal.journal_letter(letter=letter)
