"""A broker that is down: Celery pointed at a real Redis URL where nothing listens."""

import os
from contextlib import contextmanager

from laeringsmiljo.celery import app

UNREACHABLE = "redis://127.0.0.1:1/0"
SETTINGS = [
    "task_always_eager",
    "broker_url",
    "broker_connection_timeout",
    "broker_connection_retry",
    "broker_connection_max_retries",
]


def _drop_connections():
    # The app keeps its connection pool for the broker URL it first used.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_away():
    """Within the block, queueing a task meets a broker that refuses the connection, quickly;
    after it, tasks run eagerly again as in the rest of the tests."""
    saved = {name: app.conf[name] for name in SETTINGS}
    saved_environ = os.environ.get("CELERY_BROKER_URL")
    # Celery prefers the environment's CELERY_BROKER_URL (set in CI) to its configuration.
    os.environ["CELERY_BROKER_URL"] = UNREACHABLE
    _drop_connections()
    app.conf.update(
        task_always_eager=False,
        broker_url=UNREACHABLE,
        broker_connection_timeout=1,
        broker_connection_retry=False,
        broker_connection_max_retries=0,
    )
    try:
        yield
    finally:
        if saved_environ is None:
            del os.environ["CELERY_BROKER_URL"]
        else:
            os.environ["CELERY_BROKER_URL"] = saved_environ
        _drop_connections()
        app.conf.update(saved)
