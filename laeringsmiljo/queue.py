"""The one door to the broker: work for a Celery worker is queued when the transaction that
asked for it commits, and a broker that cannot be reached never undoes or breaks what the
request changed. The work then waits, with the reason recorded by whoever asked for it, and
can be queued again."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, when_away):
    """Queue `task(*args)` once the current transaction commits (at once outside one).

    If the broker cannot be reached, `when_away(error)` is called after the commit, to record
    why the work waits; the change that was committed stays.
    """

    def send():
        try:
            task.delay(*args)
        except OperationalError as error:  # what Celery raises when the broker is away
            logger.warning("%s%r kunne ikke legges i køen: %s", task.name, args, error)
            when_away(error)

    transaction.on_commit(send)
