"""Scoring applications against the criteria, with the reasons for every number.

A scoring run loads all the evidence of its applications with a fixed number of queries (the
database sums the survey figures), computes every active criterion for every application, and
stores the results with the criteria exactly as they were, so that a later edit of a weight
changes no stored score until someone scores again.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from django.db import transaction
from django.db.models import Count, Max, Prefetch, Sum
from django.utils import translation

from applications.completeness import commitment_problems
from applications.models import (
    Application,
    ApplicationKindergarten,
    ApplicationSchool,
    Commitment,
)
from laeringsmiljo.audit import record
from laeringsmiljo.models import OfficeSchedule, School
from selection.evidence.models import (
    ComplaintCaseCount,
    NationalMean,
    SupervisionFinding,
    SurveyFigure,
)
from selection.evidence.services import counted_figures, mean, weighted_share
from selection.scoring import criteria
from selection.scoring.criteria import Kind
from selection.scoring.models import ApplicationScore, Criterion, ScoringRun
from selection.scoring.windows import evidence_window

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def q(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class CriterionOutcome:
    """What one criterion came to for one application (not Udir's decision, which is
    selection.process.models.Outcome)."""

    SCORED = "poeng"
    MISSING = "mangler"
    PASSED = "oppfylt"
    FAILED = "ikke_oppfylt"


@dataclass
class Result:
    kind: str
    outcome: str
    raw_value: Decimal | None
    points: Decimal | None
    weighted_points: Decimal | None
    explanation: dict

    def as_json(self):
        return {
            "kind": self.kind,
            "outcome": self.outcome,
            "raw_value": _str(self.raw_value),
            "points": _str(self.points),
            "weighted_points": _str(self.weighted_points),
            "explanation": self.explanation,
        }


def _str(value):
    return None if value is None else str(value)


def reference_school_year(window, national_means):
    """The last school year of the window that has survey figures (or, without any, the
    window's last school year): criterion 1 counts its N school years back from it, since
    Elevundersøkelsen's figures come out some months after each autumn's survey."""
    with_figures = [
        year
        for year, national in national_means.items()
        if year <= window.last_school_year and national.value is not None
    ]
    return max(with_figures) if with_figures else window.last_school_year


def school_years(reference, count):
    return list(range(reference - count + 1, reference + 1))


@dataclass
class SchoolYearFigure:
    weighted: Decimal
    respondents: int
    rows: int


class Evidence:
    """Everything a run needs about its applications, loaded with a fixed number of queries."""

    def __init__(self, *, cohort, applications, snapshot):
        school_units = ApplicationSchool.objects.filter(application__in=applications)
        schools = {}
        for unit in school_units.select_related("school").order_by("school__name"):
            schools.setdefault(unit.application_id, []).append(unit)
        self.kindergartens = {}
        for unit in (
            ApplicationKindergarten.objects.filter(application__in=applications)
            .select_related("kindergarten")
            .prefetch_related(Prefetch("feeds", queryset=ApplicationSchool.objects.only("id")))
            .order_by("kindergarten__name")
        ):
            self.kindergartens.setdefault(unit.application_id, []).append(unit)
        self.commitments = {}
        for commitment in Commitment.objects.filter(
            application__in=applications, voided_at__isnull=True
        ).order_by("pk"):
            self.commitments.setdefault(commitment.application_id, {})[commitment.slot] = commitment
        self._load(
            cohort=cohort,
            snapshot=snapshot,
            schools=schools,
            school_ids=school_units.values("school_id"),
            municipality_ids=applications.values("municipality_id"),
        )

    @classmethod
    def for_municipalities(cls, *, cohort, municipalities, snapshot):
        """The evidence of criteria 1–3 for whole municipalities (all their schools), keyed by
        municipality pk where a run keys by application pk: for the invitation proposal."""
        evidence = cls.__new__(cls)
        evidence.kindergartens = {}
        school_rows = School.objects.filter(municipality__in=municipalities, active=True)
        schools = {}
        for school in school_rows.order_by("name"):
            schools.setdefault(school.municipality_id, []).append(
                SimpleNamespace(school_id=school.pk, school=school)
            )
        evidence._load(
            cohort=cohort,
            snapshot=snapshot,
            schools=schools,
            school_ids=school_rows.values("pk"),
            municipality_ids=[m.pk for m in municipalities],
        )
        return evidence

    def _load(self, *, cohort, snapshot, schools, school_ids, municipality_ids):
        latest_deadline = OfficeSchedule.objects.filter(cohort=cohort).aggregate(
            latest=Max("application_deadline")
        )["latest"]
        self.window = evidence_window(cohort=cohort, latest_deadline=latest_deadline)
        self.national_means = {m.school_year: m for m in NationalMean.objects.all()}
        self.reference_year = reference_school_year(self.window, self.national_means)
        self.schools = schools
        participating = school_ids

        self.survey_years = []
        self.survey = {}
        self.suppressed = {}
        if Kind.BULLYING in snapshot:
            params = criteria.typed(Kind.BULLYING, snapshot[Kind.BULLYING]["parameters"])
            self.survey_years = school_years(self.reference_year, params["years"])
            figures = SurveyFigure.objects.filter(
                school__in=participating, school_year__in=self.survey_years
            )
            for row in (
                counted_figures(figures)
                .values("school_id", "school_year")
                .annotate(
                    weighted=Sum(weighted_share()), respondents=Sum("respondents"), rows=Count("id")
                )
                .order_by()
            ):
                self.survey[row["school_id"], row["school_year"]] = SchoolYearFigure(
                    row["weighted"], row["respondents"], row["rows"]
                )
            for row in (
                figures.filter(suppressed=True)
                .values("school_id", "school_year", "grade", "share_symbol", "respondents_symbol")
                .order_by("grade")
            ):
                self.suppressed.setdefault((row["school_id"], row["school_year"]), []).append(row)

        self.case_years = []
        self.cases = {}
        if Kind.COMPLAINTS in snapshot:
            params = criteria.typed(Kind.COMPLAINTS, snapshot[Kind.COMPLAINTS]["parameters"])
            self.case_years = self.window.school_years(params["years"])
            for count in ComplaintCaseCount.objects.filter(
                school__in=participating, school_year__in=self.case_years
            ):
                self.cases[count.school_id, count.school_year] = count

        self.findings = {}
        if Kind.SUPERVISION in snapshot:
            for finding in (
                SupervisionFinding.objects.filter(municipality__in=municipality_ids)
                .select_related("school")
                .order_by("-date", "topic")
            ):
                self.findings.setdefault(finding.municipality_id, []).append(finding)


def _national(evidence, year):
    national = evidence.national_means.get(year)
    if national is None or national.value is None:
        return None
    return national


def _national_entry(national):
    """How a year's national reference is described in the explanation: Udir's published
    figure with its source, or the provisional mean of the figures imported so far."""
    entry = {"national": str(national.value), "national_published": national.is_published}
    if national.is_published:
        # Nothing about the imported figures: the published figure does not depend on them.
        entry["national_source"] = national.published_source
    else:
        entry["national_provisional"] = True
        entry["national_schools"] = national.computed_schools
        entry["national_counties"] = national.computed_counties
    return entry


def _judgement(judgement):
    return {
        "points": str(q(judgement.points)),
        "reason": judgement.reason,
        "judged_by": (judgement.judged_by.get_full_name() or judgement.judged_by.username)
        if judgement.judged_by
        else "",
        "judged_at": judgement.judged_at.isoformat(),
    }


def score_bullying(application, evidence, params):
    """Criterion 1: the participating schools' share bullied against the national reference.

    Per school year: the schools' share, weighted by respondents, minus the national figure of
    that year: Udir's published figure, or where none is published the mean of the figures
    imported so far, which the explanation marks as provisional with how many schools and
    counties it comes from. The raw value is the mean of those differences over the years that
    have both; each percentage point above the reference gives points_per_percentage_point
    points.

    When every figure of the participating schools in those years is suppressed, the criterion
    lacks grounds (mangler grunnlag): no points, not zero, until the office has judged it
    (BullyingJudgement); then the office's points count.
    """
    years = evidence.survey_years
    schools = []
    group = {year: [ZERO, 0] for year in years}
    for unit in evidence.schools.get(application.pk, []):
        entries = []
        for year in years:
            figure = evidence.survey.get((unit.school_id, year))
            suppressed = [
                {
                    "grade": row["grade"],
                    "symbol": row["share_symbol"] or row["respondents_symbol"],
                }
                for row in evidence.suppressed.get((unit.school_id, year), [])
            ]
            entry = {"year": year, "suppressed": suppressed}
            if figure is not None and figure.respondents:
                entry.update(
                    share=str(mean(figure.weighted, figure.respondents)),
                    respondents=figure.respondents,
                    rows=figure.rows,
                )
                group[year][0] += Decimal(figure.weighted)
                group[year][1] += figure.respondents
            entries.append(entry)
        schools.append(
            {"name": unit.school.name, "orgnr": unit.school.organisation_number, "years": entries}
        )
    yearly = []
    differences = []
    for year in years:
        national = _national(evidence, year)
        entry = {"year": year}
        if national is not None:
            entry.update(_national_entry(national))
        weighted, respondents = group[year]
        if respondents:
            share = mean(weighted, respondents)
            entry["share"] = str(share)
            entry["respondents"] = respondents
            if national is not None:
                difference = share - national.value
                entry["difference"] = str(difference)
                differences.append(difference)
            else:
                entry["left_out"] = "no_national_mean"
        else:
            entry["left_out"] = "no_figures"
        yearly.append(entry)
    raw = q(sum(differences) / len(differences)) if differences else None
    counted = any(respondents for _weighted, respondents in group.values())
    all_suppressed = not counted and any(
        entry["suppressed"] for school in schools for entry in school["years"]
    )
    explanation = {
        "years": years,
        "reference_year": evidence.reference_year,
        "schools": schools,
        "yearly": yearly,
        "no_data": raw is None and not all_suppressed,
        "provisional": [
            {
                "year": entry["year"],
                "schools": entry["national_schools"],
                "counties": entry["national_counties"],
            }
            for entry in yearly
            if "difference" in entry and entry.get("national_provisional")
        ],
    }
    if all_suppressed:
        explanation["all_suppressed"] = True
        judgement = getattr(application, "bullying_judgement", None)
        if judgement is None:
            explanation["missing"] = "all_suppressed"
            return None, None, explanation
        explanation["judgement"] = _judgement(judgement)
        return None, q(min(max(judgement.points, ZERO), params["max_points"])), explanation
    if raw is None:
        points = ZERO
    else:
        points = q(
            min(max(raw * params["points_per_percentage_point"], ZERO), params["max_points"])
        )
    return raw, points, explanation


def score_complaints(application, evidence, params):
    """Criterion 2: the participating schools' 9 A cases in the last school years; points per
    case, and extra points per long-running or complex case."""
    years = evidence.case_years
    rows = []
    cases = long_running = 0
    for unit in evidence.schools.get(application.pk, []):
        for year in years:
            count = evidence.cases.get((unit.school_id, year))
            if count is not None:
                rows.append(
                    {
                        "school": unit.school.name,
                        "year": year,
                        "cases": count.cases,
                        "long_running": count.long_running,
                    }
                )
                cases += count.cases
                long_running += count.long_running
    uncapped = q(
        cases * params["points_per_case"] + long_running * params["extra_points_long_running"]
    )
    points = min(uncapped, q(params["max_points"]))
    explanation = {
        "years": years,
        "window": evidence.window.as_json(),
        "rows": rows,
        "cases": cases,
        "long_running": long_running,
        "uncapped": str(uncapped),
        "capped": uncapped > points,
    }
    return Decimal(cases), points, explanation


def score_supervision(application, evidence, params):
    """Criterion 3: open deficiencies found by supervision of the municipality as school owner
    or of a participating school, dated within the cohort's window; points by kind."""
    since = evidence.window.since(params["years"])
    until = evidence.window.until
    participating = {unit.school_id for unit in evidence.schools.get(application.pk, [])}
    counted, left_out = [], []
    total = ZERO
    for finding in evidence.findings.get(application.municipality_id, []):
        entry = {
            "date": finding.date.isoformat(),
            "topic": finding.topic,
            "school": finding.school.name if finding.school else "",
            "practice": finding.in_practice,
            "routines": finding.in_routines,
            "system": finding.in_system,
        }
        if finding.school_id is not None and finding.school_id not in participating:
            left_out.append({**entry, "reason": "other_school"})
        elif finding.closed:
            left_out.append({**entry, "reason": "closed"})
        elif finding.date < since:
            left_out.append({**entry, "reason": "too_old"})
        elif finding.date > until:
            left_out.append({**entry, "reason": "too_new"})
        else:
            points = (
                (params["points_practice"] if finding.in_practice else ZERO)
                + (params["points_routines"] if finding.in_routines else ZERO)
                + (params["points_system"] if finding.in_system else ZERO)
            )
            total += points
            counted.append({**entry, "points": str(q(points))})
    uncapped = q(total)
    points = min(uncapped, q(params["max_points"]))
    explanation = {
        "since": since.isoformat(),
        "until": until.isoformat(),
        "window": evidence.window.as_json(),
        "counted": counted,
        "left_out": left_out,
        "uncapped": str(uncapped),
        "capped": uncapped > points,
    }
    return Decimal(len(counted)), points, explanation


def score_motivation(application, evidence, params):
    """Criterion 4: the office's grade, placed on the scale: the lowest grade gives 0 points,
    the highest max_points. Without a grade the criterion is missing, not zero."""
    grade = getattr(application, "motivation_grade", None)
    scale = {"scale_min": params["scale_min"], "scale_max": params["scale_max"]}
    if grade is None:
        return None, None, {**scale, "missing": "not_graded"}
    explanation = {
        **scale,
        "grade": grade.grade,
        "graded_by": (grade.graded_by.get_full_name() or grade.graded_by.username)
        if grade.graded_by
        else "",
        "graded_at": grade.graded_at.isoformat(),
        "comment": grade.comment,
    }
    if not params["scale_min"] <= grade.grade <= params["scale_max"]:
        return None, None, {**explanation, "missing": "outside_scale"}
    points = q(
        Decimal(grade.grade - params["scale_min"])
        * params["max_points"]
        / Decimal(params["scale_max"] - params["scale_min"])
    )
    return Decimal(grade.grade), points, explanation


def score_kindergartens(application, evidence, params):
    """Criterion 5: the share of participating kindergartens that send children to a
    participating school, and the kindergartens with known challenges."""
    units = evidence.kindergartens.get(application.pk, [])
    names = {unit.pk: unit.school.name for unit in evidence.schools.get(application.pk, [])}
    listed = []
    feeding = challenged = 0
    for unit in units:
        feeds = [names[feed.pk] for feed in unit.feeds.all() if feed.pk in names]
        has_challenges = bool(unit.challenges.strip())
        feeding += bool(feeds)
        challenged += has_challenges
        listed.append(
            {"name": unit.kindergarten.name, "feeds": sorted(feeds), "challenges": has_challenges}
        )
    if units:
        share = Decimal(feeding) / Decimal(len(units))
        feeder_points = Decimal(feeding) * params["feeder_points"] / Decimal(len(units))
    else:
        share = feeder_points = ZERO
    challenge_points = challenged * params["points_per_challenged_kindergarten"]
    uncapped = q(feeder_points + challenge_points)
    points = min(uncapped, q(params["max_points"]))
    explanation = {
        "kindergartens": listed,
        "feeding": feeding,
        "challenged": challenged,
        "count": len(units),
        "feeder_points": str(q(feeder_points)),
        "challenge_points": str(q(challenge_points)),
        "uncapped": str(uncapped),
        "capped": uncapped > points,
    }
    return q(share * 100), points, explanation


def score_participation(application, evidence, params):
    """Criterion 6: every owner, PPT and every participating unit's leader has committed.
    The messages are kept in both written standards."""
    schools = evidence.schools.get(application.pk, [])
    kindergartens = evidence.kindergartens.get(application.pk, [])
    problems = {}
    for language in ("nb", "nn"):
        with translation.override(language):
            problems[language] = [
                str(p.message)
                for p in commitment_problems(
                    application,
                    schools,
                    kindergartens,
                    evidence.commitments.get(application.pk, {}),
                )
            ]
    passed = not problems["nb"]
    points = q(params["max_points"]) if passed else ZERO
    return Decimal(len(problems["nb"])), points, {"problems": problems, "passed": passed}


RULES = {
    Kind.BULLYING: score_bullying,
    Kind.COMPLAINTS: score_complaints,
    Kind.SUPERVISION: score_supervision,
    Kind.MOTIVATION: score_motivation,
    Kind.KINDERGARTENS: score_kindergartens,
    Kind.PARTICIPATION: score_participation,
}


def evaluate(application, evidence, criterion):
    """One criterion (as snapshotted) for one application."""
    kind = criterion["kind"]
    params = criteria.typed(kind, criterion["parameters"])
    raw, points, explanation = RULES[kind](application, evidence, params)
    explanation["parameters"] = criterion["parameters"]
    if points is None:
        return Result(kind, CriterionOutcome.MISSING, raw, None, None, explanation)
    if criterion["is_gate"]:
        passed = explanation["passed"] if kind == Kind.PARTICIPATION else points > 0
        return Result(
            kind,
            CriterionOutcome.PASSED if passed else CriterionOutcome.FAILED,
            raw,
            points,
            None,
            explanation,
        )
    weighted = q(points * Decimal(criterion["weight"]))
    return Result(kind, CriterionOutcome.SCORED, raw, points, weighted, explanation)


def _score(*, cohort, applications, scope, actor):
    criteria_rows = list(Criterion.objects.order_by("order", "kind"))
    snapshot = [c.snapshot() for c in criteria_rows]
    active = [c for c in snapshot if c["active"]]
    evidence = Evidence(
        cohort=cohort, applications=applications, snapshot={c["kind"]: c for c in active}
    )
    loaded = list(
        applications.select_related(
            "municipality__county",
            "motivation_grade__graded_by",
            "bullying_judgement__judged_by",
        ).order_by("municipality__number")
    )
    # The applications' rows are locked in a fixed order, so that two runs over the same
    # application take turns and each marks the newest score it made as the latest.
    ids = [application.pk for application in loaded]
    list(Application.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    ApplicationScore.objects.filter(application_id__in=ids, is_latest=True).update(is_latest=False)
    run = ScoringRun.objects.create(
        cohort=cohort,
        scope=scope,
        started_by=actor if actor is not None and actor.is_authenticated else None,
        criteria=snapshot,
        application_count=len(loaded),
    )
    scores = []
    for application in loaded:
        results = [evaluate(application, evidence, criterion) for criterion in active]
        total, partial, eligible = _totals(results, active)
        stored = [r.as_json() for r in results]
        scores.append(
            ApplicationScore(
                run=run,
                application=application,
                application_status=application.status,
                total=total,
                partial_total=partial,
                eligible=eligible,
                results=stored,
                lacks_grounds=_lacks_grounds_in(stored),
                provisional_references=_provisional_in(stored),
                is_latest=True,
            )
        )
    ApplicationScore.objects.bulk_create(scores)
    record(
        actor=actor,
        action="scoring.run",
        obj=run,
        after={
            "scope": scope,
            "applications": len(loaded),
            "criteria": [
                {k: c[k] for k in ("kind", "weight", "is_gate", "active", "parameters")}
                for c in snapshot
            ],
        },
    )
    return run, scores


def _bullying(results):
    return next((r for r in results if r["kind"] == Kind.BULLYING), None)


def _lacks_grounds_in(results):
    result = _bullying(results)
    return (
        result is not None
        and result["outcome"] == CriterionOutcome.MISSING
        and result["explanation"].get("missing") == "all_suppressed"
    )


def _provisional_in(results):
    result = _bullying(results)
    if result is None:
        return []
    explanation = result["explanation"]
    if "provisional" in explanation:
        return explanation["provisional"]
    # A score stored before the references were told apart: its computed means were provisional
    # too, from a number of counties it did not record.
    return [
        {"year": entry["year"], "schools": entry.get("national_schools", 0), "counties": None}
        for entry in explanation.get("yearly", [])
        if "difference" in entry and not entry.get("national_published", False)
    ]


def lacks_grounds(score):
    """Whether the stored score's criterion 1 lacks grounds: every survey figure of the
    participating schools is suppressed, and the office's judgement is not in the score. Kept
    in a column by the scoring run, so that a list need not load the results."""
    return score is not None and score.lacks_grounds


def provisional_references(score):
    """The school years whose national reference in the stored score's criterion 1 was the
    provisional mean of the imported figures, not Udir's published figure: a list of
    {"year", "schools", "counties"}, empty when every reference was published. Kept in a
    column by the scoring run, as lacks_grounds is."""
    return [] if score is None else score.provisional_references


def eligible(score):
    """Whether an application may be recommended (kan innstilles): it is scored and every gate
    is decided and met. A gate not yet decided (ApplicationScore.eligible is None) leaves it
    not yet eligible: it may turn out to fail."""
    return score is not None and score.eligible is True


def gate_decided(score):
    """Whether the application is scored and its gates are decided, met or not."""
    return score is not None and score.eligible is not None


def _totals(results, active):
    """(total, partial total, eligible) of one application's results.

    A failed gate makes the application not eligible and leaves it without a total. A gate
    that cannot be decided (a missing grade) leaves eligibility open. The total is there only
    when every weighted criterion has its points.
    """
    gate_kinds = {c["kind"] for c in active if c["is_gate"]}
    gates = [r for r in results if r.kind in gate_kinds]
    weighted = [r for r in results if r.kind not in gate_kinds]
    partial = q(sum((r.weighted_points for r in weighted if r.weighted_points is not None), ZERO))
    if any(r.outcome == CriterionOutcome.FAILED for r in gates):
        eligible = False
    elif any(r.outcome == CriterionOutcome.MISSING for r in gates):
        eligible = None
    else:
        eligible = True
    complete = all(r.weighted_points is not None for r in weighted)
    total = partial if complete and eligible else None
    return total, partial, eligible


@transaction.atomic
def score_application(*, application, actor):
    """Score one application now, as a run of its own. Returns its ApplicationScore."""
    run, scores = _score(
        cohort=application.cohort,
        applications=Application.objects.filter(pk=application.pk),
        scope=ScoringRun.Scope.APPLICATION,
        actor=actor,
    )
    return scores[0]


@transaction.atomic
def score_cohort(*, cohort, actor, office_ids=None):
    """Score every submitted application of a cohort (of the given offices' counties, or all)
    in one run, loading the evidence with a fixed number of queries. Returns the run."""
    applications = Application.objects.filter(cohort=cohort, status=Application.Status.SUBMITTED)
    if office_ids is not None:
        applications = applications.filter(municipality__county__office_id__in=office_ids)
    run, _scores = _score(
        cohort=cohort, applications=applications, scope=ScoringRun.Scope.COHORT, actor=actor
    )
    return run


EVIDENCE_KINDS = (Kind.BULLYING, Kind.COMPLAINTS, Kind.SUPERVISION)


def municipality_evidence_results(*, cohort, municipalities):
    """Criteria 1–3 for each municipality as a whole (all its schools), with the same rules
    and explanations as an application's: the ground of the invitation proposal. Returns the
    results by municipality pk; a fixed number of queries."""
    snapshot = {
        c.kind: c.snapshot() for c in Criterion.objects.filter(kind__in=EVIDENCE_KINDS, active=True)
    }
    evidence = Evidence.for_municipalities(
        cohort=cohort, municipalities=municipalities, snapshot=snapshot
    )
    results = {}
    for municipality in municipalities:
        stand_in = SimpleNamespace(pk=municipality.pk, municipality_id=municipality.pk)
        results[municipality.pk] = [
            evaluate(stand_in, evidence, snapshot[kind])
            for kind in EVIDENCE_KINDS
            if kind in snapshot
        ]
    return results


def latest_scores(applications, *, with_results=True):
    """The latest stored score of each application, by application pk, in one query by the
    scoring run's latest mark. Without results, the criteria's stored results (the largest
    column) are left in the database, for the pages that show only totals."""
    scores = ApplicationScore.objects.filter(
        application__in=applications, is_latest=True
    ).select_related("run")
    if not with_results:
        scores = scores.defer("results", "run__criteria")
    return {score.application_id: score for score in scores}
