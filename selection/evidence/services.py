"""The evidence an office registers by hand, and the national means of Elevundersøkelsen."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, DecimalField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laeringsmiljo.audit import latest_event, record, snapshot
from laeringsmiljo.conflicts import changed_meanwhile, deleted
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
    respondents, with how many schools and counties they come from. Udir's published figure
    is kept and still wins: the computed mean is only the provisional reference."""
    years = sorted(set(years))
    sums = {
        row["school_year"]: row
        for row in counted_figures(SurveyFigure.objects.filter(school_year__in=years))
        .values("school_year")
        .annotate(
            weighted=Sum(weighted_share()),
            respondents=Sum("respondents"),
            schools=Count("school", distinct=True),
            counties=Count("school__municipality__county", distinct=True),
        )
        .order_by()
    }
    now = timezone.now()
    for year in years:
        row = sums.get(year, {"weighted": 0, "respondents": 0, "schools": 0, "counties": 0})
        NationalMean.objects.update_or_create(
            school_year=year,
            defaults={
                "computed_share": mean(row["weighted"] or 0, row["respondents"] or 0),
                "computed_respondents": row["respondents"] or 0,
                "computed_schools": row["schools"],
                "computed_counties": row["counties"],
                "computed_at": now,
            },
        )


class RecordDeleted(ValidationError):
    """The record was deleted while the user had it open; the message says by whom and when."""


def what(model):
    """The record's name in the refusals, in lower case with its article."""
    return _("klagesakene") if model is ComplaintCaseCount else _("tilsynsfunnet")


DELETE_ACTIONS = {
    ComplaintCaseCount: "evidence.complaint_cases_delete",
    SupervisionFinding: "evidence.finding_delete",
}


def deletion(model, pk):
    """The audit event of the record's deletion (who and when, and what it held), or None."""
    return latest_event(obj=model(pk=pk), actions=[DELETE_ACTIONS[model]])


def _locked(instance, *, actor, expected_revision, advice):
    """The record locked for a change. Refused when it has been deleted, or when it has been
    saved or imported since the user opened it (expected_revision differs; None skips it)."""
    model = type(instance)
    locked = model.objects.select_for_update().filter(pk=instance.pk).first()
    if locked is None:
        event = deletion(model, instance.pk)
        raise RecordDeleted(
            deleted(
                what=what(model),
                by=event.actor if event else None,
                at=event.at if event else None,
                actor=actor,
            ),
            code="deleted",
        )
    if expected_revision is not None and locked.revision != expected_revision:
        changed = changed_meanwhile(
            what=what(model), by=locked.updated_by, at=locked.updated_at, actor=actor
        )
        raise ValidationError(f"{changed} {advice}", code="stale_revision")
    return locked


def _save(instance, *, exclude):
    """Validate and save; a record saved by someone else at the same moment with the same
    school and year (or topic and date) is refused with the constraint's own message."""
    instance.full_clean(exclude=exclude)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        instance.full_clean(exclude=exclude)
        raise


SAVE_ADVICE = _("Se det som er lagret nå, og lagre på nytt om du fortsatt vil endre det.")
DELETE_ADVICE = _("Se det som er lagret nå, og slett på nytt om det fortsatt skal bort.")


def _check_school(municipality, school):
    if school is not None and school.municipality_id != municipality.pk:
        raise ValidationError(
            {"school": _("Skolen ligger ikke i %(name)s.") % {"name": municipality.name}},
            code="school_elsewhere",
        )


@transaction.atomic
def save_complaint_cases(
    *,
    municipality,
    school,
    school_year,
    cases,
    long_running,
    actor,
    instance=None,
    expected_revision=None,
):
    """Register (or correct) one school's count of 9 A cases for one school year.

    expected_revision is the revision of the instance the user opened: a correction of counts
    changed since is refused (ValidationError, code stale_revision), and one of counts deleted
    since raises RecordDeleted.
    """
    _check_school(municipality, school)
    creating = instance is None
    if creating:
        instance = ComplaintCaseCount(registered_by=actor)
        before = None
    else:
        instance = _locked(
            instance, actor=actor, expected_revision=expected_revision, advice=SAVE_ADVICE
        )
        before = snapshot(instance, CASE_FIELDS)
        instance.revision += 1
    instance.school = school
    instance.school_year = school_year
    instance.cases = cases
    instance.long_running = long_running
    instance.updated_by = actor
    _save(instance, exclude=["registered_by", "updated_by", "last_import"])
    record(
        actor=actor,
        action="evidence.complaint_cases_create" if creating else "evidence.complaint_cases_change",
        obj=instance,
        before=before,
        after=snapshot(instance, CASE_FIELDS),
    )
    return instance


@transaction.atomic
def delete_complaint_cases(*, instance, actor, expected_revision=None):
    """Remove a count registered by mistake; refused like a correction when the counts have
    been changed or deleted since the user opened them."""
    instance = _locked(
        instance, actor=actor, expected_revision=expected_revision, advice=DELETE_ADVICE
    )
    before = snapshot(instance, CASE_FIELDS)
    record(actor=actor, action="evidence.complaint_cases_delete", obj=instance, before=before)
    instance.delete()


@transaction.atomic
def save_finding(*, municipality, actor, instance=None, expected_revision=None, **values):
    """Register (or correct, or close) a supervision finding of a municipality or one of its
    schools. values: school, date, topic, in_practice, in_routines, in_system, closed.

    A correction is refused like one of complaint cases (see save_complaint_cases) when the
    finding has been changed or deleted since the user opened it.
    """
    _check_school(municipality, values.get("school"))
    creating = instance is None
    if creating:
        instance = SupervisionFinding(municipality=municipality, registered_by=actor)
        before = None
    else:
        instance = _locked(
            instance, actor=actor, expected_revision=expected_revision, advice=SAVE_ADVICE
        )
        before = snapshot(instance, FINDING_FIELDS)
        instance.revision += 1
    for name, value in values.items():
        if name not in FINDING_FIELDS or name == "municipality":
            raise TypeError(f"save_finding() got an unexpected field {name!r}")
        setattr(instance, name, value)
    instance.updated_by = actor
    _save(instance, exclude=["registered_by", "updated_by", "last_import"])
    record(
        actor=actor,
        action="evidence.finding_create" if creating else "evidence.finding_change",
        obj=instance,
        before=before,
        after=snapshot(instance, FINDING_FIELDS),
    )
    return instance


@transaction.atomic
def delete_finding(*, instance, actor, expected_revision=None):
    """Remove a finding registered by mistake; refused like a correction when the finding has
    been changed or deleted since the user opened it."""
    instance = _locked(
        instance, actor=actor, expected_revision=expected_revision, advice=DELETE_ADVICE
    )
    before = snapshot(instance, FINDING_FIELDS)
    record(actor=actor, action="evidence.finding_delete", obj=instance, before=before)
    instance.delete()
