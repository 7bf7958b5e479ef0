"""An upload past the limit is refused before it is stored: on its Content-Length before any of
the body is read, and while it streams before the chunk past the limit reaches the disk."""

import io
import os

import pytest
from django.urls import reverse
from pypdf import PdfWriter

from applications.models import Attachment
from tests.applications.factories import ApplicationFactory
from tests.factories import municipality_user
from tests.signin import sign_in

MB = 1024 * 1024
BOUNDARY = "grense1234"


class StreamedUpload:
    """A multipart body with one file, made while it is read, as a client sends it. It counts
    what the server read, and how much the upload folder held at most meanwhile."""

    def __init__(self, spool, file_bytes, *, content=None):
        self.spool = spool
        head = (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="revision"\r\n\r\n0\r\n'
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="file"; filename="stor.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.content = content
        self.file_bytes = len(content) if content is not None else file_bytes
        self.parts = [head, tail]
        self.length = len(head) + self.file_bytes + len(tail)
        self.position = 0
        self.read_bytes = 0
        self.most_on_disk = 0

    def _byte_source(self, start, size):
        head, tail = self.parts
        out = bytearray()
        end = start + size
        file_end = len(head) + self.file_bytes
        while start < end and start < self.length:
            if start < len(head):
                piece = head[start : min(end, len(head))]
            elif start < file_end:
                offset = start - len(head)
                count = min(end, file_end) - start
                if self.content is not None:
                    piece = self.content[offset : offset + count]
                else:
                    piece = (b"%PDF-1.7\n" if offset == 0 else b"") + b"0" * count
                    piece = piece[:count]
            else:
                offset = start - file_end
                piece = tail[offset : offset + (end - start)]
            out += piece
            start += len(piece)
        return bytes(out)

    def read(self, size=-1):
        if size is None or size < 0:
            size = self.length - self.position
        data = self._byte_source(self.position, size)
        self.position += len(data)
        self.read_bytes += len(data)
        self.most_on_disk = max(self.most_on_disk, self.on_disk())
        return data

    def readline(self, size=-1):
        return self.read(size)

    def on_disk(self):
        return sum(
            os.path.getsize(self.spool / name)
            for name in os.listdir(self.spool)
            if (self.spool / name).is_file()
        )


@pytest.fixture
def spool(settings, tmp_path):
    folder = tmp_path / "opplasting"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


@pytest.fixture
def draft(db):
    return ApplicationFactory()


@pytest.fixture
def owner(client, draft, settings):
    settings.DEBUG = False  # the 413 page as production shows it
    sign_in(client, municipality_user(draft.municipality))
    return client


def _post(client, draft, body, **environ):
    return client.generic(
        "POST",
        reverse("applications:attachments", args=[draft.pk]),
        **{
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            "CONTENT_LENGTH": str(body.length),
            "wsgi.input": body,
            **environ,
        },
    )


def _refused_as_too_large(response):
    html = response.content.decode()
    assert response.status_code == 413
    assert "<h1>Det du sendte, var for stort</h1>" in html
    assert "et vedlegg eller en fil kan være på høyst 10 MB" in html
    assert Attachment.objects.count() == 0


def test_a_body_past_the_limit_is_refused_on_its_content_length_before_it_is_read(
    owner, draft, spool
):
    body = StreamedUpload(spool, 30 * MB)
    response = _post(owner, draft, body)
    _refused_as_too_large(response)
    assert body.read_bytes == 0
    assert body.most_on_disk == 0
    assert os.listdir(spool) == []


def test_a_content_length_claiming_more_than_is_sent_is_refused_unread(owner, draft, spool):
    body = StreamedUpload(spool, 1 * MB)
    response = _post(owner, draft, body, CONTENT_LENGTH=str(300 * MB))
    _refused_as_too_large(response)
    assert body.read_bytes == 0
    assert os.listdir(spool) == []


def test_a_file_past_the_limit_is_stopped_while_it_streams(owner, draft, spool):
    # The body is within what the Content-Length check lets through; the file in it is not.
    body = StreamedUpload(spool, 10 * MB + 512 * 1024)
    response = _post(owner, draft, body)
    _refused_as_too_large(response)
    assert body.read_bytes < body.length
    assert body.most_on_disk <= 10 * MB
    assert os.listdir(spool) == []


def test_a_content_length_claiming_less_than_is_sent_reads_no_more(owner, draft, spool):
    body = StreamedUpload(spool, 30 * MB)
    response = _post(owner, draft, body, CONTENT_LENGTH=str(1 * MB))
    assert response.status_code < 500
    assert body.read_bytes <= 1 * MB
    assert Attachment.objects.count() == 0
    assert os.listdir(spool) == []


def test_a_body_without_content_length_is_not_read(owner, draft, spool):
    body = StreamedUpload(spool, 30 * MB)
    response = _post(owner, draft, body, CONTENT_LENGTH="")
    assert response.status_code == 200
    assert "Velg en PDF-fil å laste opp." in response.content.decode()
    assert body.read_bytes == 0
    assert Attachment.objects.count() == 0


def test_a_pdf_within_the_limit_is_uploaded_through_the_limit(owner, draft, spool):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("data.bin", os.urandom(9 * MB))
    pdf = io.BytesIO()
    writer.write(pdf)
    body = StreamedUpload(spool, None, content=pdf.getvalue())
    response = _post(owner, draft, body)
    assert response.status_code == 302
    assert Attachment.objects.get().size == len(pdf.getvalue())
    assert os.listdir(spool) == []
