"""The time window the evidence of a cohort is counted in, set from the cohort's own dates."""

import datetime
from dataclasses import dataclass

# A school year runs from 1 August to 31 July; 2019 stands for 2019-20.
SCHOOL_YEAR_STARTS = (8, 1)


def school_year_of(day):
    """The school year a date falls in: 31 July 2020 is in 2019-20, 1 August 2020 in 2020-21."""
    return day.year if (day.month, day.day) >= SCHOOL_YEAR_STARTS else day.year - 1


@dataclass(frozen=True)
class EvidenceWindow:
    last_school_year: int
    # Which of the cohort's dates set the last school year: "deadline", "kickoff" or "start".
    basis: str
    basis_date: datetime.date
    until: datetime.date

    def school_years(self, count):
        """The count school years up to and including the last one, oldest first."""
        return list(range(self.last_school_year - count + 1, self.last_school_year + 1))

    def since(self, count):
        """The first day of the first of the count school years."""
        return datetime.date(self.last_school_year - count + 1, *SCHOOL_YEAR_STARTS)

    def as_json(self):
        return {
            "last_school_year": self.last_school_year,
            "basis": self.basis,
            "basis_date": self.basis_date.isoformat(),
            "until": self.until.isoformat(),
        }


def evidence_window(*, cohort, latest_deadline):
    """The window in which complaint cases (criterion 2) and supervision findings (criterion 3)
    count for a cohort, from the cohort's dates and not from whatever evidence is stored.

    - The last school year is the one in which the cohort's applications are made: the school
      year of the latest application deadline among the offices' schedules (latest_deadline),
      or of the kick-off gathering when the cohort has no schedules yet; never later than the
      school year of the day before the formal start.
    - A criterion that looks N school years back counts the last school year and the N − 1
      before it: complaint cases registered for those school years, and findings dated from
      1 August of the first of them.
    - Nothing dated after the window counts: a finding counts up to and including the earlier
      of 31 July of the last school year and the day before the cohort's formal start.
    """
    day_before_start = cohort.start_date - datetime.timedelta(days=1)
    if latest_deadline is not None:
        basis, basis_date = "deadline", latest_deadline
    else:
        basis, basis_date = "kickoff", cohort.kickoff_date
    if basis_date > day_before_start:
        basis, basis_date = "start", day_before_start
    last = school_year_of(basis_date)
    end_of_last = datetime.date(last + 1, 7, 31)
    return EvidenceWindow(
        last_school_year=last,
        basis=basis,
        basis_date=basis_date,
        until=min(end_of_last, day_before_start),
    )
