"""The Content-Security-Policy in the browser: the admin's own scripts (calendars, related-object
and autocomplete widgets, the letter preview) and the pages new with it run without a single
console error; the page fixture fails a test on any console error, so a violation anywhere in the
other walks fails them too."""

import pytest

from applications import services
from laeringsmiljo.models import Cohort
from selection.models import LetterTemplate
from tests.applications.factories import complete_application
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def test_the_admin_works_under_the_policy(site, scenario):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    site.login(admin.username, "passord-for-test")
    assert site.path == "/admin/"
    page = site.page

    # A change form with a calendar: the widget's JavaScript opens it and picks a day.
    cohort = Cohort.objects.get()
    site.visit(f"/admin/laeringsmiljo/cohort/{cohort.pk}/change/")
    page.locator("#calendarlink0").click()
    assert page.locator("#calendarbox0").is_visible()
    page.locator("#calendarbox0 .calendarnav-next").click()
    page.locator("#calendarbox0 td a").first.click()
    assert not page.locator("#calendarbox0").is_visible()

    # An application's change form: autocomplete (select2) and inlines.
    application = complete_application(
        cohort=cohort, municipality=scenario.municipality, schedule=False
    )
    site.visit(f"/admin/applications/application/{application.pk}/change/")
    page.locator(".select2-selection").first.click()
    page.locator(".select2-search__field").fill("Fjord")
    page.locator(".select2-results__option").first.wait_for()
    page.keyboard.press("Escape")

    # Lists with filters and actions, the user form, and the letter preview.
    for path in [
        "/admin/applications/application/?status__exact=utkast",
        "/admin/laeringsmiljo/auditevent/",
        "/admin/auth/user/add/",
        "/admin/selection/lettertemplate/",
    ]:
        assert site.visit(path) == 200, path
    invitation = scenario.invite()
    template = LetterTemplate.objects.filter(kind="invitation").first()
    site.visit(f"/admin/selection/lettertemplate/{template.pk}/forhandsvis/")
    page.locator("#sak").select_option(f"i{invitation.pk}")
    site.click_button("Vis brevet")
    assert "Fjordvik kommune" in page.locator("address.recipient").inner_text()


def test_withdrawing_and_asking_for_help_under_the_policy(site, scenario):
    scenario.invite()
    application = complete_application(
        cohort=scenario.cohort, municipality=scenario.municipality, schedule=False
    )
    site.log_in_as("municipality")
    site.visit(f"/soknader/{application.pk}/")
    site.click_button("Be embetet om hjelp")
    assert site.alerts()[0] == f"{scenario.office.name} kan nå lese utkastet og vedleggene."
    site.check("soknad-delt")
    site.click_button("Slutt å dele utkastet")
    services.submit(application=application, actor=scenario.users["municipality"])
    site.visit(f"/soknader/{application.pk}/")
    site.click_link("Trekk søknaden for å endre den")
    assert site.h1() == "Trekk søknaden tilbake?"
    site.check("trekk-soknaden")
    site.click_button("Ja, trekk søknaden")
    assert site.path == f"/soknader/{application.pk}/"
    assert site.alerts()[0].startswith("Søknaden er trukket tilbake")
