"""A part with a row per school or kindergarten saves only the application's own rows: a row id
of another application, a repeated id or an extra row is refused, and nothing changes."""

import html as html_lib

import pytest
from django.urls import reverse

from applications.models import Application, ApplicationKindergarten, ApplicationSchool
from applications.sections import EDITABLE
from laeringsmiljo.audit import AuditEvent
from tests.applications.factories import complete_application
from tests.applications.test_hostile_input import page_data
from tests.factories import municipality_user
from tests.signin import sign_in

REFUSED = (
    "Skjemaet har en rad som ikke hører til skolene eller barnehagene i denne søknaden, så "
    "ingenting er lagret."
)

# (part, formset prefix, the row model, a field typed in the row)
ROW_PARTS = [
    ("forpliktelser", "skoleledere", ApplicationSchool, "leader_name"),
    ("forpliktelser", "barnehageledere", ApplicationKindergarten, "leader_name"),
    ("motivasjon", "skoler", ApplicationSchool, "motivation"),
    ("motivasjon", "barnehager", ApplicationKindergarten, "motivation"),
    ("barnehager", "lenker", ApplicationKindergarten, "challenges"),
]


@pytest.fixture
def mine(db):
    return complete_application()


@pytest.fixture
def theirs(db):
    return complete_application()


def _refused_and_unchanged(response, mine, theirs, model, field):
    page = html_lib.unescape(response.content.decode())
    assert response.status_code == 200
    assert 'id="feilsammendrag"' in page
    assert REFUSED in page
    assert "Lagret." not in page
    for application in (mine, theirs):
        saved = Application.objects.get(pk=application.pk)
        assert saved.revisions == {}
        assert saved.updated_at == application.updated_at
        row = model.objects.get(application=application)
        assert getattr(row, field) != "Hånd-redigert"
    assert AuditEvent.objects.filter(action__startswith="application.section_saved").count() == 0


@pytest.mark.parametrize(("slug", "prefix", "model", "field"), ROW_PARTS)
def test_a_row_id_of_another_application_is_refused_and_nothing_changes(
    client, mine, theirs, slug, prefix, model, field
):
    sign_in(client, municipality_user(mine.municipality))
    data = page_data(EDITABLE[slug].build(mine))
    data[f"{prefix}-0-id"] = str(model.objects.get(application=theirs).pk)
    data[f"{prefix}-0-{field}"] = "Hånd-redigert"
    response = client.post(reverse("applications:section", args=[mine.pk, slug]), data)
    _refused_and_unchanged(response, mine, theirs, model, field)


@pytest.mark.parametrize(("slug", "prefix", "model", "field"), ROW_PARTS)
def test_an_extra_row_beyond_the_applications_own_is_refused(
    client, mine, theirs, slug, prefix, model, field
):
    sign_in(client, municipality_user(mine.municipality))
    data = page_data(EDITABLE[slug].build(mine))
    data[f"{prefix}-TOTAL_FORMS"] = "2"
    data[f"{prefix}-1-id"] = ""
    data[f"{prefix}-1-{field}"] = "Hånd-redigert"
    response = client.post(reverse("applications:section", args=[mine.pk, slug]), data)
    _refused_and_unchanged(response, mine, theirs, model, field)


@pytest.mark.parametrize(("slug", "prefix", "model", "field"), ROW_PARTS)
def test_the_same_row_twice_is_refused(client, mine, theirs, slug, prefix, model, field):
    sign_in(client, municipality_user(mine.municipality))
    data = page_data(EDITABLE[slug].build(mine))
    data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "2"
    data[f"{prefix}-1-id"] = data[f"{prefix}-0-id"]
    data[f"{prefix}-1-{field}"] = "Hånd-redigert"
    response = client.post(reverse("applications:section", args=[mine.pk, slug]), data)
    _refused_and_unchanged(response, mine, theirs, model, field)


def test_the_rows_as_shown_are_saved(client, mine):
    sign_in(client, municipality_user(mine.municipality))
    data = page_data(EDITABLE["forpliktelser"].build(mine))
    data["skoleledere-0-leader_name"] = "Ny Rektor"
    response = client.post(reverse("applications:section", args=[mine.pk, "forpliktelser"]), data)
    assert response.status_code == 302
    assert mine.schools.get().leader_name == "Ny Rektor"
    assert Application.objects.get(pk=mine.pk).revisions == {"forpliktelser": 1}


@pytest.mark.parametrize(
    ("slug", "prefix", "field"),
    [
        ("forpliktelser", "barnehageledere", "leader_name"),
        ("motivasjon", "barnehager", "motivation"),
        ("barnehager", "lenker", "challenges"),
    ],
)
def test_after_a_unit_was_taken_out_meanwhile_the_page_shown_saves_what_was_typed(
    client, mine, slug, prefix, field
):
    from tests.factories import KindergartenFactory

    kept = mine.kindergartens.get()
    ApplicationKindergarten.objects.create(
        application=mine, kindergarten=KindergartenFactory(municipality=mine.municipality)
    )
    opened = page_data(EDITABLE[slug].build(mine))
    index = next(i for i in range(2) if opened[f"{prefix}-{i}-id"] == str(kept.pk))
    opened[f"{prefix}-{index}-{field}"] = "Skrevet av meg"
    # Someone else takes the other kindergarten out meanwhile.
    mine.kindergartens.exclude(pk=kept.pk).delete()
    mine.revisions = {"barnehager": 5}
    mine.save()
    if slug == "barnehager":
        opened["kindergartens"] = [str(kept.kindergarten_id)]
        opened["revision"] = "5"
    sign_in(client, municipality_user(mine.municipality))
    url = reverse("applications:section", args=[mine.pk, slug])

    conflict = client.post(url, opened)
    page = html_lib.unescape(conflict.content.decode())
    assert conflict.status_code == 200
    assert "Skolene eller barnehagene i søknaden ble endret" in page
    assert "Skrevet av meg" in page
    assert REFUSED not in page

    shown = page_data({name: conflict.context[name] for name in EDITABLE[slug].build(mine)})
    assert shown[f"{prefix}-TOTAL_FORMS"] == "1"
    again = client.post(url, shown)
    assert again.status_code == 302
    kept.refresh_from_db()
    assert getattr(kept, field) == "Skrevet av meg"
