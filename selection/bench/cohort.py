"""Benchmarks for manage.py bench: scoring a national cohort, and reading a national survey file.

Each runs on the throwaway database the command sets up, on the real 2020 municipalities with
generated schools, kindergartens and evidence.
"""

import csv
import datetime
import io
import random
from decimal import Decimal

from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import (
    Application,
    ApplicationKindergarten,
    ApplicationSchool,
    Commitment,
)
from laeringsmiljo.generator import generate_registry
from laeringsmiljo.models import Cohort, FeederLink, Kindergarten, Municipality, School
from selection.bench.timing import Samples, interleaved, measure
from selection.evidence.demo import setup_demo_evidence
from selection.evidence.imports import apply_plan, plan_file
from selection.evidence.models import ImportKind, SurveyFigure
from selection.scoring.engine import score_cohort
from selection.scoring.models import MotivationGrade


def _national_registry():
    if not Municipality.objects.exists():
        call_command("loaddata", "registry_2020", verbosity=0)
    if not School.objects.exists():
        generate_registry(seed=1, scale="national")
    setup_demo_evidence(seed=1)


def _national_cohort(rng):
    """One submitted application per municipality, with up to four schools and kindergartens."""
    cohort, _created = Cohort.objects.get_or_create(
        number=900,
        defaults={
            "name": "Ytelsespulje",
            "kickoff_date": datetime.date(2020, 4, 21),
            "start_date": datetime.date(2020, 9, 1),
            "end_date": datetime.date(2022, 6, 30),
        },
    )
    if cohort.applications.exists():
        return cohort
    signatories = {
        f"{who}_{what}": value
        for who in ("school_owner", "kindergarten_owner", "ppt_leader")
        for what, value in (("name", "Navn Navnesen"), ("role", "Leder"))
    }
    applications = Application.objects.bulk_create(
        Application(
            cohort=cohort,
            municipality=municipality,
            status=Application.Status.SUBMITTED,
            **signatories,
        )
        for municipality in Municipality.objects.order_by("number")
    )
    schools_by_municipality, kindergartens_by_municipality = {}, {}
    for school in School.objects.order_by("pk"):
        schools_by_municipality.setdefault(school.municipality_id, []).append(school)
    for kindergarten in Kindergarten.objects.order_by("pk"):
        kindergartens_by_municipality.setdefault(kindergarten.municipality_id, []).append(
            kindergarten
        )
    leader = {"leader_name": "Leder", "leader_role": "Leder"}
    school_units, kindergarten_units = [], []
    for application in applications:
        schools = schools_by_municipality.get(application.municipality_id, [])
        kindergartens = kindergartens_by_municipality.get(application.municipality_id, [])
        for school in rng.sample(schools, k=min(4, len(schools))):
            school_units.append(ApplicationSchool(application=application, school=school, **leader))
        for kindergarten in rng.sample(kindergartens, k=min(4, len(kindergartens))):
            kindergarten_units.append(
                ApplicationKindergarten(
                    application=application,
                    kindergarten=kindergarten,
                    challenges="Mange nye barn" if rng.random() < 0.3 else "",
                    owner_contact_name="Eier",
                    owner_contact_role="Daglig leder",
                    **leader,
                )
            )
    ApplicationSchool.objects.bulk_create(school_units)
    ApplicationKindergarten.objects.bulk_create(kindergarten_units)
    school_units_by_application = {}
    for unit in school_units:
        school_units_by_application.setdefault(unit.application_id, []).append(unit)
    through = ApplicationKindergarten.feeds.through
    links = set(FeederLink.objects.values_list("kindergarten_id", "school_id"))
    feeds = [
        through(applicationkindergarten_id=unit.pk, applicationschool_id=school_unit.pk)
        for unit in kindergarten_units
        for school_unit in school_units_by_application.get(unit.application_id, [])
        if (unit.kindergarten_id, school_unit.school_id) in links
    ]
    through.objects.bulk_create(feeds)
    _confirmed_commitments(applications, school_units, kindergarten_units, rng)
    MotivationGrade.objects.bulk_create(
        MotivationGrade(application=application, grade=rng.randint(1, 6))
        for application in applications
        if rng.random() < 0.8
    )
    return cohort


def _confirmed_commitments(applications, school_units, kindergarten_units, rng):
    """Every party confirmed, but the school owner of about one in ten applications."""
    now = timezone.now()
    answered = {
        "name": "Navn Navnesen",
        "role": "Leder",
        "email": "leder@bench.example",
        "answer": Commitment.Answer.CONFIRMED,
        "answered_at": now,
        "sent_at": now,
        "expires_at": now,
        "text_seen": "Forpliktelse",
    }
    rows = []
    for application in applications:
        kinds = [Commitment.Kind.KINDERGARTEN_OWNER, Commitment.Kind.PPT]
        if rng.random() > 0.1:
            kinds.append(Commitment.Kind.SCHOOL_OWNER)
        rows += [Commitment(application=application, kind=kind, **answered) for kind in kinds]
    for unit in school_units:
        rows.append(
            Commitment(
                application_id=unit.application_id,
                kind=Commitment.Kind.SCHOOL,
                school=unit,
                **answered,
            )
        )
    for unit in kindergarten_units:
        for kind in (Commitment.Kind.KINDERGARTEN, Commitment.Kind.PRIVATE_OWNER):
            rows.append(
                Commitment(
                    application_id=unit.application_id,
                    kind=kind,
                    kindergarten=unit,
                    **answered,
                )
            )
    Commitment.objects.bulk_create(rows)


def bench_scoring(stdout, *, rounds=3):
    """score_cohort on the national cohort, several times in a row (each a new run, as a
    re-score is)."""
    _national_registry()
    cohort = _national_cohort(random.Random(1))
    applications = cohort.applications.count()
    samples, runs = Samples(), []
    for _round in range(rounds):
        with CaptureQueriesContext(connection) as queries:
            wall, cpu = measure(lambda: runs.append(score_cohort(cohort=cohort, actor=None)))
        samples.add(wall, cpu)
    reads = sum(1 for q in queries.captured_queries if q["sql"].startswith("SELECT"))
    stdout.write(
        f"score_cohort: {runs[-1].application_count} av {applications} søknader på "
        f"{samples.spread(scale=1, unit='s')}, {len(queries)} spørringer ({reads} lesinger)"
    )


def _survey_workbook(figures, *, shift=Decimal(0)):
    """A national file of Elevundersøkelsen as Udir exports it, one row per figure; with a
    shift, every share that is not suppressed is that much higher (a corrected file)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Mobbing")
    sheet.append(
        ["Organisasjonsnummer", "Skolenavn", "Skoleår", "Trinn", "Andel mobbet (%)", "Antall svar"]
    )
    for figure in figures:
        share = figure.share_symbol
        if figure.share is not None:
            share = min(figure.share + shift, Decimal(100)) if figure.share < 100 else 99
        sheet.append(
            [
                figure.school.organisation_number,
                figure.school.name,
                figure.school_year_label,
                figure.grade,
                share,
                figure.respondents if figure.respondents is not None else figure.respondents_symbol,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _survey_csv(content):
    """The same rows as a semicolon-separated file with decimal commas, as Excel saves it."""
    from openpyxl import load_workbook

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in load_workbook(io.BytesIO(content), read_only=True).worksheets[0].values:
        writer.writerow(
            ["" if v is None else str(v).replace(".", ",") if isinstance(v, float) else v
             for v in row]
        )  # fmt: skip
    return buffer.getvalue().encode("utf-8")


def bench_survey_import(stdout, *, rounds=5):
    """Read, check and plan a national file (xlsx and csv), and write it: as a new import
    (every row added) and as a corrected file (every share changed). Each write runs in a
    transaction rolled back after, so that every round starts from the same figures."""
    _national_registry()
    figures = list(SurveyFigure.objects.select_related("school").order_by("pk"))
    rows = len(figures)
    content = _survey_workbook(figures)
    text = _survey_csv(content)
    corrected = _survey_workbook(figures, shift=Decimal("0.1"))
    plans = []

    def plan(data, name):
        return lambda: plans.append(
            plan_file(kind=ImportKind.SURVEY, file_name=name, content=data, scope=None)
        )

    timings = interleaved(
        {"xlsx": plan(content, "nasjonal.xlsx"), "csv": plan(text, "nasjonal.csv")},
        rounds=rounds,
    )
    plan = plans[-2]
    for name, samples in timings.items():
        stdout.write(
            f"survey preview {name}: {rows} rader "
            f"({len(content if name == 'xlsx' else text) // 1024} KiB) lest, kontrollert og "
            f"planlagt på {samples.spread(scale=1, unit='s')}: {rows / samples.median:,.0f} "
            f"rader per sekund, {rows / samples.cpu_mean:,.0f} per CPU-sekund (mål: minst "
            f"20 000); {plan.unchanged} uendret, {len(plan.rejected)} avvist"
        )
    writes = {"ny": Samples(), "rettet": Samples()}
    facts = {}
    for _round in range(rounds):
        for name, data in (("ny", content), ("rettet", corrected)):
            with transaction.atomic():
                if name == "ny":
                    SurveyFigure.objects.all().delete()
                planned = plan_file(
                    kind=ImportKind.SURVEY, file_name="nasjonal.xlsx", content=data, scope=None
                )
                records = []
                with CaptureQueriesContext(connection) as queries:
                    writes[name].add(
                        *measure(
                            lambda planned=planned, data=data, records=records: records.append(
                                apply_plan(
                                    planned, file_name="nasjonal.xlsx", content=data, actor=None
                                )
                            )
                        )
                    )
                written = SurveyFigure.objects.filter(last_import=records[0]).count()
                facts[name] = (len(planned.create), len(planned.update), len(queries), written)
                transaction.set_rollback(True)
    for name, samples in writes.items():
        added, changed, queries, written = facts[name]
        stdout.write(
            f"survey import, skrivingen av {name} fil ({added} lagt til, {changed} endret, "
            f"{written} lagret med importen, {queries} spørringer): "
            f"{samples.spread(scale=1, unit='s')}: "
            f"{rows / samples.median:,.0f} rader per sekund"
        )
