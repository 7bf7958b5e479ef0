import pytest
from django.urls import reverse

from laeringsmiljo.models import AuditEvent
from selection.models import Decision, Letter, Publication
from selection.process import decisions
from selection.process.errors import DecisionError
from tests.factories import OfficeScheduleFactory, municipality_user, office_user, udir_user
from tests.selection.process.helpers import add_office, submitted_applications
from tests.signin import sign_in


def _national(cohort, office_id=None):
    """Udir's page, with the office's section when one is given."""
    page = reverse("selection:national", args=[cohort.pk])
    return f"{page}?kontor={office_id}" if office_id else page


def _office_of(application):
    return application.municipality.county.office_id


def _recommend_and_send(applications, verdicts):
    for application, verdict in zip(applications, verdicts, strict=True):
        decisions.recommend(
            application=application, verdict=verdict, justification="Begrunnet.", actor=None
        )
    first = applications[0]
    decisions.send_to_udir(
        cohort=first.cohort,
        office=first.municipality.county.office,
        justification="Samlet.",
        actor=None,
    )


def test_the_proposal_respects_capacity_and_follows_the_ranking(db):
    applications = submitted_applications(3, capacity=1)
    _recommend_and_send(applications, ["anbefalt", "reserve", "ikke_anbefalt"])
    overview = decisions.national_overview(cohort=applications[0].cohort)
    office = overview["offices"][0]
    outcomes = {row["ranked"].application.pk: row["proposed"].outcome for row in office["rows"]}
    assert outcomes == {
        applications[0].pk: "valgt",
        applications[1].pk: "reserve",
        applications[2].pk: "ikke_valgt",
    }


def test_deciding_against_the_proposal_needs_a_reason(db):
    applications = submitted_applications(2, capacity=1)
    _recommend_and_send(applications, ["anbefalt", "anbefalt"])
    rows = decisions.ranking(
        cohort=applications[0].cohort, office_ids=[applications[0].municipality.county.office_id]
    )
    second = rows[1].application
    with pytest.raises(DecisionError) as excinfo:
        decisions.decide(
            application=second, outcome="valgt", reason="Valgt.", deviation_reason="", actor=None
        )
    assert "vedtaket avviker fra forslaget" in excinfo.value.messages[0]
    assert "embetets kapasitet blir overskredet" not in excinfo.value.messages[0]
    decisions.decide(
        application=rows[0].application,
        outcome="valgt",
        reason="Valgt.",
        deviation_reason="",
        actor=None,
    )
    with pytest.raises(DecisionError) as excinfo:
        decisions.decide(
            application=second, outcome="valgt", reason="Valgt.", deviation_reason="", actor=None
        )
    assert "embetets kapasitet blir overskredet" in excinfo.value.messages[0]
    decisions.decide(
        application=second,
        outcome="valgt",
        reason="Valgt.",
        deviation_reason="Ekstra midler i år.",
        actor=None,
    )
    assert Decision.objects.filter(outcome="valgt").count() == 2


def test_a_refused_decision_keeps_what_udir_chose_and_wrote(client, db):
    applications = submitted_applications(2, capacity=1)
    _recommend_and_send(applications, ["anbefalt", "reserve"])
    cohort = applications[0].cohort
    second = decisions.ranking(
        cohort=cohort, office_ids=[applications[0].municipality.county.office_id]
    )[1].application
    sign_in(client, udir_user())
    refused = client.post(
        reverse("selection:decide", args=[cohort.pk, second.pk]),
        {"outcome": "valgt", "reason": "Begge får plass.", "deviation_reason": "", "revision": 0},
        follow=True,
    )
    page = refused.content.decode()
    assert "Skriv hvorfor: vedtaket avviker fra forslaget" in page
    assert (
        f'<select class="form-select form-select-sm" name="outcome" id="vedtak-{second.pk}">'
        '<option value="valgt" selected>'
    ) in " ".join(page.split()).replace("> <", "><")
    assert f'id="grunn-{second.pk}" rows="2">Begge får plass.</textarea>' in page
    assert not Decision.objects.exists()
    # Shown once: afterwards the form offers the proposal again.
    again = client.get(_national(cohort, _office_of(second))).content.decode()
    assert "Begge får plass." not in again


def test_deciding_before_the_office_has_sent_needs_a_reason(db):
    application = submitted_applications(1)[0]
    with pytest.raises(DecisionError, match="embetet har ikke sendt innstillingen"):
        decisions.decide(
            application=application,
            outcome="ikke_valgt",
            reason="Nei.",
            deviation_reason="",
            actor=None,
        )
    assert not Decision.objects.exists()
    decisions.decide(
        application=application,
        outcome="ikke_valgt",
        reason="Nei.",
        deviation_reason="Fristen for innstilling er ute.",
        actor=None,
    )
    assert Decision.objects.get().deviation_reason == "Fristen for innstilling er ute."


def test_publishing_twice_is_refused(db, django_capture_on_commit_callbacks):
    application = submitted_applications(1)[0]
    _recommend_and_send([application], ["anbefalt"])
    decisions.decide(
        application=application, outcome="valgt", reason="Valgt.", deviation_reason="", actor=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        decisions.publish(cohort=application.cohort, actor=None)
    with pytest.raises(DecisionError, match="allerede publisert"):
        decisions.publish(cohort=application.cohort, actor=None)
    with pytest.raises(DecisionError, match="publisert"):
        decisions.decide(
            application=application, outcome="reserve", reason="x", deviation_reason="x", actor=None
        )
    assert Publication.objects.count() == 1
    assert Decision.objects.get().outcome == "valgt"


def test_publishing_with_an_undecided_application_is_refused(db):
    applications = submitted_applications(2)
    _recommend_and_send(applications, ["anbefalt", "reserve"])
    decisions.decide(
        application=applications[0],
        outcome="valgt",
        reason="Valgt.",
        deviation_reason="",
        actor=None,
    )
    with pytest.raises(DecisionError, match="mangler vedtak"):
        decisions.publish(cohort=applications[0].cohort, actor=None)
    assert not Publication.objects.exists()


def test_the_whole_path_through_the_client(
    client, db, django_capture_on_commit_callbacks, mailoutbox
):
    applications = submitted_applications(2, capacity=1)
    cohort = applications[0].cohort
    office = applications[0].municipality.county.office
    officer = office_user(office)
    sign_in(client, officer)
    rows = decisions.ranking(cohort=cohort, office_ids=[office.pk])
    for row in rows:
        client.post(
            reverse("selection:recommend", args=[cohort.pk, office.pk, row.application.pk]),
            {
                "verdict": "anbefalt" if row.position == 1 else "reserve",
                "justification": "Vurdert.",
                "revision": 0,
            },
        )
    client.post(
        reverse("selection:send", args=[cohort.pk, office.pk]), {"justification": "Se rangeringen."}
    )

    sign_in(client, udir_user())
    page = client.get(_national(cohort, office.pk))
    assert page.status_code == 200
    for row in rows:
        proposed = "valgt" if row.position == 1 else "reserve"
        client.post(
            reverse("selection:decide", args=[cohort.pk, row.application.pk]),
            {
                "outcome": proposed,
                "reason": "Etter innstillingen.",
                "deviation_reason": "",
                "revision": 0,
            },
        )
    assert Decision.objects.count() == 2
    # Before publication the municipality sees nothing of it.
    winner = rows[0].application
    sign_in(client, municipality_user(winner.municipality))
    assert "Valgt" not in client.get(reverse("municipality_start")).content.decode()

    sign_in(client, udir_user())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("selection:publish", args=[cohort.pk]))
    assert Publication.objects.filter(cohort=cohort).exists()
    assert AuditEvent.objects.filter(action="decision.published").count() == 2
    letters = Letter.objects.filter(cohort=cohort)
    assert sorted(letters.values_list("kind", flat=True)) == [
        "decision_reserve",
        "decision_selected",
    ]
    assert set(letters.values_list("status", flat=True)) == {"laget"}

    sign_in(client, municipality_user(winner.municipality))
    start = client.get(reverse("municipality_start")).content.decode()
    assert "Valgt" in start
    assert "Etter innstillingen." in start


@pytest.mark.parametrize(("who", "status"), [("udir", 200), ("office", 403), ("municipality", 403)])
def test_only_udir_sees_the_national_page(client, db, who, status):
    application = submitted_applications(1)[0]
    users = {
        "udir": udir_user,
        "office": lambda: office_user(application.municipality.county.office),
        "municipality": lambda: municipality_user(application.municipality),
    }
    sign_in(client, users[who]())
    assert (
        client.get(reverse("selection:national", args=[application.cohort.pk])).status_code
        == status
    )
    response = client.post(
        reverse("selection:decide", args=[application.cohort.pk, application.pk]),
        {"outcome": "valgt", "reason": "x", "deviation_reason": "x", "revision": 0},
    )
    assert response.status_code == (302 if who == "udir" else 403)
    assert Decision.objects.exists() == (who == "udir")


# The summarised offices' candidates are one query, with the latest score and the
# recommendation joined.
NATIONAL_SUMMARY_QUERIES = 10
NATIONAL_OFFICE_QUERIES = 16


@pytest.mark.parametrize("count", [1, 40])
def test_the_national_page_takes_the_same_queries_for_1_and_40_applications(
    client, db, django_assert_num_queries, count
):
    applications = submitted_applications(count)
    cohort = applications[0].cohort
    _recommend_and_send(applications, ["anbefalt"] * count)
    add_office(cohort, count)
    sign_in(client, udir_user())
    with django_assert_num_queries(NATIONAL_SUMMARY_QUERIES):
        summary = client.get(_national(cohort)).content.decode()
    with django_assert_num_queries(NATIONAL_OFFICE_QUERIES):
        section = client.get(_national(cohort, _office_of(applications[0]))).content.decode()
    assert 'name="outcome"' not in summary
    assert section.count('name="outcome"') == count


def test_the_national_page_sums_up_every_office_and_opens_the_chosen_one(client, db):
    first, second = submitted_applications(2, capacity=1)
    cohort = first.cohort
    _recommend_and_send([first, second], ["anbefalt", "reserve"])
    decisions.decide(
        application=first, outcome="valgt", reason="Valgt.", deviation_reason="", actor=None
    )
    (other,) = add_office(cohort, 1, capacity=3)
    empty = OfficeScheduleFactory(cohort=cohort, capacity=2).office
    sign_in(client, udir_user())
    page = client.get(_national(cohort))
    assert [
        (entry["office"], entry["schedule"].capacity, entry["applicants"], entry["recommended"])
        + (entry["proposed"], entry["decided"])
        for entry in page.context["summary"]
    ] == sorted(
        [
            (first.municipality.county.office, 1, 2, 1, 1, 1),
            (other.municipality.county.office, 3, 1, 0, 0, 0),
            (empty, 2, 0, 0, 0, 0),
        ],
        key=lambda row: row[0].name,
    )
    html = " ".join(page.content.decode().split())
    assert "Velg et embete i tabellen for å se søknadene fra det og sette vedtakene." in html
    assert first.municipality.name not in html
    assert f'<a href="?kontor={empty.pk}' not in html
    assert "Ingen søkere" in html
    only = client.get(_national(cohort) + "?med_sokere=1")
    assert empty not in [entry["office"] for entry in only.context["summary"]]
    opened = client.get(_national(cohort, _office_of(first))).content.decode()
    assert first.municipality.name in opened and second.municipality.name in opened
    assert other.municipality.name not in opened


@pytest.mark.parametrize("value", ["999999", "embete"])
def test_the_national_page_says_so_when_the_chosen_office_is_not_in_the_cohort(client, db, value):
    (application,) = submitted_applications(1)
    sign_in(client, udir_user())
    page = client.get(_national(application.cohort) + f"?kontor={value}")
    assert page.status_code == 200
    assert "Fant ikke embetet i puljen. Velg et embete i tabellen." in page.content.decode()
    assert page.context["entry"] is None


def test_a_decision_sends_udir_back_to_the_office_on_the_national_page(client, db):
    (application,) = submitted_applications(1)
    _recommend_and_send([application], ["anbefalt"])
    sign_in(client, udir_user())
    response = client.post(
        reverse("selection:decide", args=[application.cohort.pk, application.pk]),
        {"outcome": "valgt", "reason": "Valgt.", "deviation_reason": "", "revision": 0},
    )
    office_id = _office_of(application)
    assert response["Location"] == (
        _national(application.cohort, office_id) + f"#embete-{office_id}"
    )


def test_the_overview_counts_each_step(client, db):
    applications = submitted_applications(2)
    decisions.recommend(
        application=applications[0], verdict="anbefalt", justification="Ok.", actor=None
    )
    # A reserve has a verdict, but is not recommended: the column counts «innstilt» only.
    decisions.recommend(
        application=applications[1], verdict="reserve", justification="Ok.", actor=None
    )
    sign_in(client, office_user(applications[0].municipality.county.office))
    response = client.get(reverse("selection:overview", args=[applications[0].cohort.pk]))
    row = response.context["rows"][0]
    assert (row["submitted"], row["assessed"], row["recommended"], row["decided"]) == (2, 2, 1, 0)


def test_the_national_export_lists_every_decision(client, db):
    applications = submitted_applications(1)
    _recommend_and_send(applications, ["anbefalt"])
    decisions.decide(
        application=applications[0],
        outcome="valgt",
        reason="+Sterk søknad",
        deviation_reason="",
        actor=None,
    )
    sign_in(client, udir_user())
    text = client.get(
        reverse("selection:national_export", args=[applications[0].cohort.pk, "csv"])
    ).content.decode("utf-8-sig")
    line = text.splitlines()[1].split(";")
    assert line[4] == applications[0].municipality.name
    assert line[6:10] == [
        "Valgt",
        "Innstilt som nr. 1, innenfor kapasiteten.",
        "Valgt",
        "'+Sterk søknad",
    ]


def test_each_office_numbers_its_own_places_on_the_national_page(client, db):
    applications = submitted_applications(2, capacity=1)
    cohort = applications[0].cohort
    (other,) = add_office(cohort, 1)
    decisions.recommend(application=other, verdict="anbefalt", justification="Ja.", actor=None)
    decisions.send_to_udir(
        cohort=cohort, office=other.municipality.county.office, justification="Ja.", actor=None
    )
    overview = decisions.national_overview(cohort=cohort)
    places = {
        entry["office"].pk: [
            (row["ranked"].position, row["proposed"] and row["proposed"].reason)
            for row in entry["rows"]
        ]
        for entry in overview["offices"]
    }
    assert places[other.municipality.county.office_id] == [
        (1, "Innstilt som nr. 1, innenfor kapasiteten.")
    ]
    assert [place for place, _ in places[applications[0].municipality.county.office_id]] == [1, 2]
    sign_in(client, udir_user())
    page = "".join(
        client.get(_national(cohort, _office_of(application))).content.decode()
        for application in [applications[0], other]
    )
    assert "Innstilt som nr. 1, innenfor kapasiteten." in page
    assert "Innstilt som nr. 3" not in page


def test_the_national_page_proposes_nothing_for_an_office_that_has_not_sent_and_says_why(
    client, db
):
    # The office has given no verdicts yet: its applicants are not proposed as reserves.
    applications = submitted_applications(2, capacity=1)
    cohort = applications[0].cohort
    overview = decisions.national_overview(cohort=cohort)
    (entry,) = overview["offices"]
    assert [row["proposed"] for row in entry["rows"]] == [None, None]
    sign_in(client, udir_user())
    page = " ".join(
        client.get(_national(cohort, _office_of(applications[0]))).content.decode().split()
    )
    assert (
        "Ingen forslag: embetet har ikke sendt innstillingen sin til Udir ennå, og rangeringen "
        "og innstillingen kan fortsatt endres."
    ) in page
    assert "fyller en ledig plass" not in page


def test_an_application_whose_gate_is_not_decided_cannot_be_recommended_and_is_told_why(db):
    from selection.scoring.models import ApplicationScore

    (application,) = submitted_applications(1, capacity=1)
    # A gate that cannot be decided yet (say, a graded criterion made a gate, without a grade).
    ApplicationScore.objects.filter(application=application).update(eligible=None, total=None)
    with pytest.raises(DecisionError) as refused:
        decisions.recommend(
            application=application, verdict="anbefalt", justification="Ja.", actor=None
        )
    assert refused.value.messages == [
        "Det er ikke avgjort ennå om søknaden oppfyller kravet om full deltakelse "
        "(kriterium 6), og den kan ikke innstilles før det er avgjort."
    ]
    assert not hasattr(application, "recommendation") or application.recommendation.verdict == ""
    # Not recommending it is allowed: that needs no decided gate.
    decisions.recommend(
        application=application, verdict="ikke_anbefalt", justification="Nei.", actor=None
    )
