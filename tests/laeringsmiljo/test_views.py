import pytest
from django.urls import reverse
from django.utils import timezone

from laeringsmiljo.models import Membership, Role
from selection.models import Invitation
from tests.factories import (
    GovernorOfficeFactory,
    MunicipalityFactory,
    OfficeScheduleFactory,
    UserFactory,
    municipality_user,
    office_user,
    udir_user,
)
from tests.signin import log_in, sign_in


def _login(client, user):
    return client.post(
        reverse("login"), {"username": user.username, "password": "passord-for-test"}
    )


@pytest.mark.parametrize(
    ("make_user", "start"),
    [
        (municipality_user, "municipality_start"),
        (office_user, "office_start"),
        (udir_user, "udir_start"),
    ],
)
def test_login_sends_each_role_to_its_start_page(client, db, make_user, start):
    user = make_user()
    location, _codes = log_in(client, user)
    assert location == "/"
    home = client.get(location)
    assert home.status_code == 302
    assert home["Location"] == reverse(start)
    assert client.get(home["Location"]).status_code == 200


def test_a_user_with_both_office_and_udir_roles_lands_on_udir(client, db):
    user = office_user()
    Membership.objects.create(user=user, role=Role.UDIR)
    sign_in(client, user)
    assert client.get(reverse("home"))["Location"] == reverse("udir_start")
    assert client.get(reverse("office_start")).status_code == 200


def test_a_user_without_a_role_is_told_how_to_get_access(client, db, settings):
    settings.SUPPORT_EMAIL = "brukerstotte@udir.example"
    user = UserFactory(username="ny.bruker")
    sign_in(client, user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "laeringsmiljo/no_role.html"
    page = response.content.decode()
    assert "Slik får du tilgang" in page
    assert "«ny.bruker»" in page
    assert 'href="mailto:brukerstotte@udir.example"' in page


def test_a_user_without_a_role_sees_the_same_page_after_logging_in(client, db):
    user = UserFactory()
    response = _login(client, user)
    assert response["Location"] == reverse("home")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Slik får du tilgang" in response.content.decode()


def test_a_wrong_password_gives_a_norwegian_message(client, db):
    user = UserFactory()
    response = client.post(reverse("login"), {"username": user.username, "password": "feil"})
    assert response.status_code == 200
    assert "Brukernavnet eller passordet er feil" in response.content.decode()


@pytest.mark.parametrize("name", ["municipality_start", "office_start", "udir_start"])
def test_start_pages_require_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("make_user", "forbidden"),
    [
        (municipality_user, ["office_start", "udir_start"]),
        (office_user, ["municipality_start", "udir_start"]),
        (udir_user, ["municipality_start", "office_start"]),
    ],
)
def test_start_pages_deny_other_roles_in_norwegian(client, db, make_user, forbidden):
    sign_in(client, make_user())
    for name in forbidden:
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert "Du har ikke tilgang til denne siden" in response.content.decode()


def test_municipality_start_shows_its_office_deadline(client, db):
    municipality = MunicipalityFactory()
    schedule = OfficeScheduleFactory(office=municipality.county.office)
    OfficeScheduleFactory(office=GovernorOfficeFactory())  # another office's cohort
    not_invited = OfficeScheduleFactory(office=municipality.county.office)  # not invited here
    Invitation.objects.create(cohort=schedule.cohort, municipality=municipality)
    assert not_invited.cohort != schedule.cohort
    sign_in(client, municipality_user(municipality))
    response = client.get(reverse("municipality_start"))
    assert [e["schedule"] for e in response.context["entries"]] == [schedule]
    days = (schedule.application_deadline - timezone.localdate()).days
    assert f"(om {days} dager)" in response.content.decode()


def test_office_start_shows_only_its_own_schedules(client, db):
    mine = OfficeScheduleFactory()
    OfficeScheduleFactory()
    sign_in(client, office_user(mine.office))
    response = client.get(reverse("office_start"))
    assert list(response.context["schedules"]) == [mine]


def test_unknown_url_gives_the_norwegian_404_page(client, db):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert "Fant ikke siden" in response.content.decode()


def test_layout_has_lang_skip_link_and_language_switch(client, db):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert '<html lang="nb">' in html
    assert 'href="#hovedinnhold"' in html
    assert 'name="language"' in html
    assert html.count("<h1") == 1


def test_language_switch_keeps_the_page(client, db):
    response = client.post(reverse("set_language"), {"language": "nn", "next": "/konto/logg-inn/"})
    assert response.status_code == 302
    assert response["Location"] == "/konto/logg-inn/"
    page = client.get("/konto/logg-inn/")
    assert '<html lang="nn">' in page.content.decode()
    assert "Gløymt passordet?" in page.content.decode()


def test_health_answers_ok(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_a_wrong_old_password_is_named_in_the_error_summary(client, db):
    user = UserFactory()
    sign_in(client, user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "feil", "new_password1": "et-nytt-passord-9", "new_password2": "x"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="feilsammendrag"' in page
    assert '<a href="#id_old_password">' in page
