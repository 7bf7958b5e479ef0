import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.errors import AlreadySubmitted, ApplicationError, DeadlinePassed, Incomplete
from applications.models import Application
from laeringsmiljo.models import AuditEvent, OfficeSchedule
from tests.applications.factories import ApplicationFactory, complete_application, oslo_time
from tests.factories import GovernorOfficeFactory, municipality_user, office_user, udir_user
from tests.signin import sign_in


def _set_deadline(application, day):
    OfficeSchedule.objects.filter(cohort=application.cohort).update(
        invitation_date=day - datetime.timedelta(days=30), application_deadline=day
    )


@pytest.mark.parametrize(
    ("deadline", "at", "accepted"),
    [
        # The whole deadline day counts, in Oslo time.
        (datetime.date(2026, 2, 1), oslo_time(2026, 2, 1, 23, 59), True),
        (datetime.date(2026, 2, 1), oslo_time(2026, 2, 2, 0, 0), False),
        # Summer time starts on 29 March 2026: the day has 23 hours.
        (datetime.date(2026, 3, 29), oslo_time(2026, 3, 29, 23, 59), True),
        (datetime.date(2026, 3, 29), oslo_time(2026, 3, 30, 0, 0), False),
        # Summer time ends on 25 October 2026: the day has 25 hours.
        (datetime.date(2026, 10, 25), oslo_time(2026, 10, 25, 23, 59), True),
        (datetime.date(2026, 10, 25), oslo_time(2026, 10, 26, 0, 0), False),
    ],
)
def test_the_deadline_boundary_is_midnight_oslo_time(db, deadline, at, accepted):
    application = complete_application()
    _set_deadline(application, deadline)
    user = municipality_user(application.municipality)
    if accepted:
        services.submit(application=application, actor=user, now=at)
        assert Application.objects.get(pk=application.pk).status == "sendt"
    else:
        with pytest.raises(DeadlinePassed):
            services.submit(application=application, actor=user, now=at)
        assert Application.objects.get(pk=application.pk).status == "utkast"


def test_the_deadline_instants_across_daylight_saving_are_exact(db):
    application = complete_application()
    _set_deadline(application, datetime.date(2026, 3, 29))
    assert application.closes_at() == datetime.datetime(2026, 3, 29, 22, 0, tzinfo=datetime.UTC)
    _set_deadline(application, datetime.date(2026, 10, 25))
    assert application.closes_at() == datetime.datetime(2026, 10, 25, 23, 0, tzinfo=datetime.UTC)


def test_a_submission_after_the_deadline_is_refused_in_norwegian(client, db):
    application = complete_application()
    _set_deadline(application, timezone.localdate() - datetime.timedelta(days=1))
    sign_in(client, municipality_user(application.municipality))
    response = client.post(
        reverse("applications:submit", args=[application.pk]), {"bekreftet": "on"}, follow=True
    )
    assert "Søknadsfristen er ute" in response.content.decode()
    application.refresh_from_db()
    assert (application.status, application.reference) == ("utkast", "")


def test_an_incomplete_application_is_not_sent(client, db):
    application = ApplicationFactory()
    sign_in(client, municipality_user(application.municipality))
    response = client.post(
        reverse("applications:submit", args=[application.pk]), {"bekreftet": "on"}, follow=True
    )
    html = response.content.decode()
    assert "Søknaden er ikke komplett ennå." in html
    assert "Velg minst én skole." in html
    assert Application.objects.get(pk=application.pk).status == "utkast"
    with pytest.raises(Incomplete) as excinfo:
        services.submit(application=application, actor=None)
    assert {p.section for p in excinfo.value.problems} >= {"kontakt", "skoler", "barnehager", "ppt"}


def test_a_double_click_sends_once(client, db, mailoutbox, django_capture_on_commit_callbacks):
    application = complete_application()
    sign_in(client, municipality_user(application.municipality))
    url = reverse("applications:submit", args=[application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"bekreftet": "on"})
        second = client.post(url, {"bekreftet": "on"})
    assert (
        first["Location"]
        == second["Location"]
        == reverse("applications:receipt", args=[application.pk])
    )
    application.refresh_from_db()
    assert application.submission_count == 1
    assert len(mailoutbox) == 1
    assert AuditEvent.objects.filter(action="application.submitted").count() == 1
    with pytest.raises(AlreadySubmitted):
        services.submit(application=application, actor=None)


def test_the_receipt_task_sends_once_even_if_run_twice(db, mailoutbox):
    from applications.tasks import send_receipt

    application = complete_application()
    services.submit(application=application, actor=None)
    assert send_receipt.apply(args=[application.pk]).get() is True
    assert send_receipt.apply(args=[application.pk]).get() is False
    assert len(mailoutbox) == 1


def test_withdraw_and_submit_again_gives_a_new_reference(client, db):
    application = complete_application()
    sign_in(client, municipality_user(application.municipality))
    client.post(reverse("applications:submit", args=[application.pk]), {"bekreftet": "on"})
    number = application.municipality.number
    cohort = application.cohort.number
    assert Application.objects.get(pk=application.pk).reference == f"LMP{cohort}-{number}-1"
    client.post(reverse("applications:withdraw", args=[application.pk]), {"confirm": "1"})
    application.refresh_from_db()
    assert (application.status, application.reference) == ("utkast", "")
    client.post(reverse("applications:submit", args=[application.pk]), {"bekreftet": "on"})
    application.refresh_from_db()
    assert application.reference == f"LMP{cohort}-{number}-2"
    assert AuditEvent.objects.filter(action="application.withdrawn").count() == 1


def test_withdrawing_asks_what_happens_before_anything_changes(client, db):
    application = complete_application()
    user = municipality_user(application.municipality)
    services.submit(application=application, actor=user)
    sign_in(client, user)
    detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    url = reverse("applications:withdraw", args=[application.pk])
    assert f'href="{url}"' in detail
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    reference = Application.objects.get(pk=application.pk).reference
    assert "Trekk søknaden tilbake?" in page
    assert f"referansen {reference} gjelder ikke lenger" in page
    assert 'name="confirm" value="1"' in page
    assert Application.objects.get(pk=application.pk).status == "sendt"


@pytest.mark.parametrize("data", [{}, {"confirm": ""}, {"confirm": "0"}, {"confirm": "ja"}])
def test_withdrawing_without_confirmation_is_refused(client, db, data):
    application = complete_application()
    user = municipality_user(application.municipality)
    services.submit(application=application, actor=user)
    sign_in(client, user)
    response = client.post(reverse("applications:withdraw", args=[application.pk]), data)
    assert response.status_code == 200
    assert "Søknaden er ikke trukket. Bekreft at du vil trekke den." in response.content.decode()
    application.refresh_from_db()
    assert (application.status, application.submission_count) == ("sendt", 1)
    assert not AuditEvent.objects.filter(action="application.withdrawn").exists()


def test_the_confirmation_page_of_a_draft_sends_back_to_the_application(client, db):
    application = complete_application()
    sign_in(client, municipality_user(application.municipality))
    response = client.get(reverse("applications:withdraw", args=[application.pk]), follow=True)
    assert response.redirect_chain == [(reverse("applications:detail", args=[application.pk]), 302)]
    assert "Søknaden er ikke sendt inn, så det er ingenting å trekke." in (
        response.content.decode()
    )


@pytest.mark.parametrize("who", ["office", "udir"])
def test_only_the_municipality_may_withdraw(client, db, who):
    application = complete_application()
    services.submit(application=application, actor=None)
    user = office_user(application.municipality.county.office) if who == "office" else udir_user()
    sign_in(client, user)
    url = reverse("applications:withdraw", args=[application.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "1"}).status_code == 403
    assert Application.objects.get(pk=application.pk).status == "sendt"


def test_withdrawing_after_the_deadline_is_refused(db):
    application = complete_application()
    services.submit(application=application, actor=None)
    _set_deadline(application, timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(DeadlinePassed):
        services.withdraw(application=application, actor=None)
    assert Application.objects.get(pk=application.pk).status == "sendt"


def test_the_office_reopens_with_a_new_deadline_for_that_municipality_alone(client, db):
    application = complete_application()
    other = complete_application()
    services.submit(application=application, actor=None)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    _set_deadline(application, yesterday)
    _set_deadline(other, yesterday)
    sign_in(client, office_user(application.municipality.county.office))
    new_deadline = timezone.localdate() + datetime.timedelta(days=5)
    response = client.post(
        reverse("applications:reopen", args=[application.pk]),
        {"new_deadline": new_deadline.isoformat()},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.deadline_override) == ("utkast", new_deadline)
    event = AuditEvent.objects.get(action="application.reopened")
    assert event.after["deadline_override"] == new_deadline.isoformat()
    # The municipality can now send again; the other is still past its deadline.
    services.submit(application=application, actor=None)
    with pytest.raises(DeadlinePassed):
        services.submit(application=other, actor=None)


def test_reopening_with_a_date_in_the_past_changes_nothing(client, db):
    application = complete_application()
    services.submit(application=application, actor=None)
    sign_in(client, udir_user())
    response = client.post(
        reverse("applications:reopen", args=[application.pk]),
        {"new_deadline": (timezone.localdate() - datetime.timedelta(days=1)).isoformat()},
        follow=True,
    )
    assert "Den nye fristen kan ikke være tilbake i tid." in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == "sendt"


def test_the_municipality_cannot_reopen_and_another_office_cannot_see(client, db):
    application = complete_application()
    services.submit(application=application, actor=None)
    url = reverse("applications:reopen", args=[application.pk])
    data = {"new_deadline": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()}
    sign_in(client, municipality_user(application.municipality))
    assert client.post(url, data).status_code == 403
    sign_in(client, office_user(GovernorOfficeFactory()))
    assert client.post(url, data).status_code == 404
    assert Application.objects.get(pk=application.pk).status == "sendt"


def test_reopening_cannot_shorten_the_municipalitys_deadline(db):
    application = complete_application()
    services.submit(application=application, actor=None)
    office_deadline = application.deadline()
    with pytest.raises(ApplicationError, match="kan ikke være før fristen kommunen har nå"):
        services.reopen(
            application=application,
            actor=None,
            new_deadline=office_deadline - datetime.timedelta(days=1),
        )
    assert Application.objects.get(pk=application.pk).status == "sendt"


@pytest.mark.parametrize("stage", ["sent", "decided", "published"])
def test_an_application_in_the_selection_cannot_go_back_to_draft(db, stage):
    from selection.models import Decision, OfficeReview, Publication

    application = services.submit(application=complete_application(), actor=None)
    if stage == "sent":
        OfficeReview.objects.create(
            cohort=application.cohort,
            office=application.municipality.county.office,
            sent_at=timezone.now(),
        )
    else:
        Decision.objects.create(application=application, outcome="valgt", reason="Valgt.")
    if stage == "published":
        Publication.objects.create(cohort=application.cohort)
    with pytest.raises(ApplicationError):
        services.reopen(application=application, actor=None, new_deadline=application.deadline())
    with pytest.raises(ApplicationError):
        services.withdraw(application=application, actor=None)
    assert Application.objects.get(pk=application.pk).status == "sendt"


def test_the_progress_list_gives_each_part_its_state_and_the_next_part(client, db):
    application = complete_application()
    sign_in(client, municipality_user(application.municipality))
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert page.count('<span class="progress-state progress-state-ferdig">ferdig</span>') == 6
    assert "valgfri, ingen lagt ved" in page
    # Take the motivation away: the part is not begun, and the next part points to it.
    Application.objects.filter(pk=application.pk).update(
        motivation_why="", motivation_goals="", motivation_priority=""
    )
    application.schools.update(motivation="")
    application.kindergartens.update(motivation="")
    contact = client.get(reverse("applications:section", args=[application.pk, "kontakt"]))
    page = contact.content.decode()
    assert 'aria-current="step"' in page
    assert "progress-state-ikke_paabegynt" in page and "ikke påbegynt" in page
    assert (
        'Neste del som ikke er ferdig: <a href="'
        + reverse("applications:section", args=[application.pk, "motivasjon"])
        + '">Motivasjon</a> (ikke påbegynt)'
    ) in page
    application.schools.update(motivation="Fordi.")
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    kindergartens = application.kindergartens.count()
    assert (
        f'<span class="progress-state progress-state-mangler">mangler {1 + kindergartens}</span>'
    ) in page
    assert "Søknaden kan sendes inn når alt i listen over er på plass." in page
    assert 'href="' + reverse("applications:submit", args=[application.pk]) + '"' not in page


def test_sending_asks_for_the_declaration_and_shows_what_is_sent(
    client, db, django_capture_on_commit_callbacks
):
    application = complete_application()
    sign_in(client, municipality_user(application.municipality))
    url = reverse("applications:submit", args=[application.pk])
    detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert f'href="{url}"' in detail
    page = client.get(url).content.decode()
    assert "<title>Send inn søknaden" in page
    assert "Opplysningene er riktige, og de som forplikter seg, har bekreftet" in page
    assert application.contact_email in page
    # Without the declaration: told so, nothing sent.
    refused = client.post(url, {})
    assert refused.status_code == 200
    assert "Kryss av for at opplysningene er riktige" in refused.content.decode()
    application.refresh_from_db()
    assert not application.is_submitted
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"bekreftet": "on"})
    assert sent["Location"] == reverse("applications:receipt", args=[application.pk])
    application.refresh_from_db()
    assert application.is_submitted


def test_the_declaration_page_of_an_incomplete_application_sends_back_to_what_is_missing(
    client, db
):
    application = ApplicationFactory()
    sign_in(client, municipality_user(application.municipality))
    response = client.get(reverse("applications:submit", args=[application.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("applications:detail", args=[application.pk])
    assert "Søknaden er ikke komplett ennå. Se hva som mangler." in response.content.decode()


def test_a_parts_page_points_to_the_summary_when_every_part_is_done(client, db):
    application = complete_application()
    sign_in(client, municipality_user(application.municipality))
    url = reverse("applications:section", args=[application.pk, "ppt"])
    page = client.get(url).content.decode()
    detail = reverse("applications:detail", args=[application.pk])
    assert (
        f'Alle delene er ferdige. <a href="{detail}">Se over søknaden og send den inn</a>'
    ) in page
    assert "Neste del som ikke er ferdig" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    page = client.get(url).content.decode()
    assert f'Alle delane er ferdige. <a href="{detail}">Sjå over søknaden og send han inn</a>' in (
        page
    )
    # One part left: the pointer goes to it instead.
    Application.objects.filter(pk=application.pk).update(ppt_contact_name="")
    page = client.get(reverse("applications:section", args=[application.pk, "kontakt"]))
    assert "Alle delane er ferdige." not in page.content.decode()
