"""What the pages of letters show, as queries."""

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from applications.models import Application
from laeringsmiljo.models import OfficeSchedule, deadline_end
from selection.letters.models import Letter
from selection.process.models import Decision, Invitation, Participation, Publication
from selection.process.settlement import answer_deadline, cohort_deadline


def letters_for_table(letters):
    """The letters as the letter table shows them: with their municipality, how many earlier
    versions each has and whether a replacement was ordered, in one query however many."""
    return (
        letters.select_related("municipality__county", "cohort", "batch")
        .annotate(
            version_count=Count("versions"),
            replaced=Exists(Letter.objects.filter(replaces=OuterRef("pk"))),
        )
        .order_by("municipality__number", "kind", "pk")
    )


def municipality_entries(*, roles):
    """The user's municipalities' cohorts that they are invited to or have applied for: the
    office's deadline, the application, and once published Udir's decision and the letters."""
    today = timezone.localdate()
    schedules = (
        OfficeSchedule.objects.filter(
            office__counties__municipalities__in=roles.municipality_ids,
            invitation_date__lte=today,
        )
        .select_related("cohort", "office")
        .distinct()
    )
    invited = set(
        Invitation.objects.filter(municipality_id__in=roles.municipality_ids).values_list(
            "cohort_id", "municipality_id"
        )
    )
    applications = {
        (a.cohort_id, a.municipality_id): a
        for a in Application.objects.filter(municipality_id__in=roles.municipality_ids)
    }
    entries = []
    for municipality in roles.municipalities:
        for schedule in schedules:
            if schedule.office_id != municipality.county.office_id:
                continue
            application = applications.get((schedule.cohort_id, municipality.pk))
            if application is None and (schedule.cohort_id, municipality.pk) not in invited:
                continue
            deadline = (
                application.deadline(schedule) if application else schedule.application_deadline
            )
            closes_at = deadline_end(deadline)
            entries.append(
                {
                    "municipality": municipality,
                    "schedule": schedule,
                    "cohort": schedule.cohort,
                    "application": application,
                    "deadline": deadline,
                    "closes_at": closes_at,
                    "open": timezone.now() < closes_at,
                }
            )
    entries.sort(key=lambda e: (-e["cohort"].number, e["municipality"].number))
    _add_results_and_letters(entries, roles)
    return entries


def _add_results_and_letters(entries, roles):
    """The published decision and the letters of each entry: a municipality sees Udir's
    decision only after the cohort's selection is published."""
    published = set(Publication.objects.values_list("cohort_id", flat=True))
    decisions = {
        d.application_id: d
        for d in Decision.objects.filter(
            application__municipality_id__in=roles.municipality_ids,
            application__cohort_id__in=published,
        )
    }
    letters = {}
    for letter in (
        Letter.objects.filter(
            municipality_id__in=roles.municipality_ids, status=Letter.Status.GENERATED
        )
        .exclude(held=True, released_at=None)  # still in the outbox, not sent
        .order_by("created_at")
    ):
        letters.setdefault((letter.cohort_id, letter.municipality_id), []).append(letter)
    participations = {
        p.application_id: p
        for p in Participation.objects.filter(
            application__municipality_id__in=roles.municipality_ids
        ).select_related("place__cohort")
    }
    deadlines = {}
    now = timezone.now()
    for entry in entries:
        application = entry["application"]
        entry["decision"] = decisions.get(application.pk) if application else None
        participation = participations.get(application.pk) if application else None
        entry["participation"] = participation
        if participation is not None:
            cohort = participation.place.cohort
            if cohort.pk not in deadlines:
                deadlines[cohort.pk] = cohort_deadline(cohort)
            deadline = answer_deadline(participation, deadlines[cohort.pk])
            entry["answer_deadline"] = deadline
            entry["may_answer"] = participation.status == Participation.Status.WAITING and (
                deadline is None or now < deadline_end(deadline)
            )
        entry["letters"] = letters.get((entry["cohort"].pk, entry["municipality"].pk), [])
