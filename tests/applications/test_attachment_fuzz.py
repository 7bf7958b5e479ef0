"""Damaged PDFs through the real upload form: each is either stored as a readable PDF or
refused with the Norwegian message, never an error page."""

import random
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Attachment
from tests.applications.factories import ApplicationFactory
from tests.factories import municipality_user
from tests.signin import sign_in

NOT_PDF = "er ikke en PDF-fil. Lagre dokumentet som PDF og prøv igjen."


def pdf_from_objects(objects, *, root=1, info=None):
    """A PDF file of the given object bodies (numbered from 1), with its cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe6\xf8\xe5\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = b"/Root %d 0 R /Size %d" % (root, len(objects) + 1)
    if info:
        trailer += b" /Info %d 0 R" % info
    out += b"trailer\n<< " + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def small_pdf():
    """A one-page PDF with a compressed text stream, a font and document information."""
    text = zlib.compress(b"BT /F1 12 Tf 72 770 Td (Plan for arbeidet med laeringsmiljoet) Tj ET")
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(text) + text + b"\nendstream",
            b"<< /Title (Plan) /Producer (Kommunen) >>",
        ],
        info=6,
    )


def deep_page_tree_pdf(depth):
    """A PDF whose one page sits `depth` /Pages nodes down: pypdf stops at 100 levels with a
    LimitReachedError, which is not a PdfReadError."""
    nodes = [b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (n + 3) for n in range(depth)]
    return pdf_from_objects(
        [b"<< /Type /Catalog /Pages 2 0 R >>", *nodes, b"<< /Type /Page /MediaBox [0 0 595 842] >>"]
    )


def mutations(original, count, seed):
    """`count` deterministic damages of the file: flipped bytes, cuts and inserted bytes."""
    rng = random.Random(seed)
    for index in range(count):
        data = bytearray(original)
        kind = ("flip", "truncate", "insert", "delete", "flip")[index % 5]
        if kind == "flip":
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif kind == "truncate":
            del data[rng.randrange(len(data)) :]
        elif kind == "insert":
            at = rng.randrange(len(data))
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        else:
            at = rng.randrange(len(data))
            del data[at : at + rng.randint(1, 32)]
        yield f"{index}: {kind}", bytes(data)


@pytest.fixture
def owner(client, db):
    application = ApplicationFactory()
    sign_in(client, municipality_user(application.municipality))
    client.raise_request_exception = False
    return client, application


def _upload(client, application, content):
    return client.post(
        reverse("applications:attachments", args=[application.pk]),
        {
            "revision": 0,
            "file": SimpleUploadedFile("plan.pdf", content, "application/pdf"),
            "description": "",
        },
    )


def test_the_small_pdf_of_the_fuzz_test_is_accepted(owner):
    client, application = owner
    response = _upload(client, application, small_pdf())
    assert response.status_code == 302
    assert Attachment.objects.filter(application=application).count() == 1


def test_a_pdf_whose_page_tree_is_too_deep_is_refused_in_norwegian(owner):
    client, application = owner
    response = _upload(client, application, deep_page_tree_pdf(120))
    assert response.status_code == 200
    assert f"«plan.pdf» {NOT_PDF}" in response.content.decode()
    assert not Attachment.objects.exists()


def test_damaged_pdfs_are_stored_or_refused_never_an_error_page(owner):
    client, application = owner
    outcomes = {"stored": 0, "refused": 0}
    wrong = []
    for label, content in mutations(small_pdf(), 300, seed=10):
        response = _upload(client, application, content)
        if response.status_code == 302:
            outcomes["stored"] += 1
            # Stay below the limit of ten attachments, so every upload is judged by its content.
            Attachment.objects.all().delete()
        elif response.status_code == 200 and NOT_PDF in response.content.decode():
            outcomes["refused"] += 1
            assert not Attachment.objects.exists()
        else:
            wrong.append((label, response.status_code))
    assert wrong == []
    assert outcomes["stored"] + outcomes["refused"] == 300
    # The mutations reach both outcomes, so the test judges damaged files, not just noise.
    assert outcomes["stored"] > 0
    assert outcomes["refused"] > 0
