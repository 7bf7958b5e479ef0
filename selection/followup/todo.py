"""The start pages as to-do lists: for the municipality, the office and Udir, what waits for
them in each cohort, each thing with the page where it is done. Every list is counted with a
fixed number of queries, however many applications, municipalities or offices there are.

The start pages live here, at the top of the layers, because they read every part: the
application's completeness, the invitations and recommendations, the decisions and the
letters."""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import render
from django.utils import timezone

from applications import completeness
from applications.models import (
    Application,
    Commitment,
    OfficeQuestion,
)
from applications.sections import section_url
from laeringsmiljo.access import roles_of
from laeringsmiljo.models import Cohort, County, OfficeSchedule
from selection import access
from selection.letters.models import Letter, LetterBatch, LetterKind
from selection.letters.queries import municipality_entries
from selection.letters.services import UDIR_KINDS
from selection.process.models import Invitation, OfficeReview, Publication
from selection.scoring.models import ApplicationScore

# A letter the office or Udir must look at: it could not be made, or not be sent.
FAILED = Q(status=Letter.Status.FAILED) | Q(send_status=Letter.SendStatus.FAILED)
# A letter made that could not go by e-mail (the municipality has no address): once the
# address is in the registry, «Prøv igjen» sends it.
NO_ADDRESS = Q(status=Letter.Status.GENERATED, send_status=Letter.SendStatus.NOT_POSSIBLE)
# A letter made and held in the outbox until a person sends it.
IN_OUTBOX = Q(status=Letter.Status.GENERATED, held=True, released_at=None)


@dataclass(frozen=True)
class Due:
    """A deadline as the to-do lists say it: how many days are left (negative once it has
    passed); selection/_days_left.html writes it out after the date."""

    days: int | None

    @property
    def ago(self):
        """Days since the deadline passed, or 0."""
        return -self.days if self.days is not None and self.days < 0 else 0


def _due(day, today):
    return Due((day - today).days if day else None)


# The municipality


def _drafts_with_contents(ids):
    """The draft applications with what the completeness check reads, in five queries."""
    return completeness.with_contents(
        Application.objects.filter(pk__in=ids).annotate(attachment_count=Count("attachments"))
    )


def _progress(application):
    """The parts not yet complete, with their links, and the next one to do."""
    schools = list(application.schools.all())
    kindergartens = list(application.kindergartens.all())
    requests = {c.slot: c for c in application.open_requests}
    found = completeness.problems(application, schools, kindergartens, requests)
    steps = completeness.progress(
        application,
        found,
        schools=schools,
        kindergartens=kindergartens,
        commitments=requests,
        attachment_count=application.attachment_count,
    )
    following = completeness.next_incomplete(steps)
    return {
        "missing": [
            {"step": step, "url": section_url(application, step.section.slug)}
            for step in steps
            if not step.complete
        ],
        "next_step": (
            {"step": following, "url": section_url(application, following.section.slug)}
            if following
            else None
        ),
        "complete": not found,
        "commitments_waiting": sum(
            1 for c in application.open_requests if c.answer == Commitment.Answer.NONE
        ),
    }


def municipality_todo(*, roles):
    """The municipality's cohorts (municipality_entries) with what waits for it in each: the
    deadline, the parts of the application not complete, the commitment requests not yet
    answered, the office's questions it can answer, and the place to answer."""
    entries = municipality_entries(roles=roles)
    applications = [e["application"] for e in entries if e["application"] is not None]
    drafts = {
        a.pk: a for a in _drafts_with_contents([a.pk for a in applications if not a.is_submitted])
    }
    # A question may be answered until the office has sent its recommendation, Udir has
    # decided or the selection is published (selection/process/answers.py).
    locked = OfficeReview.objects.filter(
        cohort_id=OuterRef("application__cohort_id"),
        office_id=OuterRef("application__municipality__county__office_id"),
        sent_at__isnull=False,
    )
    questions = dict(
        OfficeQuestion.objects.filter(
            application__in=[a.pk for a in applications],
            answered_at__isnull=True,
            closed_at__isnull=True,
            application__decision__isnull=True,
        )
        .exclude(Exists(locked))
        .exclude(Exists(Publication.objects.filter(cohort_id=OuterRef("application__cohort_id"))))
        .values_list("application")
        .annotate(n=Count("pk"))
        .order_by()
    )
    today = timezone.localdate()
    for entry in entries:
        application = entry["application"]
        entry["due"] = _due(entry["deadline"], today)
        entry["progress"] = (
            _progress(drafts[application.pk]) if application and application.pk in drafts else None
        )
        entry["questions_waiting"] = questions.get(application.pk, 0) if application else 0
        progress = entry["progress"]
        entry["waiting"] = bool(
            (entry["open"] and (application is None or not application.is_submitted))
            or (progress and progress["commitments_waiting"])
            or entry["questions_waiting"]
            or entry.get("may_answer")
        )
    return entries


@login_required
def municipality_start(request):
    """The municipality's start page: per cohort what waits for it, its application's
    progress, the place to answer and the letters sent to it."""
    access.require_municipality(request)
    entries = municipality_todo(roles=roles_of(request))
    return render(
        request,
        "selection/municipality_start.html",
        {"entries": entries, "waiting": any(e["waiting"] for e in entries)},
    )


# The office


@dataclass
class OfficeTodo:
    """What waits for one office in one cohort."""

    schedule: object
    invitations_without_letter: int = 0
    invitations_in_outbox: int = 0
    invitation_batch: object = None
    ungraded: list = field(default_factory=list)  # submitted applications without a grade
    unscored: int = 0
    submitted: int = 0
    review_sent: bool = False
    published: bool = False
    failed_letters: int = 0
    letters_without_address: int = 0
    recommendation_due: Due | None = None

    @property
    def recommendation_waiting(self):
        """The recommendation is still the office's to send: applications have come in, and
        it is neither sent nor overtaken by Udir's publication. (A cohort whose invitations
        have not gone out yet has nothing to recommend.)"""
        return self.submitted > 0 and not self.review_sent and not self.published

    @property
    def waiting(self):
        return bool(
            self.invitations_without_letter
            or self.invitations_in_outbox
            or self.ungraded
            or self.unscored
            or self.recommendation_waiting
            or self.failed_letters
            or self.letters_without_address
        )


def _by_cohort_and_office(queryset, office_path):
    """{(cohort id, office id): count} of the rows, counted in the database."""
    return {
        (cohort_id, office_id): n
        for cohort_id, office_id, n in queryset.values_list("cohort_id", office_path)
        .annotate(n=Count("pk"))
        .order_by()
    }


def office_todo(*, office_ids, today=None):
    """Per cohort and office (newest cohort first): the invitations without a letter or with
    one waiting in the outbox, the submitted applications not graded or not scored, whether
    the recommendation is sent, with its deadline, and the office's letters that failed. In
    eight queries, however many cohorts, offices and applications."""
    today = today or timezone.localdate()
    schedules = list(
        OfficeSchedule.objects.filter(office_id__in=office_ids)
        .select_related("cohort", "office")
        .order_by("-cohort__number", "office__name")
    )
    cohort_ids = {s.cohort_id for s in schedules}
    office = "municipality__county__office_id"
    invitation_letters = Letter.objects.filter(
        cohort_id=OuterRef("cohort_id"),
        municipality_id=OuterRef("municipality_id"),
        kind=LetterKind.INVITATION,
    )
    without_letter = _by_cohort_and_office(
        Invitation.objects.filter(
            cohort_id__in=cohort_ids, municipality__county__office_id__in=office_ids
        ).exclude(Exists(invitation_letters)),
        office,
    )
    own_letters = Letter.objects.filter(
        cohort_id__in=cohort_ids, municipality__county__office_id__in=office_ids
    ).exclude(kind__in=UDIR_KINDS)
    in_outbox = _by_cohort_and_office(
        own_letters.filter(IN_OUTBOX, kind=LetterKind.INVITATION), office
    )
    failed, no_address = {}, {}
    for cohort_id, office_id, failed_count, no_address_count in (
        own_letters.values_list("cohort_id", office)
        .annotate(failed=Count("pk", filter=FAILED), no_address=Count("pk", filter=NO_ADDRESS))
        .values_list("cohort_id", office, "failed", "no_address")
        .order_by()
    ):
        failed[(cohort_id, office_id)] = failed_count
        no_address[(cohort_id, office_id)] = no_address_count
    batches = {}
    for batch in LetterBatch.objects.filter(
        purpose=LetterBatch.Purpose.INVITATIONS, cohort_id__in=cohort_ids, office_id__in=office_ids
    ).order_by("pk"):
        batches[(batch.cohort_id, batch.office_id)] = batch  # the newest last
    submitted = Application.objects.filter(
        cohort_id__in=cohort_ids,
        status=Application.Status.SUBMITTED,
        municipality__county__office_id__in=office_ids,
    )
    submitted_counts = _by_cohort_and_office(submitted, office)
    unscored = _by_cohort_and_office(
        submitted.exclude(
            Exists(ApplicationScore.objects.filter(application=OuterRef("pk"), is_latest=True))
        ),
        office,
    )
    ungraded = {}
    for application in (
        submitted.filter(motivation_grade__isnull=True)
        .select_related("municipality__county")
        .order_by("municipality__number")
    ):
        key = (application.cohort_id, application.municipality.county.office_id)
        ungraded.setdefault(key, []).append(application)
    sent = set(
        OfficeReview.objects.filter(
            cohort_id__in=cohort_ids, office_id__in=office_ids, sent_at__isnull=False
        ).values_list("cohort_id", "office_id")
    )
    published = set(
        Publication.objects.filter(cohort_id__in=cohort_ids).values_list("cohort_id", flat=True)
    )
    todos = []
    for schedule in schedules:
        key = (schedule.cohort_id, schedule.office_id)
        inviting = (
            schedule.cohort_id not in published
            and schedule.application_deadline is not None
            and schedule.application_deadline >= today
        )
        todos.append(
            OfficeTodo(
                schedule=schedule,
                # An invitation letter matters only while the municipality can still apply.
                invitations_without_letter=without_letter.get(key, 0) if inviting else 0,
                invitations_in_outbox=in_outbox.get(key, 0) if inviting else 0,
                invitation_batch=batches.get(key),
                ungraded=ungraded.get(key, []),
                unscored=unscored.get(key, 0),
                submitted=submitted_counts.get(key, 0),
                review_sent=key in sent,
                published=schedule.cohort_id in published,
                failed_letters=failed.get(key, 0),
                letters_without_address=no_address.get(key, 0),
                recommendation_due=_due(schedule.recommendation_deadline, today),
            )
        )
    return todos


@login_required
def office_start(request):
    """The office's start page: per cohort and office what waits for it, each with the page
    where it is done; below it the cohorts with their deadlines and pages."""
    roles = roles_of(request)
    if not roles.is_office:
        raise PermissionDenied
    offices = roles.offices
    todos = office_todo(office_ids=[office.pk for office in offices])
    return render(
        request,
        "selection/office_start.html",
        {
            "offices": offices,
            "counties": County.objects.filter(office__in=offices).order_by("number"),
            "todos": [todo for todo in todos if todo.waiting],
            "schedules": [todo.schedule for todo in todos],
        },
    )


# Udir


@dataclass
class OfficeState:
    schedule: object
    sent: bool
    submitted: int
    undecided: int  # submitted applications without a decision
    recommendation_due: Due


@dataclass
class UdirTodo:
    """What waits for Udir in one cohort."""

    cohort: object
    offices: list  # OfficeState per office with a schedule, by name
    publication: object = None
    submitted: int = 0
    decided: int = 0
    failed_letters: int = 0
    letters_in_outbox: int = 0
    letters_without_address: int = 0

    @property
    def sent_offices(self):
        return [o for o in self.offices if o.sent]

    @property
    def waiting_offices(self):
        """The offices with applicants that have not sent their recommendation. An office
        that no municipality applied to has nothing to send, and is not waited for."""
        return [o for o in self.offices if not o.sent and o.submitted]

    @property
    def expected_offices(self):
        """The offices a recommendation comes from: those that sent one, and those waited for."""
        return [o for o in self.offices if o.sent or o.submitted]

    @property
    def to_decide(self):
        """The offices that have sent their recommendation and have applications without a
        decision: Udir's to decide."""
        return [o for o in self.offices if o.sent and o.undecided]

    @property
    def undecided(self):
        return sum(o.undecided for o in self.to_decide)

    @property
    def ready_to_publish(self):
        return self.publication is None and self.decided and self.decided == self.submitted

    @property
    def waiting(self):
        return bool(
            (self.publication is None and self.waiting_offices)
            or self.to_decide
            or self.ready_to_publish
            or self.failed_letters
            or self.letters_in_outbox
            or self.letters_without_address
        )


def udir_todo(*, today=None):
    """Per cohort (newest first): which offices have sent their recommendation and which have
    not, the applications to decide, whether the selection can be published or is, and Udir's
    letters that failed or wait in the outbox. In six queries, however many cohorts, offices
    and applications."""
    today = today or timezone.localdate()
    cohorts = list(Cohort.objects.order_by("-number"))
    schedules = OfficeSchedule.objects.select_related("office").order_by("office__name")
    sent = set(
        OfficeReview.objects.filter(sent_at__isnull=False).values_list("cohort_id", "office_id")
    )
    office = "municipality__county__office_id"
    submitted = Application.objects.filter(status=Application.Status.SUBMITTED)
    counts = {
        (cohort_id, office_id): (total, decided)
        for cohort_id, office_id, total, decided in submitted.values_list("cohort_id", office)
        .annotate(
            total=Count("pk"),
            decided=Count("decision"),
        )
        .order_by()
    }
    publications = {p.cohort_id: p for p in Publication.objects.all()}
    letters = {
        row["cohort_id"]: row
        for row in Letter.objects.filter(kind__in=UDIR_KINDS)
        .values("cohort_id")
        .annotate(
            failed=Count("pk", filter=FAILED),
            outbox=Count("pk", filter=IN_OUTBOX),
            no_address=Count("pk", filter=NO_ADDRESS),
        )
        .order_by()
    }
    by_cohort = {}
    for schedule in schedules:
        total, decided = counts.get((schedule.cohort_id, schedule.office_id), (0, 0))
        by_cohort.setdefault(schedule.cohort_id, []).append(
            (
                OfficeState(
                    schedule=schedule,
                    sent=(schedule.cohort_id, schedule.office_id) in sent,
                    submitted=total,
                    undecided=total - decided,
                    recommendation_due=_due(schedule.recommendation_deadline, today),
                ),
                total,
                decided,
            )
        )
    todos = []
    for cohort in cohorts:
        rows = by_cohort.get(cohort.pk, [])
        counted = letters.get(cohort.pk, {})
        todos.append(
            UdirTodo(
                cohort=cohort,
                offices=[state for state, _total, _decided in rows],
                publication=publications.get(cohort.pk),
                submitted=sum(total for _state, total, _decided in rows),
                decided=sum(decided for _state, _total, decided in rows),
                failed_letters=counted.get("failed", 0),
                letters_in_outbox=counted.get("outbox", 0),
                letters_without_address=counted.get("no_address", 0),
            )
        )
    return todos


@login_required
def udir_start(request):
    """Udir's start page: per cohort what waits for Udir, each with the page where it is
    done; below it every cohort with its pages."""
    access.require_udir(request)
    todos = udir_todo()
    return render(
        request,
        "selection/udir_start.html",
        {"todos": [todo for todo in todos if todo.waiting], "cohorts": todos},
    )
