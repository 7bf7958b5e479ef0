"""Requests that truly run at once: each in its own thread with its own database connection,
released together by a barrier. Only PostgreSQL locks rows, so the tests need it."""

import os
import threading

import pytest
from django.db import connections

needs_postgresql = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs DATABASE_URL (PostgreSQL): parallel requests need row locks, as in CI",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_data"),
]


def at_once(*calls, timeout=60):
    """Run the calls in parallel threads that start together; return their results in order.

    Each thread opens its own database connection and closes it when done. An exception in a
    thread is raised here.
    """
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def run(index, call):
        try:
            barrier.wait(timeout=timeout)
            results[index] = call()
        except BaseException as error:  # noqa: BLE001 - raised again in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a request did not finish"
    if errors:
        raise errors[0]
    return results
