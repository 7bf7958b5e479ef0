"""The office's follow-up board («Oppfølging»): one row per invited municipality, with where
its application stands, what it lacks per part, its last activity, who has access, its
commitments and the reminders it has had. A fixed number of queries whatever the rows."""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.access_links import access_overview
from applications.completeness import SECTIONS, problems, with_contents
from applications.models import (
    Application,
    Commitment,
)
from laeringsmiljo.models import AuditEvent, OfficeSchedule
from selection.followup.models import Reminder, ReminderKind
from selection.followup.reminders import application_recipients, reason_not_to_remind
from selection.process.models import Invitation


class State:
    NOT_STARTED = "ikke_begynt"
    DRAFT = "utkast"
    SUBMITTED = "sendt"
    REOPENED = "gjenapnet"
    WITHDRAWN = "trukket"


STATES = {
    State.NOT_STARTED: _("Ikke begynt"),
    State.DRAFT: _("Utkast"),
    State.SUBMITTED: _("Sendt inn"),
    State.REOPENED: _("Gjenåpnet"),
    State.WITHDRAWN: _("Trukket tilbake"),
}
# The order «state» sorts in: the ones furthest behind first.
STATE_ORDER = [State.NOT_STARTED, State.DRAFT, State.WITHDRAWN, State.REOPENED, State.SUBMITTED]
SORTS = {
    "kommune": _("Kommune"),
    "status": _("Status"),
    "mangler": _("Flest mangler først"),
    "aktivitet": _("Lengst siden aktivitet først"),
    "paminnelser": _("Færrest påminnelser først"),
}
BACK_TO_DRAFT = ("application.reopened", "application.withdrawn")


@dataclass
class PartCount:
    title: str
    count: int


@dataclass
class BoardRow:
    municipality: object
    invitation: object
    application: object = None
    state: str = State.NOT_STARTED
    parts: list = field(default_factory=list)  # PartCount per part with problems
    problem_count: int = 0
    last_activity: object = None
    people: list = field(default_factory=list)  # (name, is_contact)
    confirmed: int = 0
    requested: int = 0
    reminders_sent: int = 0
    reminder_count: int = 0  # ordered, sent or not: what a click on the board expects
    last_reminder: object = None
    reminder_waiting: str = ""
    deadline: object = None
    not_remindable: str = ""  # why no reminder may go now, or ""

    @property
    def state_label(self):
        return STATES[self.state]


def _state(application, back_to_draft):
    if application is None:
        return State.NOT_STARTED
    if application.is_submitted:
        return State.SUBMITTED
    if application.submission_count == 0:
        return State.DRAFT
    return State.REOPENED if back_to_draft == "application.reopened" else State.WITHDRAWN


def _applications(cohort, municipality_ids):
    latest_back = (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Application),
            object_id=Cast(OuterRef("pk"), CharField()),
            action__in=BACK_TO_DRAFT,
        )
        .order_by("-pk")
        .values("action")[:1]
    )
    return with_contents(
        Application.objects.filter(cohort=cohort, municipality_id__in=municipality_ids).annotate(
            back_to_draft=Subquery(latest_back)
        )
    )


def board(*, cohort, office, schedule=False, now=None):
    """The rows of the office's board for the cohort, by municipality number. `schedule` is
    the office's schedule in the cohort when the caller has it (False: look it up)."""
    now = now or timezone.now()
    invitations = list(
        Invitation.objects.filter(cohort=cohort, municipality__county__office=office)
        .select_related("municipality__county__office")
        .order_by("municipality__number")
    )
    ids = [invitation.municipality_id for invitation in invitations]
    applications = {a.municipality_id: a for a in _applications(cohort, ids)}
    if schedule is False:
        schedule = OfficeSchedule.objects.filter(cohort=cohort, office=office).first()
    access = access_overview(cohort=cohort, municipality_ids=ids)
    reminders = {}
    for reminder in Reminder.objects.filter(
        cohort=cohort, municipality_id__in=ids, kind=ReminderKind.APPLICATION
    ).order_by("created_at", "pk"):
        reminders.setdefault(reminder.municipality_id, []).append(reminder)
    rows = []
    for invitation in invitations:
        municipality = invitation.municipality
        application = applications.get(municipality.pk)
        members, _link = access[municipality.pk]
        contact = next((m.user for m in members if m.is_contact), None)
        row = BoardRow(
            municipality=municipality,
            invitation=invitation,
            application=application,
            state=_state(application, getattr(application, "back_to_draft", None)),
            people=[
                (m.user.get_full_name() or m.user.username, bool(m.is_contact)) for m in members
            ],
        )
        activity = [invitation.invited_at]
        if application is not None:
            requests = application.open_requests
            schools = list(application.schools.all())
            kindergartens = list(application.kindergartens.all())
            row.requested = len(requests)
            row.confirmed = sum(1 for c in requests if c.answer == Commitment.Answer.CONFIRMED)
            activity.append(application.updated_at)
            activity.extend(c.answered_at for c in requests if c.answered_at)
            if not application.is_submitted:
                found = Counter(
                    p.section
                    for p in problems(
                        application, schools, kindergartens, {c.slot: c for c in requests}
                    )
                )
                row.parts = [
                    PartCount(section.title, found[section.slug])
                    for section in SECTIONS
                    if found[section.slug]
                ]
                row.problem_count = sum(found.values())
            row.deadline = application.deadline(schedule)
        else:
            row.deadline = schedule.application_deadline if schedule else None
        row.last_activity = max(activity)
        sent = reminders.get(municipality.pk, [])
        row.reminders_sent = sum(1 for r in sent if r.sent_at)
        row.last_reminder = sent[-1] if sent else None
        row.reminder_count = len(sent)
        row.reminder_waiting = next((r.failure for r in reversed(sent) if not r.sent_at), "")
        row.not_remindable = reason_not_to_remind(
            application=application,
            deadline=row.deadline,
            recipients=application_recipients(municipality, application, contact),
            now=now,
        )
        rows.append(row)
    return rows


def filter_and_sort(rows, *, state="", sort="kommune"):
    """The rows in one state (all when empty), in the chosen order."""
    if state:
        rows = [row for row in rows if row.state == state]
    number = lambda row: row.municipality.number  # noqa: E731
    keys = {
        "kommune": number,
        "status": lambda row: (STATE_ORDER.index(row.state), number(row)),
        "mangler": lambda row: (-row.problem_count, number(row)),
        "aktivitet": lambda row: (row.last_activity, number(row)),
        "paminnelser": lambda row: (row.reminders_sent, number(row)),
    }
    return sorted(rows, key=keys[sort])


def counts(rows):
    """How many rows are in each state, for the filter."""
    found = Counter(row.state for row in rows)
    return [(state, STATES[state], found[state]) for state in STATE_ORDER]
