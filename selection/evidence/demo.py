"""Generated evidence for the demo: survey figures, complaint cases and supervision findings.

Udir's statistics cannot be reached from here, so the figures are made up, plausibly and
deterministically: the same seed on the same registry gives the same rows.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from laeringsmiljo.models import Municipality, School
from selection.evidence.models import ComplaintCaseCount, SupervisionFinding, SurveyFigure
from selection.evidence.services import recompute_national_means

SURVEY_YEARS = (2016, 2017, 2018, 2019)
CASE_YEARS = (2017, 2018, 2019)
# The demo users' offices get evidence in every municipality; the rest in some.
DEMO_OFFICES = ("trondelag", "nordland")
TOPICS = [
    "Elevenes skolemiljø (kapittel 9 A)",
    "Skolebasert vurdering",
    "Forsvarlig system",
    "Spesialundervisning",
    "Skolens arbeid med elevenes utbytte",
]


@dataclass
class DemoEvidence:
    survey_figures: int
    complaint_cases: int
    findings: int


def _grades(school):
    if school.level == School.Level.PRIMARY:
        return ["7"]
    if school.level == School.Level.LOWER_SECONDARY:
        return ["10"]
    return ["7", "10"]


def _survey_figures(rng, schools):
    level_by_municipality = {}
    figures = []
    for school in schools:
        # Some municipalities sit well above the national level, as the real ones do.
        level = level_by_municipality.setdefault(
            school.municipality_id, rng.choice([5.0, 5.5, 6.0, 6.0, 6.5, 7.5, 9.0])
        )
        for year in SURVEY_YEARS:
            for grade in _grades(school):
                respondents = max(0, round((school.pupils or 70) / 7 * rng.uniform(0.7, 1.0)))
                share = Decimal(str(round(min(max(rng.gauss(level, 2.2), 0.0), 40.0), 1)))
                if respondents < 10 or rng.random() < 0.02:
                    symbol = "*" if respondents < 10 else rng.choice([":", "-", "."])
                    figures.append(
                        SurveyFigure(
                            school=school,
                            school_year=year,
                            grade=grade,
                            share_symbol=symbol,
                            respondents=respondents if symbol != "*" else None,
                            respondents_symbol="*" if symbol == "*" else "",
                            suppressed=True,
                        )
                    )
                else:
                    figures.append(
                        SurveyFigure(
                            school=school,
                            school_year=year,
                            grade=grade,
                            share=share,
                            respondents=respondents,
                        )
                    )
    return figures


def _complaint_cases(rng, schools, demo_municipalities):
    counts = []
    for school in schools:
        likely = 0.35 if school.municipality_id in demo_municipalities else 0.08
        for year in CASE_YEARS:
            if rng.random() < likely:
                cases = rng.randint(1, 4)
                counts.append(
                    ComplaintCaseCount(
                        school=school,
                        school_year=year,
                        cases=cases,
                        long_running=rng.randint(0, min(cases, 2)),
                    )
                )
    return counts


def _findings(rng, municipalities, schools_by_municipality, demo_municipalities):
    findings = []
    for municipality in municipalities:
        likely = 0.5 if municipality.pk in demo_municipalities else 0.1
        if rng.random() >= likely:
            continue
        for topic in rng.sample(TOPICS, k=rng.randint(1, 2)):
            schools = schools_by_municipality.get(municipality.pk, [])
            school = rng.choice(schools) if schools and rng.random() < 0.5 else None
            kinds = rng.choice([(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0), (1, 0, 1), (1, 1, 1)])
            findings.append(
                SupervisionFinding(
                    municipality=municipality,
                    school=school,
                    date=datetime.date(rng.choice([2017, 2018, 2019]), rng.randint(1, 12), 1),
                    topic=topic,
                    in_practice=bool(kinds[0]),
                    in_routines=bool(kinds[1]),
                    in_system=bool(kinds[2]),
                    closed=rng.random() < 0.3,
                )
            )
    return findings


@transaction.atomic
def setup_demo_evidence(*, seed):
    """Survey figures for 2016-17 to 2019-20 (some suppressed), complaint cases and findings,
    made once: rows that are already there are kept as they are. Needs the registry's schools;
    without them it does nothing."""
    rng = random.Random(seed)
    schools = list(School.objects.order_by("organisation_number"))
    if not schools:
        return DemoEvidence(0, 0, 0)
    municipalities = list(Municipality.objects.order_by("number"))
    demo_municipalities = {
        m.pk for m in Municipality.objects.filter(county__office__code__in=DEMO_OFFICES).only("pk")
    }
    schools_by_municipality = {}
    for school in schools:
        schools_by_municipality.setdefault(school.municipality_id, []).append(school)

    figures = _survey_figures(rng, schools)
    counts = _complaint_cases(rng, schools, demo_municipalities)
    findings = _findings(rng, municipalities, schools_by_municipality, demo_municipalities)

    SurveyFigure.objects.bulk_create(figures, batch_size=2000, ignore_conflicts=True)
    ComplaintCaseCount.objects.bulk_create(counts, batch_size=2000, ignore_conflicts=True)
    existing = set(
        SupervisionFinding.objects.values_list("municipality_id", "school_id", "date", "topic")
    )
    new_findings = [
        f for f in findings if (f.municipality_id, f.school_id, f.date, f.topic) not in existing
    ]
    SupervisionFinding.objects.bulk_create(new_findings)
    recompute_national_means(years=SURVEY_YEARS)
    return DemoEvidence(len(figures), len(counts), len(findings))
