import pytest
from django.urls import reverse

from applications.models import Application
from tests.applications.factories import ApplicationFactory
from tests.factories import KindergartenFactory, SchoolFactory, municipality_user
from tests.signin import sign_in


@pytest.fixture
def draft(db):
    return ApplicationFactory(contact_name="Opprinnelig", contact_email="a@b.example")


@pytest.fixture
def owner(client, draft):
    sign_in(client, municipality_user(draft.municipality))
    return client


def _contact(**overrides):
    return {
        "revision": 0,
        "contact_name": "Kari Nordmann",
        "contact_role": "Rådgiver",
        "contact_email": "kari@kommune.example",
        "contact_phone": "22 33 44 55",
        "postal_address": "Postboks 1",
        **overrides,
    }


def _url(application, slug):
    return reverse("applications:section", args=[application.pk, slug])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_email", "kari@", "Skriv en gyldig e-postadresse, som navn@kommune.no."),
        ("contact_phone", "ring meg", "Skriv telefonnummeret med siffer"),
        ("contact_phone", "123", "Skriv telefonnummeret med siffer"),
    ],
)
def test_an_invalid_contact_field_keeps_what_was_typed_and_saves_nothing(
    owner, draft, field, value, message
):
    response = owner.post(_url(draft, "kontakt"), _contact(**{field: value}))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="feilsammendrag"' in html
    assert f'href="#id_{field}"' in html
    assert message in html
    assert 'value="Kari Nordmann"' in html  # the valid fields typed are kept too
    draft.refresh_from_db()
    assert draft.contact_name == "Opprinnelig"
    assert draft.revisions == {}


def test_a_valid_section_is_saved_and_its_revision_counted(owner, draft):
    response = owner.post(_url(draft, "kontakt"), _contact())
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.contact_name, draft.contact_phone) == ("Kari Nordmann", "22 33 44 55")
    assert draft.revisions == {"kontakt": 1}


def test_save_and_next_goes_to_the_next_section(owner, draft):
    response = owner.post(_url(draft, "kontakt"), {**_contact(), "neste": ""})
    assert response["Location"] == _url(draft, "skoler")


def test_a_stale_save_is_refused_and_shows_what_to_do(client, draft):
    first, second = municipality_user(draft.municipality), municipality_user(draft.municipality)
    sign_in(client, first)
    assert client.post(_url(draft, "kontakt"), _contact(contact_name="Første")).status_code == 302
    sign_in(client, second)
    response = client.post(_url(draft, "kontakt"), _contact(contact_name="Andre"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Noen andre har lagret denne delen etter at du åpnet den." in html
    assert "Lagret nå:" in html and "Første" in html
    assert 'value="Andre"' in html
    draft.refresh_from_db()
    assert draft.contact_name == "Første"
    # Saving again, knowingly, keeps the second user's version.
    again = client.post(_url(draft, "kontakt"), _contact(contact_name="Andre", revision=1))
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.contact_name == "Andre"


def test_an_unknown_school_id_is_refused(owner, draft):
    school = SchoolFactory(municipality=draft.municipality)
    response = owner.post(_url(draft, "skoler"), {"revision": 0, "schools": [school.pk, 987654]})
    assert response.status_code == 200
    assert "Skolen med id 987654 finnes ikke blant kommunens skoler." in response.content.decode()
    assert not draft.schools.exists()


def test_a_school_from_another_municipality_is_refused(owner, draft):
    elsewhere = SchoolFactory()
    response = owner.post(_url(draft, "skoler"), {"revision": 0, "schools": [elsewhere.pk]})
    assert response.status_code == 200
    assert (
        f"Skolen med id {elsewhere.pk} finnes ikke blant kommunens skoler."
        in response.content.decode()
    )
    assert not draft.schools.exists()


def test_a_kindergarten_from_another_municipality_is_refused(owner, draft):
    elsewhere = KindergartenFactory()
    response = owner.post(
        _url(draft, "barnehager"),
        {
            "revision": 0,
            "kindergartens": [elsewhere.pk],
            "lenker-TOTAL_FORMS": 0,
            "lenker-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "finnes ikke blant kommunens barnehager" in response.content.decode()
    assert not draft.kindergartens.exists()


def test_removing_a_school_removes_it_from_the_application(owner, draft):
    a, b = (
        SchoolFactory(municipality=draft.municipality),
        SchoolFactory(municipality=draft.municipality),
    )
    owner.post(_url(draft, "skoler"), {"revision": 0, "schools": [a.pk, b.pk]})
    owner.post(_url(draft, "skoler"), {"revision": 1, "schools": [b.pk]})
    assert list(draft.schools.values_list("school", flat=True)) == [b.pk]


def test_a_feeder_link_to_a_school_that_is_not_participating_is_refused(owner, draft):
    kindergarten = KindergartenFactory(municipality=draft.municipality)
    owner.post(
        _url(draft, "barnehager"),
        {
            "revision": 0,
            "units": "0.0",
            "kindergartens": [kindergarten.pk],
            "lenker-TOTAL_FORMS": 0,
            "lenker-INITIAL_FORMS": 0,
        },
    )
    unit = draft.kindergartens.get()
    other_application_school = ApplicationFactory().schools.create(school=SchoolFactory())
    response = owner.post(
        _url(draft, "barnehager"),
        {
            "revision": 1,
            "units": "0.1",
            "kindergartens": [kindergarten.pk],
            "lenker-TOTAL_FORMS": 1,
            "lenker-INITIAL_FORMS": 1,
            "lenker-0-id": unit.pk,
            "lenker-0-feeds": [other_application_school.pk],
        },
    )
    assert response.status_code == 200
    assert "er ikke blant søknadens deltakende skoler" in response.content.decode()
    assert not unit.feeds.exists()


def test_a_session_that_timed_out_gives_back_what_was_typed_after_login(client, draft):
    user = municipality_user(draft.municipality)
    response = client.post(_url(draft, "kontakt"), _contact(contact_name="Skrevet før utlogging"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    draft.refresh_from_db()
    assert draft.contact_name == "Opprinnelig"
    login = client.post(
        response["Location"], {"username": user.username, "password": "passord-for-test"}
    )
    assert login["Location"] == _url(draft, "kontakt")
    page = client.get(login["Location"])
    html = page.content.decode()
    assert 'value="Skrevet før utlogging"' in html
    assert "Det er ikke lagret ennå" in html
    draft.refresh_from_db()
    assert draft.contact_name == "Opprinnelig"
    # Shown once: a fresh visit shows what is saved.
    assert 'value="Opprinnelig"' in client.get(_url(draft, "kontakt")).content.decode()


def test_an_unknown_section_answers_404(owner, draft):
    assert owner.get(_url(draft, "finnes-ikke")).status_code == 404


@pytest.mark.parametrize(
    "slug", ["kontakt", "skoler", "barnehager", "ppt", "forpliktelser", "motivasjon"]
)
def test_every_section_page_renders_with_one_h1_and_labels(owner, draft, slug):
    SchoolFactory(municipality=draft.municipality)
    response = owner.get(_url(draft, slug))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert Application.objects.get(pk=draft.pk).revisions == {}


def test_a_unit_removed_by_someone_else_does_not_lose_the_commitments_typed(client, draft):
    from applications.models import ApplicationKindergarten
    from applications.sections import units_token

    kept, removed = (KindergartenFactory(municipality=draft.municipality) for _ in range(2))
    units = [
        ApplicationKindergarten.objects.create(application=draft, kindergarten=k)
        for k in (kept, removed)
    ]
    opened_with = units_token(draft)
    # Someone else takes one kindergarten out of the application meanwhile.
    draft.revisions = {"barnehager": 1}
    draft.save()
    units[1].delete()
    sign_in(client, municipality_user(draft.municipality))
    data = {
        "revision": 0,
        "units": opened_with,
        "school_owner_name": "Ola Eier",
        "school_owner_role": "Kommunedirektør",
        "school_owner_confirmed": "on",
        "kindergarten_owner_name": "",
        "kindergarten_owner_role": "",
        "ppt_leader_name": "",
        "ppt_leader_role": "",
        "skoleledere-TOTAL_FORMS": 0,
        "skoleledere-INITIAL_FORMS": 0,
        "barnehageledere-TOTAL_FORMS": 2,
        "barnehageledere-INITIAL_FORMS": 2,
        "barnehageledere-0-id": units[0].pk,
        "barnehageledere-0-leader_name": "Siri Styrer",
        "barnehageledere-0-leader_role": "Styrer",
        "barnehageledere-1-id": removed.pk,
        "barnehageledere-1-leader_name": "Borte Styrer",
        "barnehageledere-1-leader_role": "Styrer",
    }
    response = client.post(_url(draft, "forpliktelser"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Skolene eller barnehagene i søknaden ble endret" in html
    assert 'value="Ola Eier"' in html and 'value="Siri Styrer"' in html
    draft.refresh_from_db()
    assert draft.school_owner_name == ""


@pytest.mark.parametrize(
    ("slug", "prefix"),
    [
        ("barnehager", "lenker"),
        ("forpliktelser", "skoleledere"),
        ("forpliktelser", "barnehageledere"),
        ("motivasjon", "skoler"),
        ("motivasjon", "barnehager"),
    ],
)
def test_a_forged_form_count_builds_no_more_forms_than_rows(owner, draft, slug, prefix):
    school = draft.schools.create(school=SchoolFactory(municipality=draft.municipality))
    draft.kindergartens.create(
        kindergarten=KindergartenFactory(municipality=draft.municipality)
    ).feeds.add(school)
    page = owner.get(_url(draft, slug))
    data = {
        "revision": 0,
        "units": page.context["form"]["units"].value()
        if "units" in page.context["form"].fields
        else "",
        f"{prefix}-TOTAL_FORMS": 1_000_000,
        f"{prefix}-INITIAL_FORMS": 1,
    }
    response = owner.post(_url(draft, slug), data)
    assert response.status_code == 200
    formset = next(
        v for v in response.context[0].flatten().values() if getattr(v, "prefix", None) == prefix
    )
    assert len(formset.forms) == 2  # the row, and one to refuse the count by
