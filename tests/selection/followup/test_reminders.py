"""The reminder sent with one click from the board: from the template of its kind and the
municipality's written standard, listing exactly what is missing, audited, once per click."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from laeringsmiljo.models import AuditEvent, Membership, Role
from laeringsmiljo.times import date_and_time, long_date
from selection.followup import board
from selection.models import Reminder, ReminderTemplate
from tests.broker import broker_away
from tests.factories import MunicipalityFactory, UserFactory, office_user, udir_user
from tests.selection.followup.helpers import (
    draft,
    follow_up_cohort,
    invited,
    submitted,
)
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://laeringsmiljo.example"
    cohort, office, schedule = follow_up_cohort()
    return {
        "cohort": cohort,
        "office": office,
        "schedule": schedule,
        "officer": office_user(office),
        "commit": django_capture_on_commit_callbacks,
    }


def remind(client, setting, municipality, seen=0, **extra):
    sign_in(client, extra.pop("user", setting["officer"]))
    with setting["commit"](execute=True):
        return client.post(
            reverse(
                "selection:remind",
                args=[setting["cohort"].pk, setting["office"].pk, municipality.pk],
            ),
            {"seen": seen, **extra},
            follow=True,
        )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_one_click_sends_a_reminder_listing_exactly_what_is_missing(client, setting):
    municipality = invited(
        setting["cohort"], setting["office"], "Bø", email="postmottak@bo.example"
    )
    draft(setting["cohort"], municipality)
    deadline = setting["schedule"].application_deadline
    response = remind(client, setting, municipality)
    assert messages_of(response) == [
        "Påminnelsen til Bø sendes til dina@utkast.example, postmottak@bo.example."
    ]
    [message] = mail.outbox
    assert message.to == ["dina@utkast.example", "postmottak@bo.example"]
    assert message.reply_to == ["post@testland.example"]
    assert message.subject == (
        "Påminnelse: søknaden fra Bø kommune til Læringsmiljøprosjektet, Pulje 9"
    )
    missing = (
        "- Skoler: Velg minst én skole.\n"
        "- Barnehager: Velg minst én barnehage.\n"
        "- PP-tjenesten: Velg PP-tjenesten som tjener kommunen.\n"
        "- Forpliktelser: Skoleeier (kommunen): skriv navn, stilling og e-post til den som "
        "bekrefter, og send forespørselen.\n"
        "- Forpliktelser: PP-tjenesten: skriv navn, stilling og e-post til den som bekrefter, "
        "og send forespørselen.\n"
        "- Motivasjon: Alle tre spørsmålene om motivasjon må besvares."
    )
    day = f"{deadline.day}. {_month(deadline)} {deadline.year}"
    assert message.body == (
        "Fylkesmannen i Testland minner om at søknaden fra Bø kommune til "
        f"Læringsmiljøprosjektet, Pulje 9, ikke er sendt inn ennå. Søknadsfristen er {day}.\n\n"
        f"Dette mangler før søknaden kan sendes:\n{missing}\n\n"
        "Søknaden fylles ut og sendes i tjenesten Læringsmiljø: https://laeringsmiljo.example/\n\n"
        "Spørsmål kan sendes til Fylkesmannen i Testland på post@testland.example."
    )
    reminder = Reminder.objects.get()
    assert (reminder.missing, reminder.requested_by, reminder.days_before) == (
        missing,
        setting["officer"],
        None,
    )
    assert reminder.sent_at is not None
    assert list(
        AuditEvent.objects.filter(action__startswith="reminder.")
        .order_by("pk")
        .values_list("action", "actor")
    ) == [("reminder.ordered", setting["officer"].pk), ("reminder.sent", None)]
    [row] = board.board(cohort=setting["cohort"], office=setting["office"])
    assert (row.reminders_sent, row.last_reminder) == (1, reminder)


def _month(day):
    return [
        "januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
        "oktober", "november", "desember",
    ][day.month - 1]  # fmt: skip


def test_a_nynorsk_municipality_that_has_not_started_is_reminded_in_nynorsk(client, setting):
    municipality = invited(
        setting["cohort"], setting["office"], "Vik", written_standard="nn", email="post@vik.example"
    )
    remind(client, setting, municipality)
    [message] = mail.outbox
    assert message.to == ["post@vik.example"]
    assert message.subject == (
        "Påminning: søknaden frå Vik kommune til Læringsmiljøprosjektet, Pulje 9"
    )
    assert "Dette manglar før søknaden kan sendast:\n- Søknaden er ikkje påbyrja." in message.body


def test_a_double_click_sends_one_reminder(client, setting):
    municipality = invited(setting["cohort"], setting["office"], "Bø")
    draft(setting["cohort"], municipality)
    remind(client, setting, municipality, seen=0)
    response = remind(client, setting, municipality, seen=0)
    [reminder] = Reminder.objects.all()
    at = date_and_time(reminder.created_at)
    assert messages_of(response) == [
        f"Bø fikk en påminnelse {at}, etter at du åpnet siden. Det er ikke sendt en ny."
    ]
    assert len(mail.outbox) == 1
    # From the board as it is now, a second reminder goes.
    remind(client, setting, municipality, seen=1)
    assert (Reminder.objects.count(), len(mail.outbox)) == (2, 2)


def test_a_municipality_that_has_submitted_meanwhile_gets_no_reminder_and_the_board_says_why(
    client, setting
):
    municipality = invited(setting["cohort"], setting["office"], "Dal")
    submitted(setting["cohort"], municipality)
    mail.outbox.clear()
    response = remind(client, setting, municipality)
    assert messages_of(response) == [
        "Ingen påminnelse til Dal: Kommunen har sendt inn søknaden, så den trenger ingen "
        "påminnelse."
    ]
    assert (Reminder.objects.count(), len(mail.outbox)) == (0, 0)
    assert (
        "Kommunen har sendt inn søknaden, så den trenger ingen påminnelse."
        in response.content.decode()
    )


def test_no_reminder_after_the_deadline(client, setting):
    municipality = invited(setting["cohort"], setting["office"], "Bø")
    draft(setting["cohort"], municipality)
    setting["schedule"].application_deadline = timezone.localdate() - datetime.timedelta(days=1)
    setting["schedule"].save()
    response = remind(client, setting, municipality)
    day = long_date(setting["schedule"].application_deadline)
    assert messages_of(response) == [
        f"Ingen påminnelse til Bø: Fristen var {day}, så det er for sent for en påminnelse."
    ]
    assert (Reminder.objects.count(), len(mail.outbox)) == (0, 0)


def test_no_reminder_to_a_municipality_without_an_address(client, setting):
    municipality = invited(setting["cohort"], setting["office"], "Bø", email="")
    response = remind(client, setting, municipality)
    assert messages_of(response) == [
        "Ingen påminnelse til Bø: Kommunen har verken kontaktperson med e-post eller registrert "
        "postmottak, så påminnelsen kan ikke sendes. Legg inn postmottaket på invitasjonssiden."
    ]
    assert Reminder.objects.count() == 0


@pytest.mark.parametrize("seen", ["", "x", "-1"])
def test_a_click_from_a_broken_page_is_refused(client, setting, seen):
    municipality = invited(setting["cohort"], setting["office"], "Bø")
    response = remind(client, setting, municipality, seen=seen)
    assert messages_of(response) == [
        "Siden var ikke oppdatert. Last den inn på nytt og prøv igjen."
    ]
    assert Reminder.objects.count() == 0


def test_only_the_office_reminds_its_own_invited_municipalities(client, setting):
    own = invited(setting["cohort"], setting["office"], "Bø")
    not_invited = MunicipalityFactory(county__office=setting["office"])
    url = lambda m: reverse(  # noqa: E731
        "selection:remind", args=[setting["cohort"].pk, setting["office"].pk, m.pk]
    )
    sign_in(client, setting["officer"])
    assert client.post(url(not_invited), {"seen": 0}).status_code == 404
    sign_in(client, office_user())
    assert client.post(url(own), {"seen": 0}).status_code == 404
    sign_in(client, udir_user())
    assert client.post(url(own), {"seen": 0}).status_code == 403
    member = UserFactory()
    Membership.objects.create(user=member, role=Role.MUNICIPALITY, municipality=own)
    sign_in(client, member)
    assert client.post(url(own), {"seen": 0}).status_code == 403
    assert client.get(url(own)).status_code == 405
    assert Reminder.objects.count() == 0


def test_the_click_keeps_the_boards_filter_and_drops_anything_else(client, setting):
    municipality = invited(setting["cohort"], setting["office"], "Bø")
    sign_in(client, setting["officer"])
    with setting["commit"](execute=True):
        response = client.post(
            reverse(
                "selection:remind",
                args=[setting["cohort"].pk, setting["office"].pk, municipality.pk],
            ),
            {"seen": 0, "status": "ikke_begynt", "sorter": "mangler"},
        )
    board_url = reverse("selection:followup", args=[setting["cohort"].pk, setting["office"].pk])
    assert response["Location"] == f"{board_url}?status=ikke_begynt&sorter=mangler"
    response = client.post(
        reverse(
            "selection:remind", args=[setting["cohort"].pk, setting["office"].pk, municipality.pk]
        ),
        {"seen": 1, "status": "https://evil.example"},
    )
    assert response["Location"] == board_url


def test_a_reminder_waits_with_the_reason_when_the_queue_is_away(client, setting):
    municipality = invited(setting["cohort"], setting["office"], "Bø")
    with broker_away():
        remind(client, setting, municipality)
    reminder = Reminder.objects.get()
    assert reminder.sent_at is None
    assert reminder.failure.startswith("Køen for bakgrunnsjobber kunne ikke nås (")
    [row] = board.board(cohort=setting["cohort"], office=setting["office"])
    assert (row.reminders_sent, row.reminder_count, row.reminder_waiting) == (
        0,
        1,
        reminder.failure,
    )
    assert len(mail.outbox) == 0


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        (
            "body",
            "Hei {municipality}, {manglende}",
            "Ukjent plassholder {manglende}. Tillatte plassholdere: {cohort}, {deadline}, "
            "{end_date}, {kickoff_date}, {missing}, {municipality}, {municipality_number}, "
            "{office}, {office_email}, {semesters}, {service_url}, {start_date}.",
        ),
        (
            "subject",
            "Påminnelse {municipality",
            "Teksten har en krøllparentes som ikke er lukket. Skriv {{ og }} for å vise selve "
            "tegnet.",
        ),
    ],
)
def test_a_reminder_text_with_an_unknown_placeholder_is_refused(field, text, message):
    from selection.followup.defaults import install

    install(ReminderTemplate)
    template = ReminderTemplate.objects.get(kind="soknad", language="nb")
    before = (template.subject, template.body)
    setattr(template, field, text)
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert refused.value.message_dict == {field: [message]}
    template.refresh_from_db()
    assert (template.subject, template.body) == before


def test_the_admin_edits_a_reminder_text_and_the_next_reminder_uses_it(client, setting):
    admin = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, admin)
    template = ReminderTemplate.objects.get(kind="soknad", language="nb")
    url = reverse("admin:selection_remindertemplate_change", args=[template.pk])
    response = client.post(
        url,
        {
            "kind": "soknad",
            "language": "nb",
            "subject": "Husk søknaden, {municipality}",
            "body": "Dette mangler:\n{missing}\n\nFrist {deadline}. {ukjent}",
        },
    )
    assert response.status_code == 200
    assert "Ukjent plassholder {ukjent}." in response.content.decode()
    response = client.post(
        url,
        {
            "kind": "soknad",
            "language": "nb",
            "subject": "Husk søknaden, {municipality}",
            "body": "Dette mangler:\n{missing}",
        },
    )
    assert response.status_code == 302
    municipality = invited(setting["cohort"], setting["office"], "Bø")
    remind(client, setting, municipality)
    [message] = mail.outbox
    assert (message.subject, message.body) == (
        "Husk søknaden, Bø",
        "Dette mangler:\n- Søknaden er ikke påbegynt. Logg inn i tjenesten og start den.",
    )
