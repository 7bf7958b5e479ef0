"""A cohort in the middle of its assessment, with something on every page and every form of
every role: the browser tests' people and places (tests/e2e/cohort.py), and around them

- Fjordvik's draft with a school, a kindergarten, its PPT and an attachment;
- Nabovik's and Tredjevik's submitted applications, graded and scored, with a verdict on one,
  in Fjordfylke's ranking that has not been sent to Udir; Nabovik's receipt e-mail waits;
  Tredjevik's survey figures are all suppressed, so its criterion 1 lacks grounds;
- Austfylke with two submitted applications whose recommendation has been sent to Udir, and a
  decision on one;
- a complaint case, a supervision finding and an import waiting for confirmation;
- a batch of invitation letters with its ZIP, and a letter that failed;
- an administrator, and a user without a role.

The letters' files are small PDFs written directly: nothing here waits for WeasyPrint."""

import datetime
import io
import zipfile

from django.core.files.base import ContentFile
from django.utils import timezone

from applications import services as application_services
from applications.models import ApplicationKindergarten, ApplicationSchool, Attachment
from applications.notifications import note_receipt_not_queued
from laeringsmiljo.access import roles_of
from laeringsmiljo.models import County
from selection.evidence.imports import municipalities_in_scope, preview_import
from selection.evidence.services import save_complaint_cases, save_finding
from selection.models import Invitation, Letter, LetterBatch, LetterKind, SurveyFigure
from selection.process import decisions
from selection.scoring.engine import score_cohort
from selection.scoring.grading import grade_motivation
from tests.applications.factories import complete_application, pdf_bytes
from tests.e2e.cohort import build_scenario
from tests.factories import (
    MunicipalityFactory,
    OfficeScheduleFactory,
    UserFactory,
    municipality_user,
)
from tests.selection.factories import csv_bytes


def _submitted(cohort, county, number, name):
    municipality = MunicipalityFactory(county=county, number=number, name=name)
    application = complete_application(cohort=cohort, municipality=municipality, schedule=False)
    Invitation.objects.get_or_create(cohort=cohort, municipality=application.municipality)
    return application_services.submit(application=application, actor=None)


def _grade(applications, grade):
    for application in applications:
        grade_motivation(
            application=application,
            grade=grade,
            comment="Tydelig plan.",
            actor=None,
            expected_revision=0,
        )


def _letter(cohort, municipality, *, reference, batch=None, status=Letter.Status.GENERATED):
    letter = Letter(
        kind=LetterKind.INVITATION,
        cohort=cohort,
        municipality=municipality,
        reference=reference,
        batch=batch,
        language="nb",
        status=status,
        subject="Invitasjon til Læringsmiljøprosjektet",
    )
    if status == Letter.Status.GENERATED:
        content = pdf_bytes()
        letter.file.save("brev.pdf", ContentFile(content), save=False)
        letter.size, letter.pages = len(content), 1
        letter.generated_at = timezone.now()
    else:
        letter.failure = "Brevet kunne ikke lagres: disken er full"
    letter.save()
    return letter


def build_world():
    """Everything above, on top of the browser tests' scenario; returns the scenario with
    scenario.world holding the objects the tests refer to."""
    scenario = build_scenario()
    cohort, office = scenario.cohort, scenario.office
    county = scenario.municipality.county

    # Fjordvik's draft.
    Invitation.objects.create(cohort=cohort, municipality=scenario.municipality)
    Invitation.objects.create(cohort=cohort, municipality=scenario.neighbour)
    draft = application_services.start_application(
        cohort=cohort, municipality=scenario.municipality, actor=scenario.users["municipality"]
    )
    draft.ppt_service = scenario.ppt
    draft.motivation_why = "Vi vil ha et trygt læringsmiljø."
    draft.save()
    school = ApplicationSchool.objects.create(
        application=draft, school=scenario.schools[0], leader_name="Rita Rektor"
    )
    ApplicationKindergarten.objects.create(
        application=draft, kindergarten=scenario.kindergartens[0], leader_name="Siri Styrer"
    ).feeds.add(school)
    attachment = Attachment(
        application=draft,
        original_name="plan.pdf",
        size=len(pdf_bytes()),
        sha256="0" * 64,
        uploaded_by=scenario.users["municipality"],
    )
    attachment.file.save("vedlegg.pdf", ContentFile(pdf_bytes()), save=True)

    # Fjordfylke's submitted applications, ranked but not sent.
    neighbour_application = complete_application(
        cohort=cohort, municipality=scenario.neighbour, schedule=False
    )
    application_services.submit(application=neighbour_application, actor=None)
    neighbour_application.refresh_from_db()
    note_receipt_not_queued(
        application=neighbour_application, reason="Køen for bakgrunnsjobber kunne ikke nås."
    )
    ranked = [
        neighbour_application,
        _submitted(cohort, county, "6003", "Tredjevik"),
    ]
    third_user = municipality_user(ranked[1].municipality, username="tea")
    _grade(ranked, 4)
    # Every survey figure of Tredjevik's schools is suppressed: criterion 1 lacks grounds, and
    # its score page has the form for the office's judgement.
    SurveyFigure.objects.bulk_create(
        SurveyFigure(
            school=unit.school,
            school_year=year,
            share_symbol="*",
            respondents_symbol="*",
            suppressed=True,
        )
        for unit in ranked[1].schools.all()
        for year in range(2015, 2031)
    )

    # Austfylke's, sent to Udir, one decided.
    other_office = roles_of(scenario.users["other_office"]).offices[0]
    other_county = County.objects.get(office=other_office)
    OfficeScheduleFactory(
        cohort=cohort,
        office=other_office,
        invitation_date=scenario.schedule.invitation_date,
        application_deadline=scenario.schedule.application_deadline,
        recommendation_deadline=scenario.schedule.recommendation_deadline,
        capacity=1,
    )
    sent = [
        _submitted(cohort, other_county, number, name)
        for number, name in [("6101", "Austvik"), ("6102", "Austdal")]
    ]
    _grade(sent, 3)
    score_cohort(cohort=cohort, actor=None)
    decisions.recommend(
        application=ranked[0],
        verdict="anbefalt",
        justification="Sterk søknad.",
        actor=scenario.users["office"],
    )
    for application, verdict in zip(sent, ["anbefalt", "reserve"], strict=True):
        decisions.recommend(
            application=application,
            verdict=verdict,
            justification="Godt begrunnet.",
            actor=scenario.users["other_office"],
        )
    decisions.send_to_udir(
        cohort=cohort,
        office=other_office,
        justification="Austvik først.",
        actor=scenario.users["other_office"],
    )
    decisions.decide(
        application=sent[0],
        outcome="valgt",
        reason="Sterk søknad.",
        deviation_reason="",
        actor=scenario.users["udir"],
    )

    # Evidence.
    case = save_complaint_cases(
        municipality=scenario.municipality,
        school=scenario.schools[0],
        school_year=2019,
        cases=2,
        long_running=1,
        actor=scenario.users["office"],
    )
    finding = save_finding(
        municipality=scenario.municipality,
        actor=scenario.users["office"],
        school=scenario.schools[1],
        date=datetime.date(2019, 3, 1),
        topic="Skolemiljø",
        in_practice=True,
        in_routines=False,
        in_system=False,
        closed=False,
    )
    pending = preview_import(
        kind="elevundersokelsen",
        file_name="mobbing.csv",
        content=csv_bytes(
            [
                ["Organisasjonsnummer", "Skoleår", "Andel mobbet (%)", "Antall svar"],
                [scenario.schools[0].organisation_number, "2019-20", "7,5", "40"],
            ]
        ),
        actor=scenario.users["office"],
        scope=municipalities_in_scope(roles_of(scenario.users["office"])),
    )

    # Letters.
    batch = LetterBatch.objects.create(
        purpose=LetterBatch.Purpose.INVITATIONS,
        cohort=cohort,
        office=office,
        created_by=scenario.users["office"],
        finished_at=timezone.now(),
    )
    letter = _letter(cohort, scenario.municipality, reference="LMP6-6001-INV", batch=batch)
    failed = _letter(
        cohort,
        scenario.neighbour,
        reference="LMP6-6002-INV",
        batch=batch,
        status=Letter.Status.FAILED,
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("LMP6-6001-INV.pdf", pdf_bytes())
    batch.zip_file.save("brev.zip", ContentFile(archive.getvalue()), save=True)

    scenario.users["third"] = third_user
    scenario.users["admin"] = UserFactory(
        username="admin", is_staff=True, is_superuser=True, first_name="Ada", last_name="Admin"
    )
    scenario.users["no_role"] = UserFactory(username="ingen")
    scenario.world = {
        "draft": draft,
        "attachment": attachment,
        "ranked": ranked,
        "sent": sent,
        "other_office": other_office,
        "case": case,
        "finding": finding,
        "pending": pending,
        "batch": batch,
        "letter": letter,
        "failed_letter": failed,
    }
    return scenario
