"""The journal: a submitted application (as a PDF of its summary, and its attachments) and each
letter sent get a journal post, once, in the municipality's case file, with a public title
that names no person."""

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from applications import services as application_services
from applications.models import Attachment
from laeringsmiljo.models import AuditEvent
from selection.archive import journal
from selection.models import CaseFile, JournalPost
from tests.applications.factories import complete_application, pdf_bytes
from tests.selection.archive.helpers import journaled_cohort

pytestmark = pytest.mark.django_db


def _file_sha(post):
    with post.file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_a_submission_is_journaled_once_with_its_attachments(django_capture_on_commit_callbacks):
    application = complete_application()
    application.contact_name = "Ola Kontaktperson"
    application.save()
    Attachment.objects.create(
        application=application,
        file=ContentFile(pdf_bytes(), name="plan.pdf"),
        original_name="Plan fra Ola Kontaktperson.pdf",
        size=len(pdf_bytes()),
    )
    with django_capture_on_commit_callbacks(execute=True):
        application_services.submit(application=application, actor=None)
    application.refresh_from_db()
    case_file = CaseFile.objects.get(application=application)
    posts = list(case_file.posts.order_by("number"))
    assert [(p.number, p.source, p.direction) for p in posts] == [
        (1, "soknad", "I"),
        (2, "vedlegg", "I"),
    ]
    name = application.municipality.name
    assert posts[0].public_title == f"Søknad {application.reference} fra {name}"
    assert posts[1].public_title == f"Vedlegg til søknad {application.reference} fra {name}"
    assert "Ola Kontaktperson" in posts[1].title
    for post in posts:
        assert "Ola" not in post.public_title
        assert post.correspondent == application.municipality
        assert _file_sha(post) == post.sha256
    with posts[0].file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF")
    # Again (a retried task, the backfill): nothing more.
    assert journal.journal_submission(application_id=application.pk) == []
    assert journal.backfill(cohort=application.cohort) == 0
    assert JournalPost.objects.count() == 2
    assert AuditEvent.objects.filter(action="journal.post_added").count() == 2


def test_each_letter_sent_is_journaled_once_as_outgoing(
    mailoutbox, django_capture_on_commit_callbacks
):
    made = journaled_cohort(django_capture_on_commit_callbacks)
    for letter in made.values():
        post = JournalPost.objects.get(source_key=f"brev:{letter.pk}")
        assert (post.direction, post.sha256, post.file.name) == (
            "U",
            letter.sha256,
            letter.file.name,
        )
        assert post.case_file.application == letter.application
        assert post.public_title.endswith(f"til {letter.municipality.name}")
        assert post.journal_date == timezone.localdate(letter.sent_at)
    assert journal.backfill(cohort=made["valgt"].cohort) == 0
    assert JournalPost.objects.filter(direction="U").count() == 3


def test_the_backfill_command_journals_what_came_before_once(django_capture_on_commit_callbacks):
    application = complete_application()
    application_services.submit(application=application, actor=None)  # the journal not told
    out = io.StringIO()
    call_command("journal_backfill", f"--pulje={application.cohort.number}", stdout=out)
    assert out.getvalue() == "1 journalposter lagt til.\n"
    call_command("journal_backfill", stdout=out)
    assert out.getvalue().endswith("0 journalposter lagt til.\n")
    with pytest.raises(CommandError, match="Det finnes ingen pulje med nummer 999."):
        call_command("journal_backfill", "--pulje=999")
