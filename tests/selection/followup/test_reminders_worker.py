"""With CELERY_BROKER_URL set (CI: Redis and PostgreSQL): Celery beat's schedule sends the
reminder whose step has come through a real worker, once, also when beat is restarted and when
a second beat runs by mistake. The test moves the step, not the clock."""

import datetime
import time

from django.utils import timezone

from selection.followup.schedule import send_due_reminders
from selection.models import Invitation, Reminder, ReminderStep
from tests.selection.followup.helpers import follow_up_cohort, invited
from tests.selection.letters.test_closing_letters_worker import _subjects
from tests.selection.letters.test_letters_worker import (  # noqa: F401 - a fixture
    celery,
    pytestmark,
)


def _wait_for_sent(count, *, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if Reminder.objects.filter(sent_at__isnull=False).count() >= count:
            return
        time.sleep(0.5)
    raise AssertionError(f"no {count} reminders sent within {seconds} s")


def test_beat_sends_the_due_reminder_once_through_a_worker_also_after_a_restart(
    celery,  # noqa: F811 - the fixture
):
    today = timezone.localdate()
    cohort, office, _schedule = follow_up_cohort(deadline=today + datetime.timedelta(days=3))
    municipality = invited(cohort, office, "Aal", email="post@aal.example")
    Invitation.objects.filter(municipality=municipality).update(
        invited_at=timezone.now() - datetime.timedelta(days=7)
    )
    # The 3-day step falls at midnight today, which has come.
    ReminderStep.objects.filter(cohort=cohort, days_before=3).update(send_time=datetime.time(0))
    ReminderStep.objects.filter(cohort=cohort, days_before=14).delete()
    celery.env["REMINDER_INTERVAL"] = "1"
    celery.worker()
    first_beat = celery.beat()
    _wait_for_sent(1)
    first_beat.terminate()
    first_beat.wait(timeout=30)
    # A restarted beat and a second one by mistake run the schedule again and again.
    celery.beat()
    celery.beat()
    time.sleep(3)
    assert send_due_reminders() == 0
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.days_before, reminder.recipient_list) == (
        "soknad",
        3,
        ["post@aal.example"],
    )
    assert _subjects(celery.mail_dir) == [
        "Påminnelse: søknaden fra Aal kommune til Læringsmiljøprosjektet, Pulje 9"
    ]
