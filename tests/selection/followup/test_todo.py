"""The start pages as to-do lists: each thing waiting shows with its count or date from the
database and the link to where it is done, and goes away when it is done; each office sees
only its own; the lists take as many queries for 40 rows as for one; both languages."""

import datetime
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Commitment, OfficeQuestion
from laeringsmiljo.models import Membership, OfficeSchedule, Role
from laeringsmiljo.times import long_date
from selection.letters.models import Letter, LetterBatch, LetterKind
from selection.models import Invitation
from selection.process import decisions
from selection.scoring.engine import score_cohort
from selection.scoring.grading import grade_motivation
from tests.factories import (
    GovernorOfficeFactory,
    MunicipalityFactory,
    OfficeScheduleFactory,
    municipality_user,
    office_user,
    udir_user,
)
from tests.html import title
from tests.selection.followup.helpers import draft, follow_up_cohort, invited, submitted
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


class _TodoLists(HTMLParser):
    """The items of every `ul.todo-list`: each top-level item's text and links (href, text)."""

    def __init__(self):
        super().__init__()
        self.items = []
        self._depth = 0  # how deep inside a to-do list we are (ul levels)
        self._item = None
        self._link = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ul" and (self._depth or "todo-list" in (attrs.get("class") or "")):
            self._depth += 1
        elif tag == "li" and self._depth == 1:
            self._item = {"text": [], "links": []}
            self.items.append(self._item)
        elif tag == "li" and self._item is not None:
            self._item["text"].append(" ")
        elif tag == "a" and self._item is not None:
            self._link = [attrs.get("href"), []]

    def handle_endtag(self, tag):
        if tag == "ul" and self._depth:
            self._depth -= 1
        elif tag == "li" and self._depth == 1 and self._item is not None:
            self._item["text"] = " ".join("".join(self._item["text"]).split())
            self._item = None
        elif tag == "a" and self._link is not None:
            href, text = self._link
            self._item["links"].append((href, " ".join("".join(text).split())))
            self._link = None

    def handle_data(self, data):
        if self._item is not None:
            self._item["text"].append(data)
        if self._link is not None:
            self._link[1].append(data)


def todo_items(html):
    parser = _TodoLists()
    parser.feed(html)
    return parser.items


def _page(client, user, name, language="nb"):
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    sign_in(client, user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


def _letter(cohort, municipality, kind, **fields):
    return Letter.objects.create(
        cohort=cohort,
        municipality=municipality,
        kind=kind,
        reference=f"LMP{cohort.number}-{municipality.number}-{kind}",
        language="nb",
        **fields,
    )


SENT = {"status": Letter.Status.GENERATED, "send_status": Letter.SendStatus.SENT}
IN_OUTBOX = {"status": Letter.Status.GENERATED, "held": True}


def _days(day):
    return (day - timezone.localdate()).days


# The office


@pytest.fixture
def office_cohort():
    """One office: three invited municipalities (one with its invitation letter sent, one with
    it in the outbox, one without), two of them submitted and neither graded nor scored, and a
    receipt letter that failed. Another office's cohort beside it."""
    cohort, office, schedule = follow_up_cohort()
    officer = office_user(office)
    aal, bo, dal = (invited(cohort, office, name) for name in ("Aal", "Bø", "Dal"))
    _letter(cohort, aal, LetterKind.INVITATION, **SENT)
    batch = LetterBatch.objects.create(
        purpose=LetterBatch.Purpose.INVITATIONS, cohort=cohort, office=office
    )
    _letter(cohort, bo, LetterKind.INVITATION, batch=batch, **IN_OUTBOX)
    applications = [submitted(cohort, bo), submitted(cohort, dal)]
    _letter(cohort, bo, LetterKind.RECEIPT, status=Letter.Status.FAILED, failure="Feil.")
    # Another office, with the same things waiting, which this office must not see.
    other_office = GovernorOfficeFactory(name="Fylkesmannen i Nabofylket")
    other_cohort = OfficeScheduleFactory(office=other_office).cohort
    other = invited(other_cohort, other_office, "Annenby")
    submitted(other_cohort, other)
    _letter(other_cohort, other, LetterKind.RECEIPT, status=Letter.Status.FAILED)
    return {
        "cohort": cohort,
        "office": office,
        "schedule": schedule,
        "officer": officer,
        "batch": batch,
        "applications": applications,
        "other_office": other_office,
    }


def test_the_office_sees_what_waits_with_counts_dates_and_links(client, office_cohort):
    cohort, office = office_cohort["cohort"], office_cohort["office"]
    schedule = office_cohort["schedule"]
    bo, dal = office_cohort["applications"]
    html = _page(client, office_cohort["officer"], "office_start")
    assert title(html) == "Dette venter på embetet – Embetets side – Læringsmiljøprosjektet"
    deadline = schedule.recommendation_deadline
    letters = reverse("selection:letters", args=[cohort.pk])
    assert todo_items(html) == [
        {
            "text": "1 invitert kommune har ikke fått invitasjonsbrev",
            "links": [(letters, "1 invitert kommune har ikke fått invitasjonsbrev")],
        },
        {
            "text": "1 invitasjonsbrev venter i utboksen på å bli sendt",
            "links": [
                (
                    reverse("selection:batch", args=[office_cohort["batch"].pk]),
                    "1 invitasjonsbrev venter i utboksen på å bli sendt",
                )
            ],
        },
        {
            "text": "2 innsendte søknader mangler karakter for motivasjon: "
            "Sett karakter for Bø Sett karakter for Dal",
            "links": [
                (reverse("selection:score", args=[bo.pk]), "Sett karakter for Bø"),
                (reverse("selection:score", args=[dal.pk]), "Sett karakter for Dal"),
            ],
        },
        {
            "text": "2 innsendte søknader er ikke beregnet",
            "links": [
                (
                    reverse("selection:cohort_scores", args=[cohort.pk]),
                    "2 innsendte søknader er ikke beregnet",
                )
            ],
        },
        {
            "text": f"Send innstillingen til Udir: fristen er {long_date(deadline)} "
            f"(om {_days(deadline)} dager). 2 søknader er sendt inn.",
            "links": [
                (
                    reverse("selection:ranking", args=[cohort.pk, office.pk]),
                    "Send innstillingen til Udir",
                )
            ],
        },
        {"text": "1 brev har feilet", "links": [(letters, "1 brev har feilet")]},
    ]
    # Only its own office's cohort: the other office's is neither in the list nor the table.
    assert office_cohort["other_office"].name not in html


def test_what_the_office_has_done_leaves_its_list(client, office_cohort):
    cohort, office = office_cohort["cohort"], office_cohort["office"]
    Letter.objects.filter(cohort=cohort).update(
        status=Letter.Status.GENERATED,
        send_status=Letter.SendStatus.SENT,
        failure="",
        released_at=timezone.now(),
    )
    for municipality in Invitation.objects.filter(cohort=cohort, municipality__name="Dal"):
        _letter(cohort, municipality.municipality, LetterKind.INVITATION, **SENT)
    html = _page(client, office_cohort["officer"], "office_start")
    assert [item["text"].split(":")[0] for item in todo_items(html)] == [
        "2 innsendte søknader mangler karakter for motivasjon",
        "2 innsendte søknader er ikke beregnet",
        "Send innstillingen til Udir",
    ]
    for application in office_cohort["applications"]:
        grade_motivation(
            application=application, grade=4, comment="God.", actor=None, expected_revision=0
        )
    score_cohort(cohort=cohort, actor=None)
    html = _page(client, office_cohort["officer"], "office_start")
    assert [item["text"].split(":")[0] for item in todo_items(html)] == [
        "Send innstillingen til Udir"
    ]
    for application in office_cohort["applications"]:
        decisions.recommend(
            application=application, verdict="anbefalt", justification="Ja.", actor=None
        )
    decisions.send_to_udir(cohort=cohort, office=office, justification="Samlet.", actor=None)
    html = _page(client, office_cohort["officer"], "office_start")
    assert todo_items(html) == []
    assert "Ingenting venter på embetet nå." in html
    # The cohorts' table with its links stays below.
    assert reverse("selection:invitations", args=[cohort.pk, office.pk]) in html


def test_invitation_letters_leave_the_list_when_the_application_deadline_has_passed(
    client, office_cohort
):
    schedule = office_cohort["schedule"]
    schedule.application_deadline = timezone.localdate() - datetime.timedelta(days=1)
    schedule.save(update_fields=["application_deadline"])
    html = _page(client, office_cohort["officer"], "office_start")
    texts = [item["text"] for item in todo_items(html)]
    assert not any("invitasjonsbrev" in text for text in texts)
    assert "2 innsendte søknader er ikke beregnet" in texts


def test_a_letter_that_could_not_be_e_mailed_waits_until_it_is_tried_again(client, db):
    cohort, office, schedule = follow_up_cohort()
    aal = invited(cohort, office, "Aal")
    letter = _letter(
        cohort,
        aal,
        LetterKind.INVITATION,
        status=Letter.Status.GENERATED,
        send_status=Letter.SendStatus.NOT_POSSIBLE,
    )
    officer = office_user(office)
    html = _page(client, officer, "office_start")
    letters = reverse("selection:letters", args=[cohort.pk])
    item = "1 brev kunne ikke sendes på e-post"
    assert {
        "text": f"{item}: kommunen har ingen e-postadresse i registeret. Legg inn adressen og "
        "prøv brevet på nytt.",
        "links": [(letters, item)],
    } in todo_items(html)
    letter.send_status = Letter.SendStatus.SENT
    letter.save(update_fields=["send_status"])
    html = _page(client, office_user(office, username="kollega"), "office_start")
    assert not any(item in entry["text"] for entry in todo_items(html))


def test_an_office_is_not_asked_for_a_recommendation_before_any_application_came_in(client, db):
    cohort, office, schedule = follow_up_cohort()
    aal = invited(cohort, office, "Aal")
    _letter(cohort, aal, LetterKind.INVITATION, **SENT)
    html = _page(client, office_user(office), "office_start")
    assert todo_items(html) == []
    assert "Ingenting venter på embetet nå." in html
    submitted(cohort, aal)
    html = _page(client, office_user(office, username="kollega"), "office_start")
    assert "Send innstillingen til Udir" in [
        item["text"].split(":")[0] for item in todo_items(html)
    ]


def test_an_office_of_two_sees_each_office_apart_and_no_other(client, office_cohort):
    cohort = office_cohort["cohort"]
    second = GovernorOfficeFactory(name="Fylkesmannen i Annetland")
    OfficeSchedule.objects.create(
        cohort=cohort,
        office=second,
        invitation_date=office_cohort["schedule"].invitation_date,
        application_deadline=office_cohort["schedule"].application_deadline,
        recommendation_deadline=office_cohort["schedule"].recommendation_deadline,
        capacity=1,
    )
    invited(cohort, second, "Åsen")
    user = office_cohort["officer"]
    Membership.objects.create(user=user, role=Role.OFFICE, office=second)
    sign_in(client, user)
    response = client.get(reverse("office_start"))
    todos = response.context["todos"]
    assert [(t.schedule.office.name, t.invitations_without_letter) for t in todos] == [
        ("Fylkesmannen i Annetland", 1),
        ("Fylkesmannen i Testland", 1),
    ]
    assert office_cohort["other_office"].name not in response.content.decode()


def _office_with(count):
    """An office whose `count` invited municipalities have each applied, none graded, each with
    a failed letter and its invitation in the outbox."""
    cohort, office, _schedule = follow_up_cohort()
    batch = LetterBatch.objects.create(
        purpose=LetterBatch.Purpose.INVITATIONS, cohort=cohort, office=office
    )
    for number in range(count):
        municipality = invited(cohort, office, f"Kommune {number}")
        Application.objects.create(
            cohort=cohort,
            municipality=municipality,
            status=Application.Status.SUBMITTED,
            submission_count=1,
            submitted_at=timezone.now(),
        )
        _letter(cohort, municipality, LetterKind.INVITATION, batch=batch, **IN_OUTBOX)
        _letter(cohort, municipality, LetterKind.RECEIPT, status=Letter.Status.FAILED)
    return office_user(office)


OFFICE_START_QUERIES = 14


@pytest.mark.parametrize("count", [1, 40])
def test_the_office_start_takes_as_many_queries_for_40_as_for_one(
    client, count, django_assert_num_queries
):
    user = _office_with(count)
    sign_in(client, user)
    client.get(reverse("office_start"))
    with django_assert_num_queries(OFFICE_START_QUERIES):
        response = client.get(reverse("office_start"))
    [todo] = response.context["todos"]
    assert (len(todo.ungraded), todo.invitations_in_outbox, todo.failed_letters) == (
        count,
        count,
        count,
    )


# Udir


@pytest.fixture
def national():
    """A cohort with three offices: Testland has sent its recommendation of two applications,
    one of them decided; Vestland, with one applicant, has not sent; Nordland had no
    applicants, so nothing is waited for from it. A decision letter failed, another waits in
    the outbox."""
    cohort, office, schedule = follow_up_cohort()
    first, second = (submitted(cohort, invited(cohort, office, name)) for name in ("Aal", "Bø"))
    for application in (first, second):
        grade_motivation(
            application=application, grade=4, comment="God.", actor=None, expected_revision=0
        )
    score_cohort(cohort=cohort, actor=None)
    for application in (first, second):
        decisions.recommend(
            application=application, verdict="anbefalt", justification="Ja.", actor=None
        )
    decisions.send_to_udir(cohort=cohort, office=office, justification="Samlet.", actor=None)
    actor = udir_user()
    decisions.decide(
        application=first, outcome="valgt", reason="Valgt.", deviation_reason="", actor=actor
    )
    west = GovernorOfficeFactory(name="Statsforvalteren i Vestland")
    west_schedule = OfficeSchedule.objects.create(
        cohort=cohort,
        office=west,
        invitation_date=schedule.invitation_date,
        application_deadline=schedule.application_deadline,
        recommendation_deadline=schedule.recommendation_deadline + datetime.timedelta(days=2),
        capacity=1,
    )
    submitted(cohort, invited(cohort, west, "Vik"))
    OfficeSchedule.objects.create(
        cohort=cohort,
        office=GovernorOfficeFactory(name="Statsforvalteren i Nordland"),
        invitation_date=schedule.invitation_date,
        application_deadline=schedule.application_deadline,
        recommendation_deadline=schedule.recommendation_deadline,
        capacity=1,
    )
    _letter(cohort, first.municipality, LetterKind.DECISION_SELECTED, status=Letter.Status.FAILED)
    _letter(cohort, second.municipality, LetterKind.DECISION_RESERVE, **IN_OUTBOX)
    # An office's own letter that failed is the office's to see to, not Udir's.
    _letter(cohort, first.municipality, LetterKind.RECEIPT, status=Letter.Status.FAILED)
    return {
        "cohort": cohort,
        "office": office,
        "west": west,
        "west_schedule": west_schedule,
        "applications": (first, second),
        "actor": actor,
    }


def test_udir_sees_what_waits_with_counts_dates_and_links(client, national):
    cohort, office, west = national["cohort"], national["office"], national["west"]
    html = _page(client, national["actor"], "udir_start")
    assert title(html) == "Dette venter på Udir – Udirs side – Læringsmiljøprosjektet"
    deadline = national["west_schedule"].recommendation_deadline
    letters = reverse("selection:letters", args=[cohort.pk])
    assert "Ikke publisert: 1 av 3 søknader har vedtak." in html
    assert todo_items(html) == [
        {
            "text": "1 søknad fra embeter som har sendt innstillingen, mangler vedtak: "
            "Gjør vedtak for Fylkesmannen i Testland (1 søknad)",
            "links": [
                (
                    reverse("selection:national", args=[cohort.pk])
                    + f"?kontor={office.pk}#embete-{office.pk}",
                    "Gjør vedtak for Fylkesmannen i Testland (1 søknad)",
                )
            ],
        },
        {
            "text": "Innstillingen er sendt fra 1 av 2 embeter med søkere. Udir venter på: "
            f"Statsforvalteren i Vestland, frist {long_date(deadline)} "
            f"(om {_days(deadline)} dager)",
            "links": [
                (
                    reverse("selection:ranking", args=[cohort.pk, west.pk]),
                    "Statsforvalteren i Vestland",
                )
            ],
        },
        {"text": "1 brev fra Udir har feilet", "links": [(letters, "1 brev fra Udir har feilet")]},
        {
            "text": "1 brev fra Udir venter i utboksen på å bli sendt",
            "links": [(letters, "1 brev fra Udir venter i utboksen på å bli sendt")],
        },
    ]


def test_what_udir_has_done_leaves_its_list(client, national):
    cohort = national["cohort"]
    first, second = national["applications"]
    Letter.objects.filter(cohort=cohort).update(
        status=Letter.Status.GENERATED, held=False, send_status=Letter.SendStatus.SENT
    )
    # Vestland's one application is a draft again: an office without applicants is not
    # waited for.
    Application.objects.filter(cohort=cohort, municipality__name="Vik").update(
        status=Application.Status.DRAFT
    )
    decisions.decide(
        application=second,
        outcome="reserve",
        reason="Reserve.",
        deviation_reason="Plass til én.",
        actor=national["actor"],
    )
    html = _page(client, national["actor"], "udir_start")
    assert todo_items(html) == [
        {
            "text": "Publiser utvalget: Alle de 2 søknadene har vedtak.",
            "links": [(reverse("selection:national", args=[cohort.pk]), "Publiser utvalget")],
        }
    ]
    publication = decisions.publish(cohort=cohort, actor=national["actor"])
    Letter.objects.filter(cohort=cohort).update(
        status=Letter.Status.GENERATED, held=False, send_status=Letter.SendStatus.SENT
    )
    html = _page(client, national["actor"], "udir_start")
    assert todo_items(html) == []
    assert "Ingenting venter på Udir nå." in html
    assert (
        f"Utvalget er publisert {long_date(timezone.localtime(publication.published_at))}." in html
    )


def _udir_with(count):
    """A cohort with `count` offices, none of which has sent its recommendation, each with a
    submitted application and a decision letter in the outbox."""
    cohort, office, schedule = follow_up_cohort()
    for number in range(count):
        if number:
            office = GovernorOfficeFactory(name=f"Embete {number:02}")
            OfficeSchedule.objects.create(
                cohort=cohort,
                office=office,
                invitation_date=schedule.invitation_date,
                application_deadline=schedule.application_deadline,
                recommendation_deadline=schedule.recommendation_deadline,
                capacity=1,
            )
        municipality = MunicipalityFactory(county__office=office)
        Application.objects.create(
            cohort=cohort, municipality=municipality, status=Application.Status.SUBMITTED
        )
        _letter(cohort, municipality, LetterKind.DECISION_SELECTED, **IN_OUTBOX)
    return udir_user()


UDIR_START_QUERIES = 9


@pytest.mark.parametrize("count", [1, 40])
def test_udir_start_takes_as_many_queries_for_40_offices_as_for_one(
    client, count, django_assert_num_queries
):
    user = _udir_with(count)
    sign_in(client, user)
    client.get(reverse("udir_start"))
    with django_assert_num_queries(UDIR_START_QUERIES):
        response = client.get(reverse("udir_start"))
    [todo] = response.context["todos"]
    assert (len(todo.waiting_offices), todo.submitted, todo.letters_in_outbox) == (
        count,
        count,
        count,
    )


# The municipality


@pytest.fixture
def municipality_cohort():
    """A municipality invited to a cohort, its draft with only the contact part, a commitment
    request waiting for an answer."""
    cohort, office, schedule = follow_up_cohort()
    municipality = invited(cohort, office, "Fjordvik")
    application = draft(cohort, municipality)
    Commitment.objects.create(
        application=application,
        kind=Commitment.Kind.SCHOOL_OWNER,
        name="Ola Eier",
        role="Kommunedirektør",
        email="ola@fjordvik.example",
        sent_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    return {
        "cohort": cohort,
        "schedule": schedule,
        "municipality": municipality,
        "application": application,
        "user": municipality_user(municipality),
    }


def test_the_municipality_sees_its_deadline_missing_parts_and_requests(client, municipality_cohort):
    application = municipality_cohort["application"]
    deadline = municipality_cohort["schedule"].application_deadline
    html = _page(client, municipality_cohort["user"], "municipality_start")
    assert title(html) == "Dette venter på kommunen – Kommunens side – Læringsmiljøprosjektet"
    section = lambda slug: reverse("applications:section", args=[application.pk, slug])  # noqa: E731
    items = todo_items(html)
    assert items[0]["text"] == (
        f"Send inn søknaden innen {long_date(deadline)} kl. 23.59 (om {_days(deadline)} dager). "
        "5 deler er ikke ferdige: 2. Skoler: ikke påbegynt 3. Barnehager: ikke påbegynt "
        "4. PP-tjenesten: ikke påbegynt 5. Forpliktelser: mangler 2 6. Motivasjon: ikke påbegynt"
    )
    assert items[0]["links"] == [
        (reverse("applications:detail", args=[application.pk]), "Send inn søknaden"),
        (section("skoler"), "2. Skoler"),
        (section("barnehager"), "3. Barnehager"),
        (section("ppt"), "4. PP-tjenesten"),
        (section("forpliktelser"), "5. Forpliktelser"),
        (section("motivasjon"), "6. Motivasjon"),
    ]
    assert items[1:] == [
        {"text": "Neste: Skoler", "links": [(section("skoler"), "Neste: Skoler")]},
        {
            "text": "1 forespørsel om å bekrefte deltakelsen venter på svar",
            "links": [
                (section("forpliktelser"), "1 forespørsel om å bekrefte deltakelsen venter på svar")
            ],
        },
    ]


def test_the_municipality_is_asked_to_answer_the_offices_questions(client, db):
    cohort, office, _schedule = follow_up_cohort()
    municipality = invited(cohort, office, "Nabovik")
    application = submitted(cohort, municipality)
    for text in ("Hvor mange elever?", "Hvilke skoler?"):
        OfficeQuestion.objects.create(application=application, text=text)
    OfficeQuestion.objects.create(
        application=application, text="Svart.", answer="Ja.", answered_at=timezone.now()
    )
    user = municipality_user(municipality)
    html = _page(client, user, "municipality_start")
    detail = reverse("applications:detail", args=[application.pk])
    assert todo_items(html) == [
        {
            "text": "Svar på 2 spørsmål fra embetet",
            "links": [(f"{detail}#sporsmal", "Svar på 2 spørsmål fra embetet")],
        }
    ]
    OfficeQuestion.objects.filter(answered_at=None).update(closed_at=timezone.now())
    html = _page(client, user, "municipality_start")
    assert todo_items(html) == []
    assert "Ingenting venter på kommunen nå." in html


def test_a_complete_draft_goes_straight_to_sending(client, db):
    from tests.applications.factories import complete_application

    cohort, office, schedule = follow_up_cohort()
    municipality = invited(cohort, office, "Fjordvik")
    application = complete_application(cohort=cohort, municipality=municipality, schedule=False)
    html = _page(client, municipality_user(municipality), "municipality_start")
    deadline = schedule.application_deadline
    assert todo_items(html) == [
        {
            "text": f"Send inn søknaden innen {long_date(deadline)} kl. 23.59 "
            f"(om {_days(deadline)} dager). Søknaden er komplett.",
            "links": [(reverse("applications:submit", args=[application.pk]), "Send inn søknaden")],
        }
    ]


def _municipalities_with(count):
    """A user of `count` municipalities, each invited and with a draft."""
    cohort, office, _schedule = follow_up_cohort()
    user = None
    for number in range(count):
        municipality = invited(cohort, office, f"Kommune {number}")
        application = draft(cohort, municipality)
        OfficeQuestion.objects.create(application=application, text="Spørsmål?")
        if user is None:
            user = municipality_user(municipality)
        else:
            Membership.objects.create(user=user, role=Role.MUNICIPALITY, municipality=municipality)
    return user


MUNICIPALITY_START_QUERIES = 14


@pytest.mark.parametrize("count", [1, 40])
def test_the_municipality_start_takes_as_many_queries_for_40_as_for_one(
    client, count, django_assert_num_queries
):
    user = _municipalities_with(count)
    sign_in(client, user)
    client.get(reverse("municipality_start"))
    with django_assert_num_queries(MUNICIPALITY_START_QUERIES):
        response = client.get(reverse("municipality_start"))
    entries = response.context["entries"]
    assert len(entries) == count
    assert all(len(entry["progress"]["missing"]) == 5 for entry in entries)


# Both languages


@pytest.mark.parametrize(
    ("who", "name", "heading"),
    [
        ("municipality", "municipality_start", "Dette ventar på kommunen"),
        ("office", "office_start", "Dette ventar på embetet"),
        ("udir", "udir_start", "Dette ventar på Udir"),
    ],
)
def test_the_start_pages_speak_nynorsk(client, office_cohort, who, name, heading):
    not_started = Invitation.objects.get(cohort=office_cohort["cohort"], municipality__name="Aal")
    user = {
        "municipality": municipality_user(not_started.municipality),
        "office": office_cohort["officer"],
        "udir": udir_user(),
    }[who]
    html = _page(client, user, name, language="nn")
    assert '<html lang="nn">' in html
    assert f"<h1>{heading}</h1>" in html
    assert todo_items(html)


def test_the_municipality_is_asked_to_answer_the_place_until_it_has(client, db):
    from selection.models import Participation
    from selection.process import settlement
    from tests.selection.process.helpers import published_cohort

    selected, _reserve = published_cohort(2, answer_in_days=10)
    participation = Participation.objects.get(application=selected)
    user = municipality_user(selected.municipality)
    html = _page(client, user, "municipality_start")
    answer_by = timezone.localdate() + datetime.timedelta(days=10)
    assert todo_items(html) == [
        {
            "text": f"Svar på tilbudet om plass innen {long_date(answer_by)}.",
            "links": [(f"#svar-{participation.pk}", "Svar på tilbudet om plass")],
        }
    ]
    assert f'id="svar-{participation.pk}"' in html
    settlement.confirm(participation=participation, contact_name="Kari", actor=user)
    html = _page(client, user, "municipality_start")
    assert todo_items(html) == []
    assert "Ingenting venter på kommunen nå." in html
