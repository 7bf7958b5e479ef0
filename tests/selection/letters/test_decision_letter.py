"""The decision letter as an administrative decision: the right to appeal with its deadline (or
why there is none), the case number and whom to ask, the sender's details, the addressee once,
and the office's name as it was on the letter's date. Each letter is made by WeasyPrint and
read back from the PDF."""

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import formats, translation
from pypdf import PdfReader

from laeringsmiljo.models import GovernorOffice, OfficeSchedule
from laeringsmiljo.workdays import appeal_deadline, easter_sunday, public_holidays
from selection.letters.batches import start_decision_letters
from selection.letters.services import addressee, generate_letter
from selection.models import Letter, LetterTemplate
from selection.process import decisions
from tests.factories import udir_user
from tests.nynorsk import bokmal_words
from tests.selection.process.helpers import submitted_applications
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

# The national overview, reasons included: the same for any number of applications.
QUERIES = 10

OUTCOMES = ["valgt", "reserve", "ikke_valgt"]
KINDS = {
    "valgt": "decision_selected",
    "reserve": "decision_reserve",
    "ikke_valgt": "decision_not_selected",
}


def _text(letter):
    with letter.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _long_date(day, language):
    with translation.override(language):
        return formats.date_format(day, "j. F Y")


def _decided_letters(
    language, *, individual=True, dated=None, office=None, django_capture_on_commit_callbacks
):
    """One published application of each outcome in the målform, each with its decision letter
    made on the given date (today when None), by the publishing Udir officer."""
    applications = submitted_applications(3, capacity=1)
    cohort = applications[0].cohort
    if office is not None:
        # The counties of a registered office, with the schedule the applications were under.
        county = applications[0].municipality.county
        OfficeSchedule.objects.filter(cohort=cohort, office=county.office).update(office=office)
        county.office = office
        county.save()
        for application in applications:
            application.municipality.refresh_from_db()
    cohort.decisions_are_individual = individual
    cohort.save()
    for application in applications:
        application.municipality.written_standard = language
        application.municipality.save()
    for application, verdict in zip(
        applications, ["anbefalt", "anbefalt", "ikke_anbefalt"], strict=True
    ):
        decisions.recommend(
            application=application, verdict=verdict, justification="Begrunnet.", actor=None
        )
    decisions.send_to_udir(
        cohort=cohort,
        office=applications[0].municipality.county.office,
        justification="Samlet.",
        actor=None,
    )
    officer = udir_user(first_name="Kari", last_name="Nordmann", email="kari.nordmann@udir.no")
    overview = decisions.national_overview(cohort=cohort)
    for row in overview["offices"][0]["rows"]:
        proposed = row["proposed"]
        decisions.decide(
            application=row["ranked"].application,
            outcome=proposed.outcome,
            reason=proposed.reason_in(language),
            deviation_reason="",
            actor=officer,
        )
    decisions.publish(cohort=cohort, actor=officer)
    # The letters as the publication orders them, made here on the chosen date.
    with django_capture_on_commit_callbacks(execute=False):
        start_decision_letters(cohort=cohort, actor=officer)
    letters = Letter.objects.filter(cohort=cohort)
    if dated is not None:
        letters.update(dated=dated)
    for letter in letters:
        generate_letter(letter_id=letter.pk)
    made = {
        letter.application.decision.outcome: letter
        for letter in Letter.objects.filter(cohort=cohort).select_related("application__decision")
    }
    assert sorted(made) == sorted(OUTCOMES)
    assert {letter.status for letter in made.values()} == {"laget"}
    return made


def _user_data(letter):
    municipality = letter.municipality
    return [
        municipality.name,
        municipality.county.office.name,
        municipality.postal_address,
        letter.reference,
        "Kari Nordmann",
    ]


APPEAL = {
    "nb": [
        "Klagerett og innsyn",
        "Dette er et enkeltvedtak etter forvaltningsloven § 2",
        "Klagefristen er tre uker fra den dagen dere mottok dette brevet",
        "Endrer vi ikke vedtaket, sender vi klagen til Kunnskapsdepartementet, som avgjør den.",
        "Dere har rett til å se dokumentene i saken, med de unntakene som følger av "
        "forvaltningsloven §§ 18 og 19.",
    ],
    "nn": [
        "Klagerett og innsyn",
        "Dette er eit enkeltvedtak etter forvaltningslova § 2",
        "Klagefristen er tre veker frå den dagen de fekk dette brevet",
        "Endrar vi ikkje vedtaket, sender vi klaga til Kunnskapsdepartementet, som avgjer ho.",
        "De har rett til å sjå dokumenta i saka, med dei unntaka som følgjer av "
        "forvaltningslova §§ 18 og 19.",
    ],
}
NO_APPEAL = {
    "nb": [
        "Ingen klagerett",
        "Resultatet er ikke et enkeltvedtak etter forvaltningsloven § 2, og det kan derfor ikke "
        "påklages.",
        "utvalget av deltakere avgjør ikke rettigheter eller plikter for kommunen",
    ],
    "nn": [
        "Ingen klagerett",
        "Resultatet er ikkje eit enkeltvedtak etter forvaltningslova § 2, og det kan difor ikkje "
        "klagast på.",
        "utvalet av deltakarar avgjer ikkje rettar eller plikter for kommunen",
    ],
}


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_decision_letter_of_an_individual_decision_carries_the_right_to_appeal(
    language, django_capture_on_commit_callbacks
):
    made = _decided_letters(
        language, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    for outcome in OUTCOMES:
        letter = made[outcome]
        text = _text(letter)
        assert letter.kind == KINDS[outcome]
        assert letter.subject.startswith("Vedtak: ")
        for sentence in APPEAL[language]:
            assert sentence in text, (outcome, sentence)
        assert "Ingen klagerett" not in text
        assert "Spørsmål om vedtaket kan " in text
        if outcome == "valgt":
            assert ("og har vedtatt at" if language == "nb" else "og har vedteke at") in text
        deadline = _long_date(appeal_deadline(letter.dated), language)
        assert f"{deadline}." in text
        # Whom to ask: Udir's case officer, with the case number.
        assert "Kari Nordmann" in text
        assert "kari.nordmann@udir.no" in text
        assert letter.application.reference in text
        assert "Org.nr.: 970018131" in text
        assert "www.udir.no" in text
        assert "Postboks 9359 Grønland, 0135 Oslo" in text
        if language == "nn":
            assert bokmal_words(text, ignore=_user_data(letter)) == []


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_a_result_that_is_not_an_individual_decision_is_a_notice_that_says_why_no_appeal(
    language, django_capture_on_commit_callbacks
):
    made = _decided_letters(
        language,
        individual=False,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    for outcome in OUTCOMES:
        letter = made[outcome]
        text = _text(letter)
        assert letter.subject.startswith("Melding om resultat: "), letter.subject
        assert f"Melding om resultat: {letter.municipality.name} kommune" in text
        for sentence in NO_APPEAL[language]:
            assert sentence in text, (outcome, sentence)
        assert "Klagefristen" not in text
        assert "Klagerett og innsyn" not in text
        # A notice never calls itself a decision: what Udir did, and what to ask about.
        body = text[: text.index(NO_APPEAL[language][0])]
        assert "vedtatt" not in body and "vedteke" not in body and "vedtaket" not in body
        assert "Spørsmål om resultatet kan " in body
        if outcome == "valgt":
            assert "og har bestemt at" in body
        if language == "nn":
            assert bokmal_words(text, ignore=_user_data(letter)) == []


@pytest.mark.parametrize(
    ("sent", "deadline"),
    [
        # Across a month end, on a Friday: three weeks exactly.
        (date(2020, 5, 15), date(2020, 6, 5)),
        (date(2027, 1, 15), date(2027, 2, 5)),
        # Ends on a Saturday or a Sunday: the Monday after.
        (date(2020, 5, 23), date(2020, 6, 15)),
        (date(2027, 8, 22), date(2027, 9, 13)),
        # Good Friday 2020, then Easter Saturday, Sunday and Monday: Tuesday 14 April.
        (date(2020, 3, 20), date(2020, 4, 14)),
        # Good Friday 2027 (Easter is 28 March): Tuesday 30 March.
        (date(2027, 3, 5), date(2027, 3, 30)),
        # Maundy Thursday 2027: over Easter to Tuesday 30 March.
        (date(2027, 3, 4), date(2027, 3, 30)),
        # 17 May, and Ascension Day 2027 (6 May).
        (date(2021, 4, 26), date(2021, 5, 18)),
        (date(2027, 4, 15), date(2027, 5, 7)),
        # Christmas Day on a Friday: the Monday after Boxing Day and the Sunday.
        (date(2020, 12, 4), date(2020, 12, 28)),
    ],
)
def test_the_appeal_deadline_is_three_weeks_moved_to_the_next_working_day(sent, deadline):
    assert appeal_deadline(sent) == deadline


def test_easter_and_the_holidays_that_follow_it_are_computed():
    assert [easter_sunday(year) for year in (2020, 2021, 2027, 2038)] == [
        date(2020, 4, 12),
        date(2021, 4, 4),
        date(2027, 3, 28),
        date(2038, 4, 25),
    ]
    holidays = public_holidays(2027)
    assert sorted(holidays) == [
        date(2027, 1, 1),
        date(2027, 3, 25),
        date(2027, 3, 26),
        date(2027, 3, 28),
        date(2027, 3, 29),
        date(2027, 5, 1),
        date(2027, 5, 6),
        date(2027, 5, 16),
        date(2027, 5, 17),
        date(2027, 12, 25),
        date(2027, 12, 26),
    ]


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_letter_gives_the_deadline_over_easter(language, django_capture_on_commit_callbacks):
    made = _decided_letters(
        language,
        dated=date(2027, 3, 5),
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    text = _text(made["ikke_valgt"])
    expected = {"nb": "senest 30. mars 2027.", "nn": "seinast 30. mars 2027."}[language]
    assert expected in text
    assert {"nb": "sendt på e-post 5. mars 2027", "nn": "sendt på e-post 5. mars 2027"}[
        language
    ] in text


@pytest.mark.parametrize(
    ("dated", "name", "other"),
    [
        (date(2020, 6, 2), "Fylkesmannen i Agder", "Statsforvalteren"),
        (date(2027, 6, 1), "Statsforvalteren i Agder", "Fylkesmannen"),
    ],
)
def test_the_office_has_the_name_in_force_on_the_letters_date(
    registry, dated, name, other, django_capture_on_commit_callbacks
):
    agder = GovernorOffice.objects.get(code="agder")
    names = sorted(agder.names.all(), key=lambda n: n.valid_from or date.min)
    assert [(n.name, n.valid_from, n.valid_until) for n in names] == [
        ("Fylkesmannen i Agder", None, date(2020, 12, 31)),
        ("Statsforvalteren i Agder", date(2021, 1, 1), None),
    ]
    made = _decided_letters(
        "nb",
        dated=dated,
        office=agder,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    for letter in made.values():
        text = _text(letter)
        assert f"innstillingene fra {name}" in text
        assert f"Kopi til: {name}" in text
        assert other not in text


def test_the_addressee_is_printed_once_when_the_address_already_starts_with_the_name(
    django_capture_on_commit_callbacks,
):
    made = _decided_letters(
        "nb", django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    letter = made["valgt"]
    municipality = letter.municipality
    municipality.postal_address = f"{municipality.name} kommune\nPostboks 7\n4891 Testby"
    municipality.save()
    assert addressee(municipality) == f"{municipality.name} kommune\nPostboks 7\n4891 Testby"
    Letter.objects.filter(pk=letter.pk).update(status="venter", file="")
    letter = generate_letter(letter_id=letter.pk)
    head = _text(letter).split("Saksnummer (vår ref.)")[0]
    assert head.count(f"{municipality.name} kommune") == 1
    assert "Postboks 7 4891 Testby" in head
    # Without the name in the registered address, the name comes first, once.
    municipality.postal_address = "Postboks 7\n4891 Testby"
    assert addressee(municipality) == f"{municipality.name} kommune\nPostboks 7\n4891 Testby"


def test_an_unknown_placeholder_in_the_appeal_section_is_refused_in_admin(client):
    from django.contrib.auth import get_user_model

    sign_in(client, get_user_model().objects.create_superuser("rot", "rot@test.example", "x"))
    template = LetterTemplate.objects.get(kind="decision_reserve", language="nn")
    before = template.appeal_text
    response = client.post(
        reverse("admin:selection_lettertemplate_change", args=[template.pk]),
        {
            "kind": template.kind,
            "language": template.language,
            "subject": template.subject,
            "body": template.body,
            "notice_subject": template.notice_subject,
            "appeal_text": "Klag innan {klagefrist}.",
            "no_appeal_text": template.no_appeal_text,
        },
    )
    assert response.status_code == 200
    assert "Ukjent plassholder {klagefrist}." in response.content.decode()
    template.refresh_from_db()
    assert template.appeal_text == before


def test_an_invitation_cannot_be_given_an_appeal_section(client):
    from django.contrib.auth import get_user_model

    sign_in(client, get_user_model().objects.create_superuser("rot", "rot@test.example", "x"))
    template = LetterTemplate.objects.get(kind="invitation", language="nb")
    response = client.post(
        reverse("admin:selection_lettertemplate_change", args=[template.pk]),
        {
            "kind": template.kind,
            "language": template.language,
            "subject": template.subject,
            "body": template.body,
            "notice_subject": "",
            "appeal_text": "Dere kan klage innen {appeal_deadline}.",
            "no_appeal_text": "",
        },
    )
    assert response.status_code == 200
    assert "Bare vedtaksbrev har denne teksten. La feltet stå tomt." in response.content.decode()
    template.refresh_from_db()
    assert template.appeal_text == ""


REASON = {
    "nb": {
        "rank": "rangerte søknaden som nr. {rank} av 3 søknader.",
        "capacity": "Embetet kan ta inn 1 kommune i puljen.",
        "total": "Søknaden fikk {total} poeng samlet.",
        "criteria": "som veide tyngst, var kriterium",
        "gate": "Kravet i kriterium 6 «{name}» er oppfylt.",
        "office": "begrunnet innstillingen slik: «Begrunnet.»",
    },
    "nn": {
        "rank": "rangerte søknaden som nr. {rank} av 3 søknader.",
        "capacity": "Embetet kan ta inn 1 kommune i puljen.",
        "total": "Søknaden fekk {total} poeng samla.",
        "criteria": "som vog tyngst, var kriterium",
        "gate": "Kravet i kriterium 6 «{name}» er oppfylt.",
        "office": "grunngav innstillinga slik: «Begrunnet.»",
    },
}


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_reason_names_the_rank_the_capacity_the_total_and_the_criteria_that_weighed_most(
    language, django_capture_on_commit_callbacks
):
    from selection.process.reasons import points
    from selection.scoring.engine import latest_scores

    made = _decided_letters(
        language, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    for letter in made.values():
        text = _text(letter)
        application = letter.application
        rank = application.recommendation.position
        score = latest_scores([application])[application.pk]
        criteria = {c["kind"]: c for c in score.run.criteria}
        weighted = sorted(
            (r for r in score.results if not criteria[r["kind"]]["is_gate"]),
            key=lambda r: -float(r["weighted_points"] or 0),
        )
        top = criteria[weighted[0]["kind"]]
        gate = next(c for c in score.run.criteria if c["is_gate"])
        expected = REASON[language]
        office = letter.municipality.county.office.name
        assert f"{office} {expected['rank'].format(rank=rank)}" in text
        assert expected["capacity"] in text
        assert expected["total"].format(total=points(score.total)) in text
        assert expected["criteria"] in text
        assert (
            f"kriterium {top['number']} «{top[f'name_{language}']}» med "
            f"{points(weighted[0]['weighted_points'])} poeng"
        ) in text
        assert expected["gate"].format(name=gate[f"name_{language}"]) in text
        assert f"{office} {expected['office']}" in text
        if language == "nn":
            assert bokmal_words(text, ignore=[*_user_data(letter), "Begrunnet."]) == []


def test_udir_sees_the_assembled_reason_before_publishing_and_a_departure_gives_its_reason(
    client,
):
    applications = submitted_applications(2, capacity=1)
    cohort = applications[0].cohort
    for application in applications:
        decisions.recommend(
            application=application,
            verdict="anbefalt",
            justification="Tydelig plan.",
            actor=None,
        )
    office = applications[0].municipality.county.office
    decisions.send_to_udir(cohort=cohort, office=office, justification="Samlet.", actor=None)
    second = decisions.ranking(cohort=cohort, office_ids=[office.pk])[1].application
    decisions.decide(
        application=second,
        outcome="valgt",
        reason="Kommunen har størst behov.",
        deviation_reason="Behovet veier tyngre enn plassen i rangeringen.",
        actor=None,
    )
    sign_in(client, udir_user())
    page = " ".join(
        client.get(reverse("selection:national", args=[cohort.pk]) + f"?kontor={office.pk}")
        .content.decode()
        .split()
    )
    assert "Begrunnelsen i vedtaksbrevet" in page
    assert f"{office.name} rangerte søknaden som nr. 2 av 2 søknader." in page
    assert "Embetet kan ta inn 1 kommune i puljen." in page
    assert "Kommunen har størst behov." in page
    assert "Udir har begrunnet avviket slik: Behovet veier tyngre enn plassen i rangeringen." in (
        page
    )
    assert f"{office.name} begrunnet innstillingen slik: «Tydelig plan.»" in page


@pytest.mark.parametrize("count", [1, 3])
def test_the_assembled_reasons_take_the_same_number_of_queries_for_1_and_3_applications(
    django_assert_num_queries, count
):
    applications = submitted_applications(count, capacity=1)
    cohort = applications[0].cohort
    for application in applications:
        decisions.recommend(
            application=application, verdict="anbefalt", justification="Ja.", actor=None
        )
    decisions.send_to_udir(
        cohort=cohort,
        office=applications[0].municipality.county.office,
        justification="Samlet.",
        actor=None,
    )
    with django_assert_num_queries(QUERIES):
        overview = decisions.national_overview(cohort=cohort)
        reasons = [row["assembled_reason"] for row in overview["offices"][0]["rows"]]
    assert len(reasons) == count
    assert all("rangerte søknaden som nr." in reason for reason in reasons)


@pytest.mark.parametrize(
    ("dated", "name", "other"),
    [
        (date(2020, 1, 6), "Fylkesmannen i Agder", "Statsforvalteren"),
        (date(2027, 1, 4), "Statsforvalteren i Agder", "Fylkesmannen"),
    ],
)
def test_an_invitation_comes_from_the_office_by_its_name_on_the_date_with_its_case_officer(
    registry, dated, name, other
):
    from laeringsmiljo.models import Municipality
    from selection.letters.batches import start_invitation_letters
    from selection.models import Invitation
    from tests.factories import OfficeScheduleFactory, office_user

    agder = GovernorOffice.objects.get(code="agder")
    agder.organisation_number = "974762994"
    agder.website = "www.statsforvalteren.no/agder"
    agder.postal_address = "Postboks 9359\n4604 Kristiansand"
    agder.save()
    grimstad = Municipality.objects.get(number="4202")
    schedule = OfficeScheduleFactory(office=agder)
    Invitation.objects.create(cohort=schedule.cohort, municipality=grimstad)
    officer = office_user(agder, first_name="Ola", last_name="Fjell", email="ola.fjell@sf.example")
    batch = start_invitation_letters(cohort=schedule.cohort, office=agder, actor=officer)
    letter = Letter.objects.get(batch=batch)
    Letter.objects.filter(pk=letter.pk).update(dated=dated)
    letter = generate_letter(letter_id=letter.pk)
    text = _text(letter)
    assert text.startswith(f"{name} Postadresse: Postboks 9359, 4604 Kristiansand")
    assert "Org.nr.: 974762994" in text
    assert "www.statsforvalteren.no/agder" in text
    assert "Ola Fjell ola.fjell@sf.example" in text
    assert f"{name} inviterer Grimstad kommune" in text
    assert other not in text
    assert "Klagerett" not in text


def test_the_migration_rewords_the_old_default_decision_texts_and_keeps_rewritten_ones():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("selection.migrations.0014_notice_letters_without_vedtak")
    old = LetterTemplate.objects.get(kind="decision_selected", language="nb")
    old.body = (
        "Utdanningsdirektoratet har gått gjennom søknadene og innstillingene fra {office}, og har "
        "vedtatt at {municipality} kommune er tatt opp.\n\nSaksnummeret er {reference}. Spørsmål "
        "om vedtaket kan rettes til {case_officer} i Utdanningsdirektoratet på "
        "{case_officer_email}."
    )
    old.save()
    own = LetterTemplate.objects.get(kind="decision_reserve", language="nn")
    own.body = "Vi har vedteke dette sjølve. Spør oss om vedtaket."
    own.save()

    migration.reword(apps, None)

    old.refresh_from_db()
    assert "og {decided} at {municipality} kommune er tatt opp." in old.body
    assert "Spørsmål om {decision} kan rettes til {case_officer}" in old.body
    own.refresh_from_db()
    assert own.body == "Vi har vedteke dette sjølve. Spør oss om vedtaket."
    old.full_clean()  # the placeholders are those of a decision letter
