"""Making, storing and sending letters. Each function is called by a thin Celery task."""

import hashlib
import io
import logging
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.models import Application
from laeringsmiljo.audit import latest_event, record
from laeringsmiljo.models import OfficeSchedule
from laeringsmiljo.placeholders import fill
from laeringsmiljo.times import date_and_time, long_date, month_and_year
from laeringsmiljo.workdays import appeal_deadline
from selection.letters import defaults
from selection.letters.models import (
    DECISION_KINDS,
    Letter,
    LetterBatch,
    LetterKind,
    LetterTemplate,
    LetterVersion,
    SenderSettings,
)
from selection.letters.pdf import render_pdf
from selection.letters.signals import letter_sent
from selection.process import decisions, settlement
from selection.process.models import Invitation, Participation, Publication
from selection.scoring.models import Criterion

logger = logging.getLogger(__name__)

# The letters Udir sends: its decisions, and the letters about a place after publication.
UDIR_KINDS = DECISION_KINDS | {
    LetterKind.ANSWER_REMINDER,
    LetterKind.WITHDRAWAL,
    LetterKind.RESERVE_CLOSED,
}
# The letters after publication that depend on the municipality's place (settlement).
PLACE_KINDS = {LetterKind.ANSWER_REMINDER, LetterKind.WITHDRAWAL}


class LetterError(Exception):
    """A letter that cannot be made; its message is stored on the letter as the reason."""


def _date(value):
    return long_date(value)


def letter_language(*, kind, municipality):
    """The municipality's written standard; a neutral one gets the sender's default."""
    if kind in UDIR_KINDS:
        return municipality.letter_language(SenderSettings.current().default_written_standard)
    return municipality.letter_language()


def decision_letter_languages(municipalities):
    """The målform of each municipality's decision letter from Udir, by municipality id."""
    municipalities = list(municipalities)
    if not municipalities:
        return {}
    default = SenderSettings.current().default_written_standard
    return {m.pk: m.letter_language(default) for m in municipalities}


def request_letter(
    *,
    kind,
    cohort,
    municipality,
    reference,
    application=None,
    batch=None,
    signer_name="",
    contact_email="",
    held=False,
):
    """The letter of this kind and reference for the municipality: the existing one, or a new
    pending one. A second click or a retried request never makes a second letter. The signer
    is the case officer the letter names, with contact_email as their address. A held letter
    waits in the outbox, once made, until a person sends it."""
    letter, created = Letter.objects.get_or_create(
        cohort=cohort,
        municipality=municipality,
        kind=kind,
        reference=reference,
        replaces=None,
        defaults={
            "application": application,
            "batch": batch,
            "language": letter_language(kind=kind, municipality=municipality),
            "signer_name": signer_name,
            "contact_email": contact_email,
            "held": held,
        },
    )
    if not created and batch is not None and letter.batch_id is None:
        letter.batch = batch
        letter.save(update_fields=["batch"])
    return letter, created


# The decision letters whose reason is the decision's, assembled from the office's ranking.
REASONED_KINDS = DECISION_KINDS - {LetterKind.DECISION_PROMOTED}


def remember_reasons(letters, *, cohort, day=None):
    """Store on each waiting decision letter of the cohort the reason it will give, assembled
    for the whole cohort at once (the letters are made on `day`, today when None): making each
    letter then reads it instead of ranking its office again."""
    waiting = [
        letter
        for letter in letters
        if letter.kind in REASONED_KINDS and letter.status == Letter.Status.PENDING
    ]
    if not waiting:
        return 0
    day = day or timezone.localdate()
    reasons = decisions.letter_reasons(cohort=cohort, day=day)
    stored = []
    for letter in waiting:
        language, reason = reasons.get(letter.application_id, (None, ""))
        if language == letter.language and reason:
            letter.reason, letter.reason_date = reason, day
            stored.append(letter)
    Letter.objects.bulk_update(stored, ["reason", "reason_date"])
    return len(stored)


def letter_date(letter):
    """The letter's date: the day it was made (today for one not made yet)."""
    return letter.dated or timezone.localdate()


def addressee(municipality):
    """The addressee block: the municipality's registered name and postal address, with the
    name once even when the registered address already starts with it."""
    name = f"{municipality.name} kommune"
    lines = [line.strip() for line in municipality.postal_address.splitlines() if line.strip()]
    if lines and lines[0].casefold().startswith(municipality.name.casefold()):
        return "\n".join(lines)
    return "\n".join([name, *lines])


class Shared:
    """What letters made together read once: the templates by kind and målform, and Udir's
    sender settings. One per batch of letters being made; a new one reads them afresh."""

    def __init__(self):
        self._templates = {}
        self._sender = None

    def template(self, kind, language):
        key = (kind, language)
        if key not in self._templates:
            self._templates[key] = LetterTemplate.objects.filter(
                kind=kind, language=language
            ).first()
        return self._templates[key]

    def sender(self):
        if self._sender is None:
            self._sender = SenderSettings.current()
        return self._sender


def letter_sender(letter, shared=None):
    """Who sends the letter, as the letterhead and the contact block give it: Udir for its
    decisions, the office (by its name on the letter's date) for invitations and receipts,
    with the case officer the letter names and their e-mail address."""
    if letter.kind in UDIR_KINDS:
        sender = (shared or Shared()).sender()
        name, address, email = sender.name, sender.postal_address, sender.email
        organisation_number, website = sender.organisation_number, sender.website
        appeal_body = sender.appeal_body
    else:
        office = letter.municipality.county.office
        name, address, email = (
            office.name_on(letter_date(letter)),
            office.postal_address,
            office.email,
        )
        organisation_number, website = office.organisation_number, office.website
        appeal_body = ""
    return {
        "name": name,
        "address": address,
        "address_line": ", ".join(line.strip() for line in address.splitlines() if line.strip()),
        "email": email,
        "organisation_number": organisation_number,
        "website": website,
        "case_officer": letter.signer_name or name,
        "case_officer_email": letter.contact_email or email,
        "appeal_body": appeal_body,
    }


def _values(letter, sender=None):
    """The placeholder values of a letter, in its language."""
    sender = sender or letter_sender(letter)
    municipality = letter.municipality
    office = municipality.county.office
    cohort = letter.cohort
    values = {
        "municipality": municipality.name,
        "municipality_number": municipality.number,
        "office": office.name_on(letter_date(letter)),
        "office_email": office.email,
        "cohort": cohort.name,
        "kickoff_date": _date(cohort.kickoff_date),
        "start_date": month_and_year(cohort.start_date),
        "end_date": month_and_year(cohort.end_date),
        "semesters": cohort.semesters,
    }
    application = letter.application
    if letter.kind == LetterKind.INVITATION:
        schedule = OfficeSchedule.objects.filter(cohort=cohort, office=office).first()
        if schedule is None:
            raise LetterError(
                _("Embetet har ingen tidsplan i puljen, så søknadsfristen er ukjent.")
            )
        values["deadline"] = _date(schedule.application_deadline)
        values["criteria"] = "\n".join(
            f"{c.number}. {c.name}" for c in Criterion.objects.filter(active=True).order_by("order")
        )
        values["service_url"] = settings.SITE_URL + "/"
    elif letter.kind == LetterKind.RECEIPT:
        values["reference"] = letter.reference
        values["submitted_at"] = date_and_time(application.submitted_at, "lang")
        values["schools"] = ", ".join(
            u.school.name for u in application.schools.select_related("school")
        )
        values["kindergartens"] = ", ".join(
            u.kindergarten.name for u in application.kindergartens.select_related("kindergarten")
        )
        values["ppt"] = application.ppt_service.name if application.ppt_service else ""
    elif letter.kind in PLACE_KINDS:
        _place_values(values, letter)
    else:
        decision = getattr(application, "decision", None)
        if decision is None:
            raise LetterError(_("Søknaden har ikke noe vedtak."))
        values["reference"] = application.reference
        day = letter_date(letter)
        if letter.reason and letter.reason_date == day:
            values["reason"] = letter.reason  # assembled when the letters were ordered
        else:
            values["reason"] = decisions.decision_reason(
                application=application, language=letter.language, day=day
            )
        publication = getattr(cohort, "publication", None)
        values["decided_at"] = (
            _date(timezone.localdate(publication.published_at)) if publication else ""
        )
        values["case_officer"] = sender["case_officer"]
        values["case_officer_email"] = sender["case_officer_email"]
        if cohort.decisions_are_individual:
            values["decided"], values["decision"] = _("har vedtatt"), _("vedtaket")
        else:
            values["decided"], values["decision"] = _("har bestemt"), _("resultatet")
        if letter.kind == LetterKind.DECISION_PROMOTED:
            _promotion_values(values, letter)
    return values


def _section_values(letter, sender):
    """The placeholder values of the section on the right to appeal (or why there is none)."""
    day = letter_date(letter)
    return {
        "reference": letter.reference,
        "letter_date": _date(day),
        "appeal_deadline": _date(appeal_deadline(day)),
        "sender": sender["name"],
        "sender_address": sender["address_line"],
        "sender_email": sender["email"],
        "appeal_body": sender["appeal_body"],
        "case_officer": sender["case_officer"],
        "case_officer_email": sender["case_officer_email"],
    }


def decision_sections(letter, template):
    """The subject and closing section of a decision letter, per the cohort's setting: as an
    enkeltvedtak, its subject and the right to appeal and to see the documents; otherwise the
    notice's subject ("Melding om resultat") and why the result cannot be appealed. Texts left
    empty in admin are the defaults of the målform."""
    section_defaults = defaults.section_defaults(letter.kind, letter.language)
    if letter.cohort.decisions_are_individual:
        return (
            template.subject,
            _("Klagerett og innsyn"),
            template.appeal_text or section_defaults["appeal_text"],
        )
    notice_subject = template.notice_subject or (
        _("Melding om resultat") + ": " + template.subject.removeprefix("Vedtak:").strip()
    )
    return (
        notice_subject,
        _("Ingen klagerett"),
        template.no_appeal_text or section_defaults["no_appeal_text"],
    )


def _paragraphs(text):
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _participation(letter):
    participation = Participation.objects.filter(application=letter.application).first()
    if participation is None:
        raise LetterError(_("Kommunen har ingen plass i puljen."))
    return participation


def _promotion_values(values, letter):
    """A decision letter for a reserve taken into a free place: the promotion's reason and
    the answer deadline, on top of the decision letter's values."""
    participation = _participation(letter)
    values["reason"] = participation.written_promotion_reason()
    values["answer_deadline"] = _date(settlement.answer_deadline(participation))


def _place_values(values, letter):
    """The values of the letters about a municipality's place: the reminder of the answer
    deadline and the confirmation that it does not take part."""
    participation = _participation(letter)
    values["reference"] = letter.application.reference
    if letter.kind == LetterKind.ANSWER_REMINDER:
        values["answer_deadline"] = _date(settlement.answer_deadline(participation))
        values["service_url"] = settings.SITE_URL + "/"
    else:
        values["left_on"] = _date(participation.left_on)
        values["leaving"] = participation.written_leaving()
        values["reason"] = participation.reason


def preview_cases(kind, *, limit=200):
    """The cases a letter of this kind can be shown for in the admin's preview, newest cohort
    first, as (key, label) pairs: the invitations for an invitation, the submitted applications
    for a receipt, the applications with a place for the letters about one, and those with a
    decision for the decision letters."""
    if kind == LetterKind.INVITATION:
        invitations = Invitation.objects.select_related("cohort", "municipality").order_by(
            "-cohort__number", "municipality__number"
        )[:limit]
        return [
            (f"i{i.pk}", f"{i.cohort.name}: {i.municipality.number} {i.municipality.name}")
            for i in invitations
        ]
    applications = Application.objects.filter(submitted_at__isnull=False)
    if kind in PLACE_KINDS or kind == LetterKind.DECISION_PROMOTED:
        applications = applications.filter(participation__isnull=False)
        if kind == LetterKind.DECISION_PROMOTED:
            applications = applications.filter(participation__promoted=True)
    elif kind != LetterKind.RECEIPT:
        applications = applications.filter(decision__isnull=False)
    applications = applications.select_related("cohort", "municipality").order_by(
        "-cohort__number", "municipality__number"
    )[:limit]
    return [
        (
            f"s{a.pk}",
            f"{a.cohort.name}: {a.municipality.number} {a.municipality.name} ({a.reference})",
        )
        for a in applications
    ]


def preview_letter(kind, language, key, *, signer_name):
    """The unsaved letter of this kind and language for a case of preview_cases(), or None."""
    letter = Letter(kind=kind, language=language, signer_name=signer_name)
    if key.startswith("i") and key[1:].isdigit() and kind == LetterKind.INVITATION:
        invitation = (
            Invitation.objects.select_related("cohort", "municipality__county__office")
            .filter(pk=key[1:])
            .first()
        )
        if invitation is None:
            return None
        letter.cohort, letter.municipality = invitation.cohort, invitation.municipality
        letter.reference = f"LMP{invitation.cohort.number}-{invitation.municipality.number}-0"
        return letter
    if key.startswith("s") and key[1:].isdigit() and kind != LetterKind.INVITATION:
        application = (
            Application.objects.select_related("cohort", "municipality__county__office")
            .filter(pk=key[1:], submitted_at__isnull=False)
            .first()
        )
        if application is None:
            return None
        letter.cohort, letter.municipality = application.cohort, application.municipality
        letter.application, letter.reference = application, application.reference
        return letter
    return None


def render_letter_html(letter, shared=None):
    """The letter as HTML, ready for WeasyPrint, in the letter's written standard (with the
    templates and sender of `shared` when letters are made together)."""
    shared = shared or Shared()
    template = shared.template(letter.kind, letter.language)
    if template is None:
        raise LetterError(
            _("Det finnes ingen brevmal for «%(kind)s» på %(language)s.")
            % {"kind": letter.get_kind_display(), "language": letter.get_language_display()}
        )
    with translation.override(letter.language):
        sender = letter_sender(letter, shared)
        values = _values(letter, sender)
        subject_text, section = template.subject, None
        if letter.kind in UDIR_KINDS:
            subject_text, heading, section_text = decision_sections(letter, template)
        try:
            subject = fill(subject_text, values)
            body = fill(template.body, values)
            if letter.kind in UDIR_KINDS:
                section = {
                    "heading": heading,
                    "paragraphs": _paragraphs(fill(section_text, _section_values(letter, sender))),
                }
        except (KeyError, ValueError) as error:
            raise LetterError(
                _("Brevmalen kan ikke fylles ut: %(error)s") % {"error": error}
            ) from error
        paragraphs = _paragraphs(body)
        if letter.replaces_id:
            subject, notice = replacement_notice(letter.replaces, subject)
            paragraphs.insert(0, notice)
        office = letter.municipality.county.office
        day = letter_date(letter)
        html = render_to_string(
            "letters/letter.html",
            {
                "language": letter.language,
                "subject": subject,
                "sender": sender,
                "recipient": addressee(letter.municipality),
                "our_reference": letter.reference,
                "your_reference": "",
                "date": day,
                "paragraphs": paragraphs,
                "section": section,
                "signer_name": letter.signer_name,
                "signer_title": _("saksbehandler"),
                "signer_on_behalf": True,
                "copy_to": office.name_on(day) if letter.kind in UDIR_KINDS else "",
            },
        )
    return subject, html


def replacement_notice(replaced, subject):
    """The subject and opening paragraph of a letter that replaces one already sent, in the
    language active (the letter's)."""
    values = {
        "date": _date(timezone.localdate(replaced.sent_at) if replaced.sent_at else replaced.dated),
        "subject": replaced.subject,
    }
    return (
        _("Erstatter brevet av %(date)s") % values + ": " + subject,
        _(
            "Dette brevet erstatter brevet «%(subject)s» som ble sendt %(date)s. Se bort fra det "
            "forrige brevet."
        )
        % values,
    )


def note_queued(*, letter_ids, at=None):
    """Record that the letters' tasks are queued (or will be tried again at `at`): the sweep
    of stranded letters counts from then."""
    Letter.objects.filter(pk__in=letter_ids).update(queued_at=at or timezone.now())


def _count_attempt(letter_id):
    """Count one more start of making a waiting letter, committed at once so that it counts
    even if the worker dies while making it."""
    own_transaction = not connection.in_atomic_block
    table = connection.ops.quote_name(Letter._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if own_transaction and connection.vendor == "postgresql":
            # The count is there for a worker that dies, not for a database that does: its
            # commit need not wait for the disk (some 3 ms a letter here); the letter's own
            # commit after making it still does.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        # One plain statement: it runs once per letter, before anything else.
        cursor.execute(
            f"UPDATE {table} SET attempts = attempts + 1 WHERE id = %s AND status = %s",
            [letter_id, Letter.Status.PENDING],
        )


# How many letters one task makes: what they share (the letters' cohort, municipality and
# application rows, the templates, the sender) is read once for them all, while each letter
# keeps its own count of attempts, its lock and its commit.
LETTERS_PER_TASK = 10


def generate_letter(*, letter_id):
    """Make the letter's PDF once and store it with its checksum, size and page count.

    Running it again for a made letter does nothing. A letter that cannot be made is marked
    failed with the reason, and no file is left behind; so is a letter that workers have begun
    LETTER_MAX_ATTEMPTS times without finishing (one that brings its worker down). Trouble
    with the storage (OSError) leaves the letter waiting and is raised, to be retried.
    """
    return _generate(letter_id, None, Shared())


def generate_letters(*, letter_ids):
    """Make the letters, each as generate_letter does, reading what they share once. Yields
    (letter id, the letter or None when it is gone, or the OSError that left it waiting)."""
    loaded, shared = _letters_to_make(letter_ids), Shared()
    for letter_id in letter_ids:
        try:
            yield letter_id, _generate(letter_id, loaded.get(letter_id), shared)
        except OSError as error:
            yield letter_id, error


def _generate(letter_id, loaded, shared):
    """Make one letter; `loaded` is the letter with its rows as _letters_to_make gave it, or
    None to load it here once its row is locked (and only if it is still to be made)."""
    _count_attempt(letter_id)
    with transaction.atomic():
        # The letter's own row alone, locked and read again (another worker may have made it
        # since it was loaded): a lock taken through the joins would cost PostgreSQL a plan of
        # them all each time, and hold rows no one else writes.
        letter = Letter.objects.select_for_update().filter(pk=letter_id).first()
        if letter is None or letter.status == Letter.Status.GENERATED:
            return letter  # deleted, or made already
        if letter.attempts > settings.LETTER_MAX_ATTEMPTS:
            return mark_failed(
                letter_id=letter_id,
                reason=_(
                    "Brevet ble ikke ferdig etter %(attempts)s forsøk: arbeideren som lagde det, "
                    "stoppet hver gang underveis."
                )
                % {"attempts": settings.LETTER_MAX_ATTEMPTS},
            )
        if loaded is None:
            loaded = _letters_to_make([letter_id])[letter_id]
        # What the render reads, as loaded (the rows a letter points to do not change).
        letter.cohort, letter.municipality = loaded.cohort, loaded.municipality
        letter.application = loaded.application
        stored = None
        if letter.dated is None:
            letter.dated = timezone.localdate()
        try:
            stored = _make_and_store(letter, shared)
            letter.status = Letter.Status.GENERATED
            letter.failure = ""
            letter.save(update_fields=MADE_FIELDS)
        except LetterError as error:
            _fail(letter, stored, str(error))
        except OSError:
            # Storage or network trouble may pass: leave the letter waiting for a retry.
            if stored:
                letter.file.storage.delete(stored)
            raise
        except Exception as error:  # a template or rendering fault: record it, let others go on
            logger.exception("Brev %s kunne ikke lages", letter.pk)
            _fail(letter, stored, _("Brevet kunne ikke lages: %(error)s") % {"error": error})
    return letter


def _letters_to_make(letter_ids):
    """The letters by id, with what the render of every kind reads, in one query (and one for
    the offices' dated names)."""
    letters = Letter.objects.select_related(
        "cohort__publication",
        "municipality__county__office",
        "application__decision",
        "application__ppt_service",
    ).prefetch_related("municipality__county__office__names")
    found = {}
    for letter in letters.filter(pk__in=letter_ids):
        application = letter.application
        if application is not None:
            # The application's municipality and cohort are the letter's, loaded already: the
            # decision's reason reads them through the application.
            if application.municipality_id == letter.municipality_id:
                application.municipality = letter.municipality
            if application.cohort_id == letter.cohort_id:
                application.cohort = letter.cohort
        found[letter.pk] = letter
    return found


# What making a letter changes (_make_and_store and generate_letter), saved alone.
MADE_FIELDS = [
    "dated",
    "file",
    "subject",
    "sha256",
    "size",
    "pages",
    "generated_at",
    "status",
    "failure",
]


def _make_and_store(letter, shared=None):
    """Render the letter's PDF, store it and set its checksum, size, pages and subject (not
    saved). Returns the stored file's name."""
    subject, html = render_letter_html(letter, shared)
    pdf, pages = render_pdf(html)
    letter.file.save(f"{letter.reference}.pdf", ContentFile(pdf), save=False)
    letter.subject = subject[:255]
    letter.sha256 = hashlib.sha256(pdf).hexdigest()
    letter.size = len(pdf)
    letter.pages = pages
    letter.generated_at = timezone.now()
    return letter.file.name


def _as_made(letter):
    """What a made letter is now: its file and the facts about it, as a version keeps them."""
    return {
        "file": letter.file.name,
        "sha256": letter.sha256,
        "size": letter.size,
        "pages": letter.pages,
        "subject": letter.subject,
        "dated": letter.dated,
        "generated_at": letter.generated_at,
    }


def keep_version(*, letter, reason, actor=None, made=None):
    """Keep the letter's made PDF (or `made`, what it was, from _as_made) in its history, with
    its checksum, and who replaced it and when. The file stays where it is; the letter gets a
    new one when it is made again."""
    return LetterVersion.objects.create(
        letter=letter, reason=reason, replaced_by=actor, **(made or _as_made(letter))
    )


def _redate(letter, today):
    """A letter made on an earlier day than it is sent: made anew with the date it is sent,
    so that its date, the office's name on that date and the appeal deadline are right; the
    version made earlier is kept in its history. Raises when it cannot be made, changing
    nothing."""
    made = _as_made(letter)
    letter.dated = today
    try:
        _make_and_store(letter)
    except Exception:
        letter.dated = made["dated"]
        letter.file = made["file"]
        raise
    letter.save()
    version = keep_version(letter=letter, reason=LetterVersion.Reason.REDATED, made=made)
    before = {"dated": made["dated"].isoformat(), "sha256": made["sha256"]}
    record(
        actor=None,
        action="letter.redated",
        obj=letter,
        before=before,
        after={"dated": today.isoformat(), "sha256": letter.sha256, "version": version.pk},
    )


def mark_failed(*, letter_id, reason):
    """Give up on a letter after its retries, with the reason."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().filter(pk=letter_id).first()
        if letter is not None and letter.status == Letter.Status.PENDING:
            _fail(letter, None, reason)
    return letter


def not_under_way(letter):
    """Why the letter is not being made or sent although it should be, or "" when it is."""
    if letter.status == Letter.Status.PENDING and letter.failure:
        return letter.failure
    if letter.status == Letter.Status.GENERATED and letter.send_status == Letter.SendStatus.FAILED:
        return letter.send_error
    return ""


def note_not_queued(*, letter_id, reason):
    """Say why a waiting letter is not under way (its task could not be queued)."""
    Letter.objects.filter(pk=letter_id, status=Letter.Status.PENDING).update(failure=reason)


def note_not_sent(*, letter_id, reason):
    """Say why a made letter is not being sent (its sending could not be queued)."""
    Letter.objects.filter(pk=letter_id).exclude(send_status=Letter.SendStatus.SENT).update(
        send_status=Letter.SendStatus.FAILED, send_error=reason
    )


def _fail(letter, stored, reason):
    if stored:
        letter.file.storage.delete(stored)
    letter.file = ""
    letter.status = Letter.Status.FAILED
    letter.failure = reason
    letter.save(update_fields=["file", "status", "failure"])


def letter_recipients(letter):
    """The municipality's address, and the office's for a copy of Udir's decisions."""
    to = [letter.municipality.email] if letter.municipality.email else []
    office_email = letter.municipality.county.office.email
    cc = [office_email] if letter.kind in UDIR_KINDS and office_email else []
    return to, cc


def send_letter(*, letter_id):
    """E-mail a made letter with its PDF attached, once. A municipality without an e-mail
    address is marked as not possible to send, with the reason."""
    with transaction.atomic():
        letter = (
            Letter.objects.select_for_update(of=("self",))
            .select_related("municipality__county__office", "cohort")
            .filter(pk=letter_id)
            .first()
        )
        if (
            letter is None
            or letter.status != Letter.Status.GENERATED
            or letter.send_status == Letter.SendStatus.SENT
            or not letter.may_go
        ):
            return letter
        to, cc = letter_recipients(letter)
        if not to:
            letter.send_status = Letter.SendStatus.NOT_POSSIBLE
            letter.send_error = _("Kommunen har ingen e-postadresse i registeret.")
            letter.save(update_fields=["send_status", "send_error"])
            return letter
        today = timezone.localdate()
        if letter.dated is not None and letter.dated < today:
            try:
                _redate(letter, today)
            except Exception as error:  # a template fixed wrongly since: say so, send nothing
                letter.send_status = Letter.SendStatus.FAILED
                letter.send_error = _(
                    "Brevet måtte lages på nytt med utsendingsdatoen, men det gikk ikke: %(error)s"
                ) % {"error": error}
                letter.save(update_fields=["send_status", "send_error"])
                return letter
        with translation.override(letter.language):
            body = render_to_string("letters/email_body.txt", {"letter": letter})
        message = EmailMessage(subject=letter.subject, body=body, to=to, cc=cc)
        with letter.file.open("rb") as handle:
            message.attach(f"{letter.reference}.pdf", handle.read(), "application/pdf")
        failure = None
        try:
            message.send()
        except OSError as error:
            failure = error
            letter.send_status = Letter.SendStatus.FAILED
            letter.send_error = str(error)
            letter.save(update_fields=["send_status", "send_error"])
        else:
            letter.send_status = Letter.SendStatus.SENT
            letter.send_error = ""
            letter.sent_at = timezone.now()
            letter.sent_to = ", ".join(to + cc)
            letter.save(update_fields=["send_status", "send_error", "sent_at", "sent_to"])
            letter_sent.send(sender=Letter, letter=letter)
    if failure is not None:
        raise failure  # recorded above; the task retries with back-off
    return letter


def send_test_letter(*, letter_id, to):
    """E-mail a made letter to one person's own address, as a test: marked as a test in its
    subject and text, and not counted as sent. Returns the address, or None when the letter
    is not made."""
    letter = Letter.objects.select_related("municipality").filter(pk=letter_id).first()
    if letter is None or letter.status != Letter.Status.GENERATED:
        return None
    with translation.override(letter.language):
        subject = _("Test: %(subject)s") % {"subject": letter.subject}
        body = (
            _(
                "Dette er en test. Brevet er ikke sendt til %(municipality)s kommune; det går "
                "først når noen trykker «Send alle» eller «Send»."
            )
            % {"municipality": letter.municipality.name}
            + "\n\n"
            + render_to_string("letters/email_body.txt", {"letter": letter})
        )
    message = EmailMessage(subject=subject, body=body, to=[to])
    with letter.file.open("rb") as handle:
        message.attach(f"{letter.reference}.pdf", handle.read(), "application/pdf")
    message.send()
    return to


def batch_progress(batch):
    """How far a batch has come, in one query: total, made, failed, still waiting, ready in
    the outbox (made, waiting for a person to send it) and sent."""
    made = Q(status=Letter.Status.GENERATED)
    counts = batch.letters.aggregate(
        total=Count("pk"),
        generated=Count("pk", filter=made),
        failed=Count("pk", filter=Q(status=Letter.Status.FAILED)),
        pending=Count("pk", filter=Q(status=Letter.Status.PENDING)),
        ready=Count("pk", filter=made & Q(held=True, released_at=None)),
        sending=Count(
            "pk",
            filter=made
            & (Q(held=False) | Q(released_at__isnull=False))
            & ~Q(send_status=Letter.SendStatus.SENT),
        ),
        sent=Count("pk", filter=Q(send_status=Letter.SendStatus.SENT)),
    )
    counts["done"] = counts["total"] - counts["pending"]
    return counts


def batch_state(batch, progress):
    """What the batch page says the batch is doing: being made, ready to send, being sent or
    sent."""
    if progress["pending"] or batch.finished_at is None:
        return _("Lages")
    if progress["ready"]:
        return _("Klar til utsending")
    if progress["sending"]:
        return _("Sendes")
    if progress["sent"]:
        return _("Sendt")
    return _("Ferdig")


def finish_batch(*, batch_id):
    """When no letter of the batch is waiting any more, put all made letters in one ZIP."""
    with transaction.atomic():
        batch = LetterBatch.objects.select_for_update().get(pk=batch_id)
        if batch.finished_at or batch.letters.filter(status=Letter.Status.PENDING).exists():
            return batch
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            # A letter replaced by one made since is left out: the ZIP holds what is valid.
            for letter in (
                batch.letters.filter(status=Letter.Status.GENERATED)
                .exclude(replacement__status=Letter.Status.GENERATED)
                .select_related("municipality")
            ):
                suffix = f"-erstatning-{letter.pk}" if letter.replaces_id else ""
                with letter.file.open("rb") as handle:
                    archive.writestr(
                        f"{letter.municipality.number}-{letter.municipality.name}-"
                        f"{letter.reference}{suffix}.pdf",
                        handle.read(),
                    )
        batch.zip_file.save(f"brev-{batch.pk}.zip", ContentFile(buffer.getvalue()), save=False)
        batch.finished_at = timezone.now()
        batch.save(update_fields=["zip_file", "finished_at"])
    return batch


DECISIONS_NOT_QUEUED = "letters.decisions_not_queued"


def decision_letters_waiting_reason(cohort):
    """Why a published cohort's decision letters have not been started, or "" when they have
    (or the cohort is not published)."""
    publication = Publication.objects.filter(cohort=cohort).first()
    if (
        publication is None
        or LetterBatch.objects.filter(purpose=LetterBatch.Purpose.DECISIONS, cohort=cohort).exists()
    ):
        return ""
    event = latest_event(obj=publication, actions=[DECISIONS_NOT_QUEUED])
    return event.after["reason"] if event is not None else ""


OFFICE_NOTICES = ("freed", "promoted")


def email_office(*, participation_id, notice):
    """Tell the office by e-mail that one of its places became free, or that Udir took a
    reserve into it, in the office's målform (its written standard for letters). Returns the
    addresses written to ([] when the office has none)."""
    participation = (
        Participation.objects.select_related(
            "place__office", "place__cohort", "application__municipality"
        )
        .filter(pk=participation_id)
        .first()
    )
    if participation is None or notice not in OFFICE_NOTICES:
        return []
    office = participation.place.office
    if not office.email:
        return []
    with translation.override(office.default_written_standard):
        values = {
            "municipality": participation.application.municipality.name,
            "cohort": participation.place.cohort.name,
            "leaving": participation.written_leaving(),
            "reason": participation.reason,
            "deadline": _date(settlement.answer_deadline(participation)),
            "url": settings.SITE_URL
            + reverse("selection:places", args=[participation.place.cohort_id]),
        }
        if notice == "freed":
            subject = _("%(municipality)s deltar ikke i %(cohort)s: en plass er ledig") % values
            body = (
                _(
                    "%(municipality)s deltar ikke i %(cohort)s: %(leaving)s.\n\nBegrunnelse: "
                    "%(reason)s\n\nUdir avgjør om plassen går til neste reserve i embetets "
                    "rangering: %(url)s"
                )
                % values
            )
        else:
            subject = _("%(municipality)s er tatt opp fra reservelisten i %(cohort)s") % values
            body = (
                _(
                    "Udir har tatt opp %(municipality)s fra reservelisten i %(cohort)s. Kommunen har "
                    "fått vedtaksbrevet og skal svare innen %(deadline)s.\n\n%(url)s"
                )
                % values
            )
    EmailMessage(subject=subject, body=body, to=[office.email]).send()
    return [office.email]
