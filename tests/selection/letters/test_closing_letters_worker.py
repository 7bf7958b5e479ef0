"""With CELERY_BROKER_URL set (CI: Redis and PostgreSQL): Celery beat's schedule sends the
closing letters to the reserves still waiting once the cohort's formal start has come, through
a real worker, each exactly once however often the schedule runs. The test moves the start
date, not the clock."""

import datetime
import email
import email.header
import time

from django.utils import timezone

from selection.letters.batches import send_closing_letters
from selection.models import Letter
from tests.selection.letters.test_letters_worker import (  # noqa: F401 - a fixture
    celery,
    pytestmark,
)
from tests.selection.process.helpers import published_cohort


def _subjects(mail_dir):
    """The subjects of every e-mail the workers sent (see test_letters_worker._attachments)."""
    separator = b"\n" + b"-" * 79 + b"\n"
    return [
        str(email.header.make_header(email.header.decode_header(message["Subject"])))
        for path in mail_dir.glob("*.log")
        for raw in path.read_bytes().split(separator)
        if raw.strip()
        for message in [email.message_from_bytes(raw)]
    ]


def _wait_for_sent(count, *, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if Letter.objects.filter(kind="reserve_closed", send_status="sendt").count() >= count:
            return
        time.sleep(0.5)
    raise AssertionError(
        f"no {count} closing letters within {seconds} s: "
        f"{list(Letter.objects.filter(kind='reserve_closed').values_list('status', 'send_status'))}"
    )


def test_beat_sends_each_waiting_reserve_one_closing_letter_when_the_start_has_come(
    celery,  # noqa: F811 - the fixture
):
    _selected, first, second = published_cohort(3)
    cohort = first.cohort
    cohort.start_date = timezone.localdate() - datetime.timedelta(days=1)
    cohort.save()
    celery.env["SETTLEMENT_INTERVAL"] = "1"
    celery.worker()
    celery.beat()
    _wait_for_sent(2)
    # The schedule keeps running; the letters stay one each.
    assert send_closing_letters() == 0
    letters = Letter.objects.filter(kind="reserve_closed")
    assert sorted(letter.application_id for letter in letters) == sorted([first.pk, second.pk])
    assert {letter.status for letter in letters} == {"laget"}
    closing = [s for s in _subjects(celery.mail_dir) if "ble ikke ledig" in s]
    assert sorted(closing) == sorted(
        f"{a.municipality.name} kommune: plassen i Læringsmiljøprosjektet, {cohort.name}, "
        "ble ikke ledig"
        for a in (first, second)
    )
