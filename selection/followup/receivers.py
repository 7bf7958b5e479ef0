"""What the follow-up does when a cohort is made: it gets the default reminder steps."""

from selection.followup.models import DEFAULT_DAYS_BEFORE, DEFAULT_SEND_TIME, ReminderStep


def add_default_steps(sender, instance, created, raw=False, **kwargs):
    """A new cohort's scheduled reminders: 14 and 3 days before the deadline, 09:00 Oslo
    time, to be changed in admin. Not for rows loaded from a fixture."""
    if created and not raw:
        ReminderStep.objects.bulk_create(
            [
                ReminderStep(cohort=instance, days_before=days, send_time=DEFAULT_SEND_TIME)
                for days in DEFAULT_DAYS_BEFORE
            ],
            ignore_conflicts=True,
        )
