"""After the deadline the parts say so, show what is saved without a way to save, and refuse a
post without changing anything; the office can give the municipality a new deadline."""

import datetime
import html as html_lib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.errors import DeadlinePassed
from applications.models import Application, Attachment
from applications.sections import EDITABLE
from laeringsmiljo.models import AuditEvent, OfficeSchedule
from tests.applications.factories import complete_application, pdf_bytes
from tests.applications.test_hostile_input import page_data
from tests.factories import municipality_user, office_user
from tests.signin import sign_in

DEADLINE = datetime.date(2020, 2, 1)
PARTS = [*EDITABLE, "vedlegg"]


def _url(application, slug):
    if slug == "vedlegg":
        return reverse("applications:attachments", args=[application.pk])
    return reverse("applications:section", args=[application.pk, slug])


@pytest.fixture
def late(db):
    """A draft whose office's deadline, 1 February 2020, has passed."""
    application = complete_application()
    OfficeSchedule.objects.filter(cohort=application.cohort).update(
        invitation_date=DEADLINE - datetime.timedelta(days=30), application_deadline=DEADLINE
    )
    office = application.municipality.county.office
    office.name = "Fylkesmannen i Trøndelag"
    office.save()
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def owner(client, late):
    sign_in(client, municipality_user(late.municipality))
    return client


SAYS = (
    "Søknadsfristen var 1. februar 2020 kl. 23.59, så søknaden kan ikke endres eller sendes "
    "lenger. Trenger kommunen mer tid, kan dere be Fylkesmannen i Trøndelag om å gjenåpne "
    "søknaden med en ny frist."
)


@pytest.mark.parametrize("slug", PARTS)
def test_a_part_after_the_deadline_says_so_and_offers_no_saving(owner, late, slug):
    response = owner.get(_url(late, slug))
    page = html_lib.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Søknadsfristen er ute" in page
    assert SAYS in page
    assert "Lagre utkast" not in page and "Lagre og gå videre" not in page
    assert 'method="post"' not in page.split('id="hovedinnhold"', 1)[1].split("</main>")[0]
    if slug != "vedlegg":
        assert '<fieldset disabled class="m-0 p-0 border-0">' in page
    else:
        assert 'type="file"' not in page and ">Slett" not in page


@pytest.mark.parametrize("slug", list(EDITABLE))
def test_a_post_to_a_part_after_the_deadline_is_refused_and_changes_nothing(owner, late, slug):
    data = page_data(EDITABLE[slug].build(late))
    text_fields = [
        name for name, value in data.items() if name.endswith(("_name", "motivation_why"))
    ]
    for name in text_fields:
        data[name] = "Skrevet etter fristen"
    events = AuditEvent.objects.count()

    response = owner.post(_url(late, slug), data)
    page = html_lib.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Det du sendte, er ikke lagret." in page
    assert SAYS in page
    assert "Lagret." not in page
    saved = Application.objects.get(pk=late.pk)
    assert saved.revisions == {}
    assert saved.updated_at == late.updated_at
    assert AuditEvent.objects.count() == events


def test_an_upload_after_the_deadline_is_refused_and_stores_nothing(owner, late):
    response = owner.post(
        _url(late, "vedlegg"),
        {"revision": 0, "file": SimpleUploadedFile("plan.pdf", pdf_bytes(), "application/pdf")},
    )
    page = html_lib.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Det du sendte, er ikke lagret." in page and SAYS in page
    assert not Attachment.objects.exists()


def test_removing_an_attachment_after_the_deadline_is_refused(owner, late):
    attachment = Attachment(application=late, original_name="plan.pdf", size=1, sha256="0" * 64)
    attachment.file.save("vedlegg.pdf", ContentFile(pdf_bytes()))
    response = owner.post(
        reverse("applications:remove_attachment", args=[late.pk, attachment.pk]), follow=True
    )
    assert SAYS in html_lib.unescape(response.content.decode())
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert attachment.file.storage.exists(attachment.file.name)


def test_the_service_refuses_a_save_after_the_deadline(late):
    with pytest.raises(DeadlinePassed) as refused:
        services.save_section(
            application=late,
            section="kontakt",
            save=lambda locked: None,
            actor=None,
            expected_revision=0,
        )
    assert refused.value.message == SAYS
    assert Application.objects.get(pk=late.pk).revisions == {}


def test_the_office_gives_a_late_draft_a_new_deadline_and_the_municipality_saves_again(
    client, late
):
    # A draft never sent in is the municipality's own: it shares it by asking for help.
    services.ask_office_for_help(application=late, actor=None, asked=True)
    sign_in(client, office_user(late.municipality.county.office))
    detail = client.get(reverse("applications:detail", args=[late.pk])).content.decode()
    assert "Fristen er ute, og søknaden ble ikke sendt inn." in html_lib.unescape(detail)
    new_deadline = timezone.localdate() + datetime.timedelta(days=5)
    response = client.post(
        reverse("applications:reopen", args=[late.pk]), {"new_deadline": new_deadline.isoformat()}
    )
    assert response.status_code == 302
    reopened = Application.objects.get(pk=late.pk)
    assert (reopened.status, reopened.deadline_override) == ("utkast", new_deadline)
    assert AuditEvent.objects.filter(action="application.reopened").count() == 1

    sign_in(client, municipality_user(late.municipality))
    data = {**page_data(EDITABLE["kontakt"].build(reopened)), "contact_name": "Etter ny frist"}
    assert client.post(_url(late, "kontakt"), data).status_code == 302
    assert Application.objects.get(pk=late.pk).contact_name == "Etter ny frist"


def test_a_draft_whose_deadline_has_not_passed_needs_no_new_deadline(db):
    application = complete_application()
    with pytest.raises(services.ApplicationError):
        services.reopen(
            application=application,
            actor=None,
            new_deadline=timezone.localdate() + datetime.timedelta(days=40),
        )
    assert Application.objects.get(pk=application.pk).deadline_override is None
