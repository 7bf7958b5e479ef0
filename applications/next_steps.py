"""What happens after the application is sent, with the dates of the office and Udir: what the
receipt says under «Hva skjer nå»."""

from dataclasses import dataclass

from django.db.models import Max

from laeringsmiljo.models import OfficeSchedule


@dataclass(frozen=True)
class AfterSubmission:
    office_name: str
    # The office's deadline for its recommendation to Udir; None without a schedule.
    recommendation_deadline: object
    # The last office's deadline: Udir selects when every recommendation is in.
    last_recommendation_deadline: object
    kickoff_date: object
    start_date: object


def after_submission(*, application, schedule):
    """The steps after sending: the office assesses and recommends by its deadline, Udir
    selects when the last office's recommendation is in and before the kick-off gathering, and
    the letters come when Udir publishes. `schedule` is the office's schedule for the cohort
    (or None)."""
    cohort = application.cohort
    office = application.municipality.county.office
    deadline = schedule.recommendation_deadline if schedule else None
    last = OfficeSchedule.objects.filter(cohort=cohort).aggregate(
        last=Max("recommendation_deadline")
    )["last"]
    return AfterSubmission(
        office_name=office.name_on(deadline) if deadline else office.name,
        recommendation_deadline=deadline,
        last_recommendation_deadline=last,
        kickoff_date=cohort.kickoff_date,
        start_date=cohort.start_date,
    )
