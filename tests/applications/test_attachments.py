from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Attachment
from laeringsmiljo.models import AuditEvent
from tests.applications.factories import ApplicationFactory, pdf_bytes
from tests.factories import municipality_user
from tests.signin import sign_in


@pytest.fixture
def draft(db):
    return ApplicationFactory()


@pytest.fixture
def owner(client, draft):
    sign_in(client, municipality_user(draft.municipality))
    return client


def _upload(client, application, name, content, content_type="application/pdf"):
    return client.post(
        reverse("applications:attachments", args=[application.pk]),
        {"revision": 0, "file": SimpleUploadedFile(name, content, content_type), "description": ""},
    )


def test_a_pdf_is_stored_privately_with_its_checksum(owner, draft):
    import hashlib

    content = pdf_bytes(pages=2)
    response = _upload(owner, draft, "plan.pdf", content)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.size == len(content)
    path = Path(attachment.file.path)
    assert path.read_bytes() == content
    assert Path(settings.MEDIA_ROOT) in path.parents
    assert Path(settings.BASE_DIR / "static") not in path.parents
    download = owner.get(reverse("applications:attachment", args=[draft.pk, attachment.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == content
    assert AuditEvent.objects.filter(action="application.attachment_added").count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"Dette er bare tekst med feil filendelse.", "er ikke en PDF-fil"),
        ("bilde.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "er ikke en PDF-fil"),
        ("ødelagt.pdf", b"%PDF-1.7\nikke noe mer", "er ikke en PDF-fil"),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(
    owner, draft, name, content, message
):
    response = _upload(owner, draft, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Attachment.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_a_file_over_ten_megabytes_is_refused(owner, draft):
    content = pdf_bytes() + b"%" + b"0" * (10 * 1024 * 1024)
    response = _upload(owner, draft, "stor.pdf", content)
    assert response.status_code == 413
    assert "et vedlegg eller en fil kan være på høyst 10 MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_service_refuses_a_file_over_ten_megabytes_handed_to_it(draft):
    from applications.errors import ApplicationError
    from applications.services import check_pdf

    content = pdf_bytes() + b"%" + b"0" * (10 * 1024 * 1024)
    with pytest.raises(ApplicationError) as refused:
        check_pdf(SimpleUploadedFile("stor.pdf", content, "application/pdf"))
    assert refused.value.message == "Filen er 10,0 MB. Et vedlegg kan være på høyst 10 MB."


def test_no_file_gives_a_clear_message(owner, draft):
    response = owner.post(reverse("applications:attachments", args=[draft.pk]), {"revision": 0})
    assert "Velg en PDF-fil å laste opp." in response.content.decode()


def test_removing_an_attachment_deletes_the_file(owner, draft, django_capture_on_commit_callbacks):
    _upload(owner, draft, "plan.pdf", pdf_bytes())
    attachment = Attachment.objects.get()
    path = Path(attachment.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(reverse("applications:remove_attachment", args=[draft.pk, attachment.pk]))
    assert not Attachment.objects.exists()
    assert not path.exists()
