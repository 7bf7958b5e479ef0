"""Every download of personal data (an attachment, a letter, a batch's ZIP, the ranking and the
national selection as spreadsheets) tells browsers and proxies to keep no copy."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from applications.models import Attachment
from selection.letters.batches import start_invitation_letters
from selection.letters.outbox import send_batch
from selection.letters.services import keep_version
from selection.models import Invitation, Letter, LetterVersion
from tests.applications.factories import complete_application, pdf_bytes
from tests.factories import (
    MunicipalityFactory,
    OfficeScheduleFactory,
    municipality_user,
    office_user,
    udir_user,
)
from tests.selection.process.helpers import submitted_applications
from tests.signin import sign_in

PRIVATE = "private, no-store"


def _cache_control(response):
    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)
    return response["Cache-Control"]


def test_an_attachment_is_not_cached(client, db):
    application = complete_application()
    attachment = Attachment(
        application=application, original_name="plan.pdf", size=10, sha256="0" * 64
    )
    attachment.file.save("plan.pdf", ContentFile(pdf_bytes()), save=True)
    sign_in(client, municipality_user(application.municipality))
    response = client.get(reverse("applications:attachment", args=[application.pk, attachment.pk]))
    assert _cache_control(response) == PRIVATE


@pytest.fixture
def invitation_batch(db, django_capture_on_commit_callbacks):
    municipality = MunicipalityFactory()
    schedule = OfficeScheduleFactory(office=municipality.county.office)
    Invitation.objects.create(cohort=schedule.cohort, municipality=municipality)
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_invitation_letters(
            cohort=schedule.cohort, office=municipality.county.office, actor=None
        )
    with django_capture_on_commit_callbacks(execute=True):
        send_batch(batch=batch, actor=None)  # the municipality sees its letter once sent
    return batch


def test_a_letter_is_not_cached(client, invitation_batch):
    letter = invitation_batch.letters.get()
    assert letter.status == Letter.Status.GENERATED
    sign_in(client, municipality_user(letter.municipality))
    assert _cache_control(client.get(reverse("selection:letter", args=[letter.pk]))) == PRIVATE


def test_a_batch_zip_is_not_cached(client, invitation_batch):
    sign_in(client, office_user(invitation_batch.office))
    response = client.get(reverse("selection:batch_zip", args=[invitation_batch.pk]))
    assert _cache_control(response) == PRIVATE


def test_an_earlier_version_of_a_letter_is_not_cached(client, invitation_batch):
    letter = invitation_batch.letters.get()
    version = keep_version(letter=letter, reason=LetterVersion.Reason.REMADE)
    sign_in(client, office_user(invitation_batch.office))
    response = client.get(reverse("selection:letter_version", args=[version.pk]))
    assert _cache_control(response) == PRIVATE


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_ranking_export_is_not_cached(client, db, fmt):
    application = submitted_applications(2)[0]
    office = application.municipality.county.office
    sign_in(client, office_user(office))
    response = client.get(
        reverse("selection:ranking_export", args=[application.cohort.pk, office.pk, fmt])
    )
    assert _cache_control(response) == PRIVATE


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_national_export_is_not_cached(client, db, fmt):
    application = submitted_applications(2)[0]
    sign_in(client, udir_user())
    response = client.get(reverse("selection:national_export", args=[application.cohort.pk, fmt]))
    assert _cache_control(response) == PRIVATE
