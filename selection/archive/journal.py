"""The journal: a case file per municipality in a cohort, and a journal post, once, for each
document received (the submitted application as a PDF made from its summary, and its
attachments) and each letter sent. The public titles name the municipality and the kind of
document, never a person: the names in an application are exempt from public access."""

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications import commitments
from applications.models import Application
from laeringsmiljo.audit import record
from selection.archive.models import CaseFile, JournalPost
from selection.letters.models import Letter
from selection.letters.pdf import render_pdf

# Titles are stored as the archive keeps them, in the authority's bokmål.
ARCHIVE_LANGUAGE = "nb"


def _case_title(cohort, municipality):
    return _("Søknad om deltakelse i Læringsmiljøprosjektet, %(cohort)s – %(municipality)s") % {
        "cohort": cohort.name,
        "municipality": municipality.name,
    }


def case_file_for(*, cohort, municipality, application=None, at=None):
    """The municipality's case file in the cohort, made the first time it is needed, and linked
    to its application once there is one."""
    at = at or timezone.now()
    case_file = CaseFile.objects.filter(cohort=cohort, municipality=municipality).first()
    if case_file is None:
        with translation.override(ARCHIVE_LANGUAGE):
            title = _case_title(cohort, municipality)
        try:
            with transaction.atomic():
                case_file = CaseFile.objects.create(
                    cohort=cohort,
                    municipality=municipality,
                    application=application,
                    office_id=municipality.county.office_id,
                    year=timezone.localtime(at).year,
                    title=title,
                    public_title=title,
                    created_at=at,
                )
        except IntegrityError:  # made by another worker at the same moment
            case_file = CaseFile.objects.get(cohort=cohort, municipality=municipality)
    if application is not None and case_file.application_id is None:
        CaseFile.objects.filter(pk=case_file.pk, application=None).update(application=application)
        case_file.application = application
    return case_file


def _add_post(*, case_file, source_key, fields, actor=None):
    """The post for `source_key`, created once under a lock on the case file (which numbers
    its posts); None when it was there already."""
    own_title = fields.pop("own_title", "")
    with transaction.atomic():
        locked = CaseFile.objects.select_for_update().get(pk=case_file.pk)
        if JournalPost.objects.filter(source_key=source_key).exists():
            return None
        post = JournalPost(
            case_file=locked, source_key=source_key, number=locked.posts.count() + 1, **fields
        )
        with translation.override(ARCHIVE_LANGUAGE):
            post.public_title = post.public_title_now()[:255]
        title = f"{post.public_title}: {own_title}" if own_title else post.public_title
        post.title = title[:255]
        post.save()
        record(
            actor=actor,
            action="journal.post_added",
            obj=post,
            after={"source": source_key, "sha256": post.sha256, "direction": post.direction},
        )
    return post


def _digest(handle):
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: handle.read(1 << 16), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def application_key(application):
    return f"soknad:{application.pk}:{application.submission_count}"


def application_pdf(application):
    """The submitted application as a tagged PDF (PDF/UA-1) made from its summary, in the
    municipality's written standard."""
    schools = list(application.schools.select_related("school"))
    kindergartens = list(
        application.kindergartens.select_related("kindergarten").prefetch_related("feeds__school")
    )
    language = "nn" if application.municipality.written_standard == "nn" else ARCHIVE_LANGUAGE
    with translation.override(language):
        title = _("Søknad fra %(municipality)s") % {"municipality": application.municipality.name}
        html = render_to_string(
            "archive/application.html",
            {
                "language": language,
                "title": title,
                "application": application,
                "schools": schools,
                "kindergartens": kindergartens,
                "commitment_rows": commitments.overview(application, schools, kindergartens),
                "attachments": list(application.attachments.all()),
            },
        )
    return render_pdf(html)[0]


def journal_submission(*, application_id):
    """Journal a submitted application: the application as a PDF and each attachment, each
    once (a second call, or a retried task, adds nothing). Returns the posts added."""
    application = (
        Application.objects.select_related("cohort", "municipality__county", "ppt_service")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not application.submission_count or not application.submitted_at:
        return []
    case_file = case_file_for(
        cohort=application.cohort,
        municipality=application.municipality,
        application=application,
        at=application.submitted_at,
    )
    municipality = application.municipality
    received = application.submitted_at
    day = timezone.localdate(received)
    added = []
    key = application_key(application)
    if not JournalPost.objects.filter(source_key=key).exists():
        content = application_pdf(application)
        name = default_storage.save(
            f"journal/{application.cohort_id}/{uuid.uuid4().hex}.pdf", ContentFile(content)
        )
        post = _add_post(
            case_file=case_file,
            source_key=key,
            actor=application.submitted_by,
            fields={
                "source": JournalPost.Source.APPLICATION,
                "direction": JournalPost.Direction.INCOMING,
                "reference": application.reference,
                "year": day.year,
                "journal_date": day,
                "document_date": day,
                "correspondent": municipality,
                "file": name,
                "sha256": hashlib.sha256(content).hexdigest(),
                "size": len(content),
                "created_at": received,
            },
        )
        if post is None:  # journaled meanwhile by another worker
            default_storage.delete(name)
        else:
            added.append(post)
    for attachment in application.attachments.order_by("pk"):
        key = f"vedlegg:{attachment.pk}"
        if JournalPost.objects.filter(source_key=key).exists():
            continue
        with attachment.file.open("rb") as handle:
            sha256, size = _digest(handle)
        post = _add_post(
            case_file=case_file,
            source_key=key,
            actor=application.submitted_by,
            fields={
                "source": JournalPost.Source.ATTACHMENT,
                "direction": JournalPost.Direction.INCOMING,
                "reference": application.reference,
                # The file's own name may name a person: it is in the title, not the public one.
                "own_title": attachment.original_name,
                "year": day.year,
                "journal_date": day,
                "document_date": timezone.localdate(attachment.uploaded_at),
                "correspondent": municipality,
                "file": attachment.file.name,
                "sha256": sha256,
                "size": size,
                "created_at": received,
            },
        )
        if post is not None:
            added.append(post)
    return added


def journal_letter(*, letter):
    """Journal a letter that was sent (utgående), once, with the checksum it was made with.
    Called in the transaction that marks it sent."""
    if letter.send_status != Letter.SendStatus.SENT or not letter.file:
        return None
    key = f"brev:{letter.pk}"
    if JournalPost.objects.filter(source_key=key).exists():
        return None
    application = (
        letter.application
        or Application.objects.filter(
            cohort_id=letter.cohort_id, municipality_id=letter.municipality_id
        ).first()
    )
    sent = letter.sent_at or timezone.now()
    case_file = case_file_for(
        cohort=letter.cohort,
        municipality=letter.municipality,
        application=application,
        at=sent,
    )
    day = timezone.localdate(sent)
    return _add_post(
        case_file=case_file,
        source_key=key,
        actor=letter.released_by,
        fields={
            "source": JournalPost.Source.LETTER,
            "direction": JournalPost.Direction.OUTGOING,
            "reference": letter.reference,
            "letter_kind": letter.kind,
            "own_title": letter.subject,
            "year": day.year,
            "journal_date": day,
            "document_date": letter.dated or day,
            "correspondent": letter.municipality,
            "file": letter.file.name,
            "sha256": letter.sha256,
            "size": letter.size or 0,
            "created_at": sent,
        },
    )


def backfill(*, cohort=None):
    """Journal what was submitted and sent before the journal existed (safe to run again).
    Returns how many posts were added."""
    applications = Application.objects.filter(submission_count__gt=0, submitted_at__isnull=False)
    sent = Letter.objects.filter(send_status=Letter.SendStatus.SENT).select_related(
        "cohort", "municipality__county", "application", "released_by"
    )
    if cohort is not None:
        applications = applications.filter(cohort=cohort)
        sent = sent.filter(cohort=cohort)
    added = 0
    for application_id in applications.order_by("submitted_at", "pk").values_list("pk", flat=True):
        added += len(journal_submission(application_id=application_id))
    for letter in sent.order_by("sent_at", "pk"):
        with transaction.atomic():
            added += journal_letter(letter=letter) is not None
    return added
