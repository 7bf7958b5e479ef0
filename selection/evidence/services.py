"""The evidence an office registers by hand, and the national means of Elevundersøkelsen."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, DecimalField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laeringsmiljo.audit import record, snapshot
from selection.evidence.models import (
    ComplaintCaseCount,
    NationalMean,
    SupervisionFinding,
    SurveyFigure,
)

CASE_FIELDS = ["school", "school_year", "cases", "long_running"]
FINDING_FIELDS = [
    "municipality",
    "school",
    "date",
    "topic",
    "in_practice",
    "in_routines",
    "in_system",
    "closed",
]


def weighted_share():
    """share × respondents, the numerator of every respondent-weighted mean."""
    return ExpressionWrapper(
        F("share") * F("respondents"), output_field=DecimalField(max_digits=14, decimal_places=1)
    )


def counted_figures(queryset):
    """The figures that count for their school year: not suppressed, and only the all-grades
    row where a school has one, so that no pupil is counted twice."""
    has_all_grades = SurveyFigure.objects.filter(
        school=OuterRef("school"), school_year=OuterRef("school_year"), grade=""
    )
    return queryset.filter(suppressed=False).filter(Q(grade="") | ~Exists(has_all_grades))


def mean(weighted, respondents):
    if not respondents:
        return None
    return (Decimal(weighted) / Decimal(respondents)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def recompute_national_means(*, years):
    """Compute the national mean of each school year from the imported figures, weighted by
    respondents. A published figure entered by an administrator is kept and still wins."""
    years = sorted(set(years))
    sums = {
        row["school_year"]: row
        for row in counted_figures(SurveyFigure.objects.filter(school_year__in=years))
        .values("school_year")
        .annotate(
            weighted=Sum(weighted_share()),
            respondents=Sum("respondents"),
            schools=Count("school", distinct=True),
        )
        .order_by()
    }
    now = timezone.now()
    for year in years:
        row = sums.get(year, {"weighted": 0, "respondents": 0, "schools": 0})
        NationalMean.objects.update_or_create(
            school_year=year,
            defaults={
                "computed_share": mean(row["weighted"] or 0, row["respondents"] or 0),
                "computed_respondents": row["respondents"] or 0,
                "computed_schools": row["schools"],
                "computed_at": now,
            },
        )


def _check_school(municipality, school):
    if school is not None and school.municipality_id != municipality.pk:
        raise ValidationError(
            {"school": _("Skolen ligger ikke i %(name)s.") % {"name": municipality.name}},
            code="school_elsewhere",
        )


@transaction.atomic
def save_complaint_cases(
    *, municipality, school, school_year, cases, long_running, actor, instance=None
):
    """Register (or correct) one school's count of 9 A cases for one school year."""
    _check_school(municipality, school)
    creating = instance is None
    if creating:
        instance = ComplaintCaseCount(registered_by=actor)
        before = None
    else:
        instance = ComplaintCaseCount.objects.select_for_update().get(pk=instance.pk)
        before = snapshot(instance, CASE_FIELDS)
    instance.school = school
    instance.school_year = school_year
    instance.cases = cases
    instance.long_running = long_running
    instance.full_clean(exclude=["registered_by", "last_import"])
    instance.save()
    record(
        actor=actor,
        action="evidence.complaint_cases_create" if creating else "evidence.complaint_cases_change",
        obj=instance,
        before=before,
        after=snapshot(instance, CASE_FIELDS),
    )
    return instance


@transaction.atomic
def delete_complaint_cases(*, instance, actor):
    """Remove a count registered by mistake."""
    before = snapshot(instance, CASE_FIELDS)
    record(actor=actor, action="evidence.complaint_cases_delete", obj=instance, before=before)
    instance.delete()


@transaction.atomic
def save_finding(*, municipality, actor, instance=None, **values):
    """Register (or correct, or close) a supervision finding of a municipality or one of its
    schools. values: school, date, topic, in_practice, in_routines, in_system, closed."""
    _check_school(municipality, values.get("school"))
    creating = instance is None
    if creating:
        instance = SupervisionFinding(municipality=municipality, registered_by=actor)
        before = None
    else:
        instance = SupervisionFinding.objects.select_for_update().get(pk=instance.pk)
        before = snapshot(instance, FINDING_FIELDS)
    for name, value in values.items():
        if name not in FINDING_FIELDS or name == "municipality":
            raise TypeError(f"save_finding() got an unexpected field {name!r}")
        setattr(instance, name, value)
    instance.full_clean(exclude=["registered_by", "last_import"])
    instance.save()
    record(
        actor=actor,
        action="evidence.finding_create" if creating else "evidence.finding_change",
        obj=instance,
        before=before,
        after=snapshot(instance, FINDING_FIELDS),
    )
    return instance


@transaction.atomic
def delete_finding(*, instance, actor):
    """Remove a finding registered by mistake."""
    before = snapshot(instance, FINDING_FIELDS)
    record(actor=actor, action="evidence.finding_delete", obj=instance, before=before)
    instance.delete()
