"""The scheduled reminders, driven by the test clock: at each step of the cohort (14 and 3 days
before the deadline at 09:00 Oslo time by default), once each, to the invited municipalities
that have not sent their application and to the signatories who have not answered; a
reopened application's own deadline counts, and a deadline that moves moves what is unsent."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import formats, timezone

from applications import services
from applications.commitments import request_commitments
from selection.followup.schedule import send_due_reminders
from selection.models import Invitation, Reminder, ReminderStep
from tests.applications.factories import complete_application
from tests.factories import (
    CohortFactory,
    GovernorOfficeFactory,
    MunicipalityFactory,
    OfficeScheduleFactory,
    UserFactory,
    office_user,
)
from tests.selection.followup.helpers import draft, follow_up_cohort, invited, submitted

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
# Summer time begins on 28 March 2027: 14 days before the deadline is winter time (09:00 is
# 08:00 UTC), 3 days before is summer time (09:00 is 07:00 UTC).
DEADLINE = datetime.date(2027, 4, 5)


@pytest.fixture
def spring(django_capture_on_commit_callbacks):
    office = GovernorOfficeFactory(name="Fylkesmannen i Vårland", email="post@varland.example")
    cohort = CohortFactory(
        name="Pulje 11",
        kickoff_date=datetime.date(2027, 9, 1),
        start_date=datetime.date(2027, 9, 15),
        end_date=datetime.date(2029, 6, 30),
    )
    schedule = OfficeScheduleFactory(
        cohort=cohort,
        office=office,
        invitation_date=datetime.date(2027, 3, 1),
        application_deadline=DEADLINE,
        recommendation_deadline=datetime.date(2027, 5, 1),
    )

    def invite(name, **kwargs):
        municipality = MunicipalityFactory(name=name, county__office=office, **kwargs)
        Invitation.objects.create(
            cohort=cohort,
            municipality=municipality,
            invited_at=datetime.datetime(2027, 3, 1, 10, tzinfo=OSLO),
        )
        return municipality

    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders(now=now)

    return {"cohort": cohort, "office": office, "schedule": schedule, "invite": invite, "run": run}


def sent():
    return list(
        Reminder.objects.order_by("pk").values_list(
            "municipality__name", "kind", "days_before", "own_deadline", "deadline"
        )
    )


def test_a_new_cohort_gets_the_default_steps(spring):
    assert [
        (step.days_before, step.send_time)
        for step in ReminderStep.objects.filter(cohort=spring["cohort"])
    ] == [(14, datetime.time(9)), (3, datetime.time(9))]


def test_reminders_go_out_at_nine_oslo_time_on_both_sides_of_summer_time_once_each(spring):
    spring["invite"]("Aal", email="post@aal.example")
    run = spring["run"]
    assert run(datetime.datetime(2027, 3, 22, 7, 59, tzinfo=UTC)) == 0
    assert run(datetime.datetime(2027, 3, 22, 8, 0, tzinfo=UTC)) == 1
    assert run(datetime.datetime(2027, 3, 22, 8, 5, tzinfo=UTC)) == 0
    assert run(datetime.datetime(2027, 3, 30, 12, 0, tzinfo=UTC)) == 0
    assert run(datetime.datetime(2027, 4, 2, 6, 59, tzinfo=UTC)) == 0
    assert run(datetime.datetime(2027, 4, 2, 7, 0, tzinfo=UTC)) == 1
    # A restarted beat, or a second one, finds both made.
    assert run(datetime.datetime(2027, 4, 2, 7, 0, tzinfo=UTC)) == 0
    assert run(datetime.datetime(2027, 4, 5, 21, 59, tzinfo=UTC)) == 0
    assert sent() == [
        ("Aal", "soknad", 14, False, DEADLINE),
        ("Aal", "soknad", 3, False, DEADLINE),
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["post@aal.example"],
            "Påminnelse: søknaden fra Aal kommune til Læringsmiljøprosjektet, Pulje 11",
        )
    ] * 2
    assert "Søknadsfristen er 5. april 2027." in mail.outbox[0].body
    assert all(r.sent_at is not None for r in Reminder.objects.all())


def test_a_beat_that_was_away_sends_only_the_latest_step_and_none_after_the_deadline(spring):
    spring["invite"]("Aal")
    assert spring["run"](datetime.datetime(2027, 4, 3, 12, 0, tzinfo=UTC)) == 1
    assert sent() == [("Aal", "soknad", 3, False, DEADLINE)]
    spring["invite"]("Bø")
    assert spring["run"](datetime.datetime(2027, 4, 5, 22, 0, tzinfo=UTC)) == 0
    assert len(sent()) == 1


def test_a_step_that_fell_before_the_invitation_is_not_sent(spring):
    municipality = spring["invite"]("Aal")
    Invitation.objects.filter(municipality=municipality).update(
        invited_at=datetime.datetime(2027, 3, 25, 10, tzinfo=OSLO)
    )
    assert spring["run"](datetime.datetime(2027, 3, 26, 12, 0, tzinfo=UTC)) == 0
    assert spring["run"](datetime.datetime(2027, 4, 2, 7, 0, tzinfo=UTC)) == 1
    assert sent() == [("Aal", "soknad", 3, False, DEADLINE)]


def test_a_municipality_that_has_sent_its_application_gets_none(spring):
    municipality = spring["invite"]("Dal")
    application = complete_application(
        cohort=spring["cohort"], municipality=municipality, schedule=False
    )
    services.submit(
        application=application,
        actor=UserFactory(),
        now=datetime.datetime(2027, 3, 20, 12, tzinfo=UTC),
    )
    assert spring["run"](datetime.datetime(2027, 3, 22, 8, 0, tzinfo=UTC)) == 0
    assert sent() == []


def test_a_moved_deadline_moves_the_steps_not_yet_sent_and_keeps_those_sent(spring):
    spring["invite"]("Aal")
    run = spring["run"]
    assert run(datetime.datetime(2027, 3, 22, 8, 0, tzinfo=UTC)) == 1
    later = DEADLINE + datetime.timedelta(days=7)
    spring["schedule"].application_deadline = later
    spring["schedule"].save()
    # The old 3-day time has no reminder; the 14-day step's new time sends nothing again.
    assert run(datetime.datetime(2027, 4, 2, 7, 0, tzinfo=UTC)) == 0
    assert run(datetime.datetime(2027, 4, 9, 6, 59, tzinfo=UTC)) == 0
    assert run(datetime.datetime(2027, 4, 9, 7, 0, tzinfo=UTC)) == 1
    assert sent() == [("Aal", "soknad", 14, False, DEADLINE), ("Aal", "soknad", 3, False, later)]


def _at_nine(day):
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=OSLO)


def test_a_reopened_application_is_reminded_before_its_own_deadline(
    django_capture_on_commit_callbacks,
):
    # On the real clock: the reopening is recorded when it happens.
    today = timezone.localdate()
    cohort, office, schedule = follow_up_cohort(deadline=today + datetime.timedelta(days=5))
    municipality = invited(cohort, office, "Eid", email="post@eid.example")
    application = submitted(cohort, municipality)
    own = today + datetime.timedelta(days=10)
    services.reopen(application=application, actor=office_user(office), new_deadline=own)

    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders(now=now)

    # Its 14-day step fell before the reopening; its 3-day step goes, at 09:00.
    assert run(timezone.now()) == 0
    three_days_before = _at_nine(own - datetime.timedelta(days=3))
    assert run(three_days_before - datetime.timedelta(minutes=1)) == 0
    assert run(three_days_before) == 1
    assert run(three_days_before + datetime.timedelta(hours=1)) == 0
    # The office's own steps are for the others: its 3-day step sends Eid nothing more.
    assert run(_at_nine(schedule.application_deadline - datetime.timedelta(days=3))) == 0
    assert sent() == [("Eid", "soknad", 3, True, own)]
    day = f"{own.day}. {formats.date_format(own, 'F')} {own.year}"
    assert f"Søknadsfristen er {day}." in mail.outbox[-1].body


def test_signatories_who_have_not_answered_each_get_their_own_reminder(spring):
    municipality = spring["invite"]("Bø", email="post@bo.example")
    application = draft(
        spring["cohort"],
        municipality,
        school_owner_name="Ola Eier",
        school_owner_role="Kommunedirektør",
        school_owner_email="ola@bo.example",
        ppt_leader_name="Per PPT",
        ppt_leader_role="Leder",
        ppt_leader_email="per@ppt.example",
    )
    with transaction.atomic():
        request_commitments(application=application, actor=UserFactory())
    application.commitments.update(sent_at=datetime.datetime(2027, 3, 15, 12, tzinfo=OSLO))
    assert spring["run"](datetime.datetime(2027, 3, 22, 8, 0, tzinfo=UTC)) == 2
    assert sent() == [
        ("Bø", "soknad", 14, False, DEADLINE),
        ("Bø", "bekreftelse", 14, False, DEADLINE),
    ]
    signatory = [m for m in mail.outbox if "bekreft" in m.subject]
    assert [m.to for m in signatory] == [["ola@bo.example"], ["per@ppt.example"]]
    assert (
        "Vi venter fortsatt på svar fra:\n"
        "- Skoleeier (kommunen): Ola Eier, spurt 15. mars 2027\n"
        "- PP-tjenesten: Per PPT, spurt 15. mars 2027\n"
    ) in signatory[0].body
    assert signatory[0].body == signatory[1].body
    assert spring["run"](datetime.datetime(2027, 3, 22, 9, 0, tzinfo=UTC)) == 0


def test_the_database_refuses_a_second_reminder_for_the_same_step(spring):
    municipality = spring["invite"]("Aal")
    spring["run"](datetime.datetime(2027, 3, 22, 8, 0, tzinfo=UTC))
    first = Reminder.objects.get()
    first.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        first.save()
    assert Reminder.objects.filter(municipality=municipality).count() == 1


def test_a_reminder_that_lost_its_task_is_queued_again_and_sent_once(spring, settings):
    spring["invite"]("Aal")
    from tests.broker import broker_away

    with broker_away():
        spring["run"](datetime.datetime(2027, 3, 22, 8, 0, tzinfo=UTC))
    reminder = Reminder.objects.get()
    assert reminder.sent_at is None
    settings.LETTER_STRANDED_AFTER = 0
    spring["run"](timezone.now() + datetime.timedelta(seconds=1))
    spring["run"](timezone.now() + datetime.timedelta(seconds=2))
    reminder.refresh_from_db()
    assert reminder.sent_at is not None
    assert len(mail.outbox) == 1
