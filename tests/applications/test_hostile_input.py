"""Invalid values posted to every field of every part of the application: never an error page,
always a Norwegian error summary that links to the field, and nothing saved."""

import html as html_lib

import pytest
from django import forms
from django.urls import reverse

from applications.models import Application, ApplicationKindergarten
from applications.sections import EDITABLE
from laeringsmiljo.audit import AuditEvent
from laeringsmiljo.models import OwnerKind
from tests.applications.factories import complete_application
from tests.factories import KindergartenFactory, municipality_user
from tests.signin import sign_in

NUL = "Postboks\x00 1"
# Longer than any field takes.
LONG = "Lang tekst " * 500


@pytest.fixture
def application(db):
    """A draft with a school, a public and a private kindergarten: every field of every part
    is on its page."""
    application = complete_application()
    ApplicationKindergarten.objects.create(
        application=application,
        kindergarten=KindergartenFactory(
            municipality=application.municipality, owner_kind=OwnerKind.PRIVATE
        ),
    )
    return application


def _forms_of(built):
    for item in built.values():
        if hasattr(item, "forms"):
            yield item.management_form
            yield from item.forms
        else:
            yield item


def page_data(built):
    """What the browser posts for the forms as they are shown."""
    data = {}
    for form in _forms_of(built):
        for field in form:
            value = field.value()
            if isinstance(field.field.widget, forms.CheckboxInput):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(getattr(v, "pk", v)) for v in value]
            else:
                data[field.html_name] = "" if value is None else str(value)
    return data


def visible_fields(slug, application):
    """(html name, anchor) of every field a person fills in on the part's page."""
    fields = []
    for form in _forms_of(EDITABLE[slug].build(application)):
        for field in form:
            widget = field.field.widget
            if widget.is_hidden or isinstance(widget, forms.CheckboxInput):
                continue
            anchor = field.auto_id
            if isinstance(widget, forms.RadioSelect):
                anchor = f"{field.auto_id}_0"
            fields.append((field.html_name, anchor))
    return fields


def _cases(invalid_values):
    return [
        pytest.param(slug, value, id=f"{slug}-{name}")
        for slug in EDITABLE
        for name, value in invalid_values.items()
    ]


def _post_each_field(client, application, slug, value):
    url = reverse("applications:section", args=[application.pk, slug])
    fields = visible_fields(slug, application)
    assert fields
    baseline = page_data(EDITABLE[slug].build(application))
    for name, anchor in fields:
        response = client.post(url, {**baseline, name: value})
        page = html_lib.unescape(response.content.decode())
        assert response.status_code == 200, (name, response.status_code)
        assert 'id="feilsammendrag"' in page, name
        assert "feil i skjemaet" in page, name
        assert f'href="#{anchor}"' in page, name
    return len(fields)


@pytest.mark.parametrize(("slug", "value"), _cases({"nul": NUL, "lang": LONG}))
def test_an_invalid_value_in_any_field_of_any_part_gives_an_error_summary_and_saves_nothing(
    client, application, slug, value
):
    sign_in(client, municipality_user(application.municipality))
    before = Application.objects.get(pk=application.pk)
    events = AuditEvent.objects.count()

    _post_each_field(client, application, slug, value)

    after = Application.objects.get(pk=application.pk)
    assert after.revisions == before.revisions == {}
    assert after.updated_at == before.updated_at
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("slug", list(EDITABLE))
def test_a_nul_byte_in_a_hidden_field_never_gives_an_error_page(client, application, slug):
    sign_in(client, municipality_user(application.municipality))
    url = reverse("applications:section", args=[application.pk, slug])
    built = EDITABLE[slug].build(application)
    baseline = page_data(built)
    hidden = [
        field.html_name
        for form in _forms_of(built)
        for field in form
        if field.field.widget.is_hidden
    ]
    assert "revision" in hidden
    for name in hidden:
        response = client.post(url, {**baseline, name: NUL})
        assert response.status_code == 200, name
    assert Application.objects.get(pk=application.pk).revisions == {}


def test_a_nul_byte_in_the_postal_address_names_the_field(client, application):
    sign_in(client, municipality_user(application.municipality))
    url = reverse("applications:section", args=[application.pk, "kontakt"])
    baseline = page_data(EDITABLE["kontakt"].build(application))
    response = client.post(url, {**baseline, "postal_address": NUL})
    page = html_lib.unescape(response.content.decode())
    assert response.status_code == 200
    assert '<a href="#id_postal_address">Kommunens postadresse: «Kommunens postadresse» ' in page


def test_a_nul_byte_in_an_attachments_description_gives_an_error_summary(client, application):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.applications.factories import pdf_bytes

    sign_in(client, municipality_user(application.municipality))
    response = client.post(
        reverse("applications:attachments", args=[application.pk]),
        {
            "revision": 0,
            "description": NUL,
            "file": SimpleUploadedFile("plan.pdf", pdf_bytes(), "application/pdf"),
        },
    )
    page = html_lib.unescape(response.content.decode())
    assert response.status_code == 200
    assert '<a href="#id_description">Beskrivelse: «Beskrivelse» har et usynlig tegn' in page
    assert not application.attachments.exists()
