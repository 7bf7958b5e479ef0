"""State changes of an application. Each is one function, in a transaction, with an audit event."""

import datetime
import hashlib
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import commitments, completeness, questions
from applications.errors import (
    AlreadySubmitted,
    ApplicationError,
    DeadlinePassed,
    Incomplete,
    NotEditable,
    StaleRevision,
)
from applications.models import Application, Attachment
from applications.notifications import RECEIPT_REQUEUED
from applications.sections import units_token
from applications.signals import application_submitted
from applications.tasks import queue_receipt_email
from laeringsmiljo.audit import record, snapshot
from laeringsmiljo.models import OfficeSchedule
from laeringsmiljo.times import clock_time, long_date

logger = logging.getLogger(__name__)

# The parts whose saving can change who commits for a party, or take a party away: its
# request, and any answer to it, is then void.
VOIDING_SECTIONS = {"skoler", "barnehager", "forpliktelser"}


def schedule_for(*, cohort, municipality):
    """The schedule of the municipality's office in the cohort, or None."""
    return OfficeSchedule.objects.filter(
        cohort=cohort, office_id=municipality.county.office_id
    ).first()


def may_apply(*, cohort, municipality, today=None):
    """Whether the municipality may apply for the cohort: its office has invited it and the
    invitation date has come."""
    schedule = schedule_for(cohort=cohort, municipality=municipality)
    today = today or timezone.localdate()
    return (
        schedule is not None
        and schedule.invitation_date <= today
        and questions.is_invited(cohort=cohort, municipality=municipality)
    )


@transaction.atomic
def start_application(*, cohort, municipality, actor):
    """The municipality's application for the cohort: the existing one, or a new draft with the
    contact details prefilled from the registry and the user."""
    application, created = Application.objects.get_or_create(
        cohort=cohort,
        municipality=municipality,
        defaults={
            "postal_address": municipality.postal_address,
            "contact_name": actor.get_full_name(),
            "contact_email": actor.email,
        },
    )
    if created:
        record(actor=actor, action="application.created", obj=application)
    return application


def deadline_passed_message(application):
    """What the municipality is told once its deadline has passed: when it was, and what it
    can do about it."""
    office = application.municipality.county.office.name
    day = application.deadline()
    if day is None:
        return _(
            "%(office)s har ingen søknadsfrist for kommunen i denne puljen, så søknaden kan ikke "
            "endres eller sendes. Ta kontakt med %(office)s."
        ) % {"office": office}
    return _(
        "Søknadsfristen var %(deadline)s, så søknaden kan ikke endres eller sendes lenger. "
        "Trenger kommunen mer tid, kan dere be %(office)s om å gjenåpne søknaden med en ny "
        "frist."
    ) % {
        "deadline": f"{long_date(day)} {clock_time(datetime.time(23, 59))}",
        "office": office,
    }


def _refuse_when_closed(locked, now=None):
    if locked.is_closed(now):
        raise DeadlinePassed(deadline_passed_message(locked))


def _lock(application):
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("municipality__county")
        .get(pk=application.pk)
    )


@transaction.atomic
def save_section(
    *, application, section, save, actor, expected_revision, expected_units=None, now=None
):
    """Save one section of a draft through `save(locked_application)`.

    Refuses when the application is no longer a draft, when its deadline has passed (`now`
    is the time of the save), when somebody else saved the same
    section after this user opened it (expected_revision differs), or, for a section with a row
    per unit, when the chosen schools or kindergartens changed (expected_units differs):
    nothing is then saved.
    Returns the application with the section's new revision.
    """
    locked = _lock(application)
    if locked.is_submitted:
        raise NotEditable(
            _(
                "Søknaden er sendt inn og kan ikke endres. Trekk den tilbake først om fristen ikke er ute."
            )
        )
    _refuse_when_closed(locked, now)
    current = locked.revisions.get(section, 0)
    if expected_units is not None and expected_units != units_token(locked):
        raise StaleRevision(
            _(
                "Skolene eller barnehagene i søknaden ble endret mens du hadde siden åpen. Det du "
                "skrev, er ikke lagret ennå: se over delen med de enhetene som er valgt nå, og "
                "lagre på nytt."
            )
        )
    if expected_revision != current:
        raise StaleRevision(
            _(
                "Noen andre har lagret denne delen etter at du åpnet den. Det du skrev, er ikke "
                "lagret ennå: sammenlign med det som er lagret nå, og lagre på nytt for å "
                "beholde din versjon."
            )
        )
    before = snapshot(locked)
    save(locked)
    locked.revisions = {**locked.revisions, section: current + 1}
    locked.save(update_fields=["revisions", "updated_at"])
    if section in VOIDING_SECTIONS:
        commitments.void_changed(application=locked, actor=actor)
    after = snapshot(locked)
    changed = {key: after[key] for key in after if before.get(key) != after[key]}
    record(
        actor=actor,
        action=f"application.section_saved.{section}",
        obj=locked,
        before={key: before.get(key) for key in changed},
        after=changed,
    )
    return locked


def reference_for(application):
    return f"LMP{application.cohort.number}-{application.municipality.number}-{application.submission_count}"


@transaction.atomic
def submit(*, application, actor, now=None):
    """Send the application: checks that it is complete, that the deadline has not passed and
    that it was not already sent; gives it a reference number and sends the receipt."""
    now = now or timezone.now()
    locked = _lock(application)
    if locked.is_submitted:
        raise AlreadySubmitted(
            _("Søknaden er allerede sendt inn med referanse %(reference)s.")
            % {"reference": locked.reference}
        )
    _refuse_when_closed(locked, now)
    found = completeness.problems(locked)
    if found:
        raise Incomplete(_("Søknaden er ikke komplett ennå. Se hva som mangler."), found)
    locked.status = Application.Status.SUBMITTED
    locked.submission_count += 1
    locked.reference = reference_for(locked)
    locked.submitted_at = now
    locked.submitted_by = actor
    locked.save()
    record(
        actor=actor,
        action="application.submitted",
        obj=locked,
        before={"status": Application.Status.DRAFT},
        after={"status": locked.status, "reference": locked.reference},
    )
    queue_receipt_email(locked)
    application_submitted.send(sender=Application, application=locked)
    return locked


@transaction.atomic
def resend_receipt(*, application, actor):
    """Queue the receipt e-mail of the current submission again, after the queue was away.
    Sending it is safe to repeat: a receipt already sent is not sent twice."""
    locked = _lock(application)
    if not locked.is_submitted:
        raise ApplicationError(_("Søknaden er ikke sendt inn, så det er ingen kvittering å sende."))
    if locked.receipt_sent_for == locked.reference:
        raise ApplicationError(_("Kvitteringen er allerede sendt på e-post."))
    record(actor=actor, action=RECEIPT_REQUEUED, obj=locked, after={"reference": locked.reference})
    queue_receipt_email(locked)
    return locked


@transaction.atomic
def withdraw(*, application, actor, now=None):
    """Return a submitted application to draft before the deadline, so it can be changed and
    sent again (with a new reference number)."""
    now = now or timezone.now()
    locked = _lock(application)
    if not locked.is_submitted:
        raise ApplicationError(_("Søknaden er ikke sendt inn, så det er ingenting å trekke."))
    if now >= locked.closes_at():
        raise DeadlinePassed(
            _("Fristen er ute, så søknaden kan ikke trekkes. Ta kontakt med Statsforvalteren.")
        )
    if reason := questions.assessment_lock_reason(locked):
        raise ApplicationError(reason)
    reference = locked.reference
    locked.status = Application.Status.DRAFT
    locked.reference = ""
    locked.save(update_fields=["status", "reference", "updated_at"])
    record(
        actor=actor,
        action="application.withdrawn",
        obj=locked,
        before={"status": Application.Status.SUBMITTED, "reference": reference},
        after={"status": locked.status},
    )
    return locked


@transaction.atomic
def ask_office_for_help(*, application, actor, asked, now=None):
    """Let the office of the municipality's county read the draft before it is sent in
    (asked=True), or stop that again (asked=False). Only a draft: once sent in, the office
    sees the application anyway. Asking twice changes nothing and records nothing."""
    locked = _lock(application)
    if locked.is_submitted:
        raise NotEditable(
            _("Søknaden er sendt inn, og embetet ser den allerede. Det trengs ingen deling.")
        )
    if asked == (locked.help_requested_at is not None):
        return locked
    before = locked.help_requested_at
    locked.help_requested_at = (now or timezone.now()) if asked else None
    locked.save(update_fields=["help_requested_at", "updated_at"])
    record(
        actor=actor,
        action="application.help_requested" if asked else "application.help_request_withdrawn",
        obj=locked,
        before={"help_requested_at": before},
        after={"help_requested_at": locked.help_requested_at},
    )
    return locked


@transaction.atomic
def reopen(*, application, actor, new_deadline, today=None):
    """Give the municipality a later deadline of its own: a submitted application goes back
    to draft, and so does a draft whose deadline has passed. For the office of the
    municipality's county and Udir."""
    today = today or timezone.localdate()
    if new_deadline < today:
        raise ApplicationError(_("Den nye fristen kan ikke være tilbake i tid."))
    if new_deadline > today + datetime.timedelta(days=180):
        raise ApplicationError(_("Den nye fristen kan ikke være mer enn et halvt år fram."))
    locked = _lock(application)
    if not locked.is_submitted and not locked.is_closed():
        raise ApplicationError(
            _("Søknaden er et utkast, og fristen er ikke ute, så den kan ikke gjenåpnes ennå.")
        )
    if reason := questions.assessment_lock_reason(locked):
        raise ApplicationError(reason)
    office_deadline = locked.deadline()
    if office_deadline and new_deadline < office_deadline:
        raise ApplicationError(
            _("Den nye fristen kan ikke være før fristen kommunen har nå (%(deadline)s).")
            % {"deadline": long_date(office_deadline)}
        )
    before = {
        "status": locked.status,
        "reference": locked.reference,
        "deadline_override": locked.deadline_override,
    }
    locked.status = Application.Status.DRAFT
    locked.reference = ""
    locked.deadline_override = new_deadline
    locked.save(update_fields=["status", "reference", "deadline_override", "updated_at"])
    record(
        actor=actor,
        action="application.reopened",
        obj=locked,
        before=before,
        after={"status": locked.status, "deadline_override": new_deadline},
    )
    return locked


MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10


def check_pdf(uploaded):
    """Refuse a file that is not a readable PDF of at most 10 MB, judged by its content."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if uploaded.size > MAX_ATTACHMENT_BYTES:
        raise ApplicationError(
            _("Filen er %(size)s MB. Et vedlegg kan være på høyst 10 MB.")
            % {"size": f"{uploaded.size / 1024 / 1024:.1f}".replace(".", ",")}
        )
    uploaded.seek(0)
    head = uploaded.read(1024)
    uploaded.seek(0)
    not_pdf = _("«%(name)s» er ikke en PDF-fil. Lagre dokumentet som PDF og prøv igjen.") % {
        "name": uploaded.name
    }
    if b"%PDF-" not in head:
        raise ApplicationError(not_pdf)
    try:
        reader = PdfReader(uploaded)
        encrypted = reader.is_encrypted
        if not encrypted:
            len(reader.pages)
    except PyPdfError:  # every error pypdf raises itself, its limits (LimitReachedError) too
        raise ApplicationError(not_pdf) from None
    except Exception:
        # A damaged file can break the parser below pypdf's own checks (zlib, struct, a
        # recursion through a broken object tree): it is still a file we cannot read.
        logger.warning("Vedlegget «%s» kunne ikke leses som PDF", uploaded.name, exc_info=True)
        raise ApplicationError(not_pdf) from None
    finally:
        uploaded.seek(0)
    if encrypted:
        raise ApplicationError(
            _("«%(name)s» er passordbeskyttet. Last opp en PDF uten passord.")
            % {"name": uploaded.name}
        )


@transaction.atomic
def add_attachment(*, application, uploaded, description, actor):
    """Store a PDF attachment outside the public static path, with its checksum."""
    locked = _lock(application)
    if locked.is_submitted:
        raise NotEditable(_("Søknaden er sendt inn og kan ikke endres."))
    _refuse_when_closed(locked)
    if locked.attachments.count() >= MAX_ATTACHMENTS:
        raise ApplicationError(_("En søknad kan ha høyst 10 vedlegg."))
    check_pdf(uploaded)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    attachment = Attachment(
        application=locked,
        original_name=uploaded.name[:255],
        size=uploaded.size,
        sha256=digest.hexdigest(),
        description=description,
        uploaded_by=actor,
    )
    attachment.file.save("vedlegg.pdf", uploaded, save=False)
    # If the row cannot be saved, the stored file goes too: nothing half-written is left.
    stored_name = attachment.file.name
    storage = attachment.file.storage
    try:
        attachment.save()
        record(
            actor=actor,
            action="application.attachment_added",
            obj=locked,
            after={"attachment": attachment.original_name, "sha256": attachment.sha256},
        )
    except Exception:
        storage.delete(stored_name)
        raise
    return attachment


@transaction.atomic
def remove_attachment(*, attachment, actor):
    """Delete an attachment of a draft, file and all."""
    locked = _lock(attachment.application)
    if locked.is_submitted:
        raise NotEditable(_("Søknaden er sendt inn og kan ikke endres."))
    _refuse_when_closed(locked)
    name, storage = attachment.file.name, attachment.file.storage
    record(
        actor=actor,
        action="application.attachment_removed",
        obj=locked,
        before={"attachment": attachment.original_name, "sha256": attachment.sha256},
    )
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
