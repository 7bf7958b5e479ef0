"""The office's follow-up board: one row per invited municipality with its state, what it lacks
per part, its last activity, who has access, its commitments and reminders; sortable,
filterable, and with as many queries for 40 rows as for one."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import ContactPerson
from laeringsmiljo.models import Membership, Role
from selection.followup import board
from tests.applications.factories import complete_application
from tests.factories import MunicipalityFactory, UserFactory, office_user, udir_user
from tests.selection.followup.helpers import (
    draft,
    follow_up_cohort,
    invited,
    reopened,
    submitted,
    withdrawn,
)
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


def board_url(cohort, office, **query):
    url = reverse("selection:followup", args=[cohort.pk, office.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


@pytest.fixture
def cohort_in_every_state():
    cohort, office, schedule = follow_up_cohort()
    officer = office_user(office, first_name="Siri", last_name="Saksbehandler")
    names = ["Aal", "Bø", "Dal", "Eid", "Fjell"]
    municipalities = {name: invited(cohort, office, name) for name in names}
    draft(cohort, municipalities["Bø"])
    submitted(cohort, municipalities["Dal"])
    reopened(
        cohort,
        municipalities["Eid"],
        officer,
        schedule.application_deadline + datetime.timedelta(days=7),
    )
    withdrawn(cohort, municipalities["Fjell"])
    member = UserFactory(first_name="Kari", last_name="Kontakt")
    Membership.objects.create(
        user=member, role=Role.MUNICIPALITY, municipality=municipalities["Bø"]
    )
    ContactPerson.objects.create(cohort=cohort, municipality=municipalities["Bø"], user=member)
    colleague = UserFactory(first_name="Kåre", last_name="Kollega")
    Membership.objects.create(
        user=colleague, role=Role.MUNICIPALITY, municipality=municipalities["Bø"]
    )
    # A municipality of the office that is not invited is not on the board.
    MunicipalityFactory(name="Ikke invitert", county__office=office)
    return {
        "cohort": cohort,
        "office": office,
        "schedule": schedule,
        "officer": officer,
        "municipalities": municipalities,
    }


def test_the_board_shows_every_invited_municipality_in_its_state(cohort_in_every_state):
    rows = board.board(
        cohort=cohort_in_every_state["cohort"], office=cohort_in_every_state["office"]
    )
    deadline = cohort_in_every_state["schedule"].application_deadline
    assert [
        (
            row.municipality.name,
            row.state,
            [(str(part.title), part.count) for part in row.parts],
            row.problem_count,
            row.people,
            (row.confirmed, row.requested),
            row.reminders_sent,
            row.deadline,
        )
        for row in rows
    ] == [
        ("Aal", "ikke_begynt", [], 0, [], (0, 0), 0, deadline),
        (
            "Bø",
            "utkast",
            [
                ("Skoler", 1),
                ("Barnehager", 1),
                ("PP-tjenesten", 1),
                # The school owner and PPT; no kindergarten, so no owner of one.
                ("Forpliktelser", 2),
                ("Motivasjon", 1),
            ],
            6,
            [("Kåre Kollega", False), ("Kari Kontakt", True)],
            (0, 0),
            0,
            deadline,
        ),
        ("Dal", "sendt", [], 0, [], (5, 5), 0, deadline),
        ("Eid", "gjenapnet", [], 0, [], (5, 5), 0, deadline + datetime.timedelta(days=7)),
        ("Fjell", "trukket", [], 0, [], (5, 5), 0, deadline),
    ]
    assert [row.not_remindable for row in rows] == [
        "",
        "",
        "Kommunen har sendt inn søknaden, så den trenger ingen påminnelse.",
        "",
        "",
    ]


def test_the_board_page_names_the_state_and_what_is_missing(client, cohort_in_every_state):
    setting = cohort_in_every_state
    sign_in(client, setting["officer"])
    response = client.get(board_url(setting["cohort"], setting["office"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Oppfølging – Pulje 9 – Fylkesmannen i Testland" in page
    assert "Forpliktelser: 2" in page
    assert "5 av 5 bekreftet" in page
    assert "Kari Kontakt (kontaktperson)" in page
    assert "Kommunen har sendt inn søknaden, så den trenger ingen påminnelse." in page
    assert page.count(">Send påminnelse<") == 4
    assert "Ikke invitert" not in page


def test_the_board_filters_by_state_and_sorts(client, cohort_in_every_state):
    setting = cohort_in_every_state
    sign_in(client, setting["officer"])
    response = client.get(board_url(setting["cohort"], setting["office"], status="utkast"))
    assert [row.municipality.name for row in response.context["rows"]] == ["Bø"]
    response = client.get(board_url(setting["cohort"], setting["office"], sorter="mangler"))
    assert [row.municipality.name for row in response.context["rows"]] == [
        "Bø",
        "Aal",
        "Dal",
        "Eid",
        "Fjell",
    ]
    response = client.get(board_url(setting["cohort"], setting["office"], sorter="status"))
    assert [row.municipality.name for row in response.context["rows"]] == [
        "Aal",
        "Bø",
        "Fjell",
        "Eid",
        "Dal",
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"status": "borte"}, "Velg en av statusene på listen."),
        ({"sorter": "<script>"}, "Velg en av måtene å sortere på."),
    ],
)
def test_an_unknown_filter_or_order_is_refused_with_a_message_and_all_rows_shown(
    client, cohort_in_every_state, query, message
):
    setting = cohort_in_every_state
    sign_in(client, setting["officer"])
    response = client.get(board_url(setting["cohort"], setting["office"], **query))
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [message]
    assert len(response.context["rows"]) == 5


def test_another_office_does_not_find_the_board_and_a_municipality_is_refused(
    client, cohort_in_every_state
):
    setting = cohort_in_every_state
    sign_in(client, office_user())
    assert client.get(board_url(setting["cohort"], setting["office"])).status_code == 404
    sign_in(client, UserFactory())
    member = Membership.objects.filter(role=Role.MUNICIPALITY).first().user
    sign_in(client, member)
    assert client.get(board_url(setting["cohort"], setting["office"])).status_code == 403


def test_udir_reads_the_board_without_the_reminder_buttons(client, cohort_in_every_state):
    setting = cohort_in_every_state
    sign_in(client, udir_user())
    response = client.get(board_url(setting["cohort"], setting["office"]))
    assert response.status_code == 200
    assert "Send påminnelse" not in response.content.decode()


def test_the_office_pages_link_to_the_board(client, cohort_in_every_state):
    setting = cohort_in_every_state
    sign_in(client, setting["officer"])
    url = board_url(setting["cohort"], setting["office"])
    for page in [
        reverse("office_start"),
        reverse("selection:invitations", args=[setting["cohort"].pk, setting["office"].pk]),
        reverse("selection:overview", args=[setting["cohort"].pk]),
    ]:
        assert f'href="{url}"' in client.get(page).content.decode(), page


def _cohort_of(size):
    cohort, office, schedule = follow_up_cohort()
    officer = office_user(office)
    for number in range(size):
        municipality = invited(cohort, office, f"Kommune {number}")
        # One row alone is a draft with units, so that every query of the board runs.
        if number % 4 == 0:
            complete_application(
                cohort=cohort, municipality=municipality, schedule=False, confirmed=False
            )
        elif number % 4 == 1:
            submitted(cohort, municipality)
        elif number % 4 == 2:
            member = UserFactory()
            Membership.objects.create(
                user=member, role=Role.MUNICIPALITY, municipality=municipality
            )
            ContactPerson.objects.create(cohort=cohort, municipality=municipality, user=member)
            withdrawn(cohort, municipality)
    return cohort, office, officer


@pytest.mark.parametrize("size", [1, 40])
def test_the_board_takes_as_many_queries_for_40_rows_as_for_one(
    client, django_assert_num_queries, size
):
    cohort, office, officer = _cohort_of(size)
    sign_in(client, officer)
    url = board_url(cohort, office)
    client.get(url)  # the session and the user's roles are loaded once
    with django_assert_num_queries(16):
        response = client.get(url)
    assert len(response.context["rows"]) == size


def test_the_board_counts_against_a_generated_cohort():
    cohort, office, _officer = _cohort_of(40)
    rows = board.board(cohort=cohort, office=office)
    assert [(state, count) for state, _label, count in board.counts(rows)] == [
        ("ikke_begynt", 10),
        ("utkast", 10),
        ("trukket", 10),
        ("gjenapnet", 0),
        ("sendt", 10),
    ]
    # Each draft lacks the confirmation of its five parties, and nothing else.
    assert [
        [(str(part.title), part.count) for part in row.parts]
        for row in rows
        if row.state == "utkast"
    ] == [[("Forpliktelser", 5)]] * 10
    assert [row.confirmed for row in rows if row.state == "sendt"] == [5] * 10
    assert timezone.now() - max(row.last_activity for row in rows) < datetime.timedelta(minutes=5)
