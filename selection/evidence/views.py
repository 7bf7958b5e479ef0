"""Pages for the evidence and the scores. Each view checks access, parses the request, calls
one service and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.access import application_for
from applications.models import Application
from laeringsmiljo.access import roles_of
from laeringsmiljo.models import Cohort, Municipality, School
from selection.evidence import services as evidence_services
from selection.evidence.exports import to_xlsx
from selection.evidence.forms import (
    ComplaintCasesForm,
    FindingForm,
    MotivationGradeForm,
    UploadForm,
    error_summary,
)
from selection.evidence.imports import (
    SPECS,
    confirm_import,
    municipalities_in_scope,
    preview_import,
)
from selection.evidence.models import (
    ComplaintCaseCount,
    ImportKind,
    ImportRecord,
    NationalMean,
    PendingImport,
    SupervisionFinding,
    SurveyFigure,
    format_school_year,
)
from selection.evidence.tables import ImportFileError
from selection.scoring.criteria import Kind
from selection.scoring.engine import latest_scores, score_application, score_cohort
from selection.scoring.grading import grade_motivation, motivation_scale
from selection.scoring.models import ApplicationScore, MotivationGrade
from selection.scoring.presentation import score_view

SURVEY_YEARS_SHOWN = 4


def _require_case_officer(request):
    if not request.user.has_perm("selection.import_evidence"):
        raise PermissionDenied


def _municipality(request, pk):
    _require_case_officer(request)
    municipality = get_object_or_404(Municipality.objects.select_related("county__office"), pk=pk)
    if not request.user.has_perm("selection.manage_evidence", municipality):
        raise Http404
    return municipality


def _application(request, pk):
    _require_case_officer(request)
    return application_for(request, pk, action="manage")


def _office_ids(request):
    roles = roles_of(request)
    return None if roles.is_udir else roles.office_ids


def _visible_municipalities(request):
    office_ids = _office_ids(request)
    municipalities = Municipality.objects.select_related("county")
    if office_ids is not None:
        municipalities = municipalities.filter(county__office_id__in=office_ids)
    return municipalities


@login_required
def evidence(request):
    """The office's (or Udir's) overview: imports, national means and its municipalities."""
    _require_case_officer(request)
    cases = (
        ComplaintCaseCount.objects.filter(school__municipality=OuterRef("pk"))
        .order_by()
        .values("school__municipality")
        .annotate(total=Sum("cases"))
        .values("total")
    )
    open_findings = (
        SupervisionFinding.objects.filter(municipality=OuterRef("pk"), closed=False)
        .order_by()
        .values("municipality")
        .annotate(count=Count("pk"))
        .values("count")
    )
    municipalities = (
        _visible_municipalities(request)
        .annotate(
            case_total=Coalesce(Subquery(cases, output_field=IntegerField()), Value(0)),
            open_findings=Coalesce(Subquery(open_findings, output_field=IntegerField()), Value(0)),
        )
        .order_by("county__number", "name")
    )
    imports = ImportRecord.objects.select_related("imported_by")
    if not roles_of(request).is_udir:
        imports = imports.filter(imported_by=request.user)
    return render(
        request,
        "selection/evidence.html",
        {
            "municipalities": municipalities,
            "national_means": NationalMean.objects.order_by("-school_year"),
            "imports": imports[:10],
            "cohorts": Cohort.objects.order_by("-number"),
            "kinds": ImportKind.choices,
        },
    )


@login_required
def import_upload(request, kind):
    """Upload a file; a readable one is kept and its preview shown."""
    _require_case_officer(request)
    if kind not in ImportKind.values:
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = preview_import(
                kind=kind,
                file_name=upload.name,
                content=upload.read(),
                actor=request.user,
                scope=municipalities_in_scope(roles_of(request)),
            )
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            return redirect("selection:import_preview", pending.pk)
    return render(
        request,
        "selection/import_upload.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": ImportKind(kind).label,
            "errors": error_summary(form),
        },
    )


@login_required
def import_template(request, kind):
    """An .xlsx with the headers the importer reads and, for figures per school, a row for
    every school the user may import for, ready to be filled in."""
    _require_case_officer(request)
    if kind not in ImportKind.values:
        raise Http404
    columns = SPECS[kind].columns
    rows = []
    if kind != ImportKind.FINDINGS:
        schools = (
            School.objects.filter(municipality__in=_visible_municipalities(request))
            .select_related("municipality")
            .order_by("municipality__number", "name")
        )
        for school in schools:
            known = {
                "orgnr": school.organisation_number,
                "name": school.name,
                "municipality": school.municipality.number,
            }
            rows.append([known.get(column.key, "") for column in columns])
    content = to_xlsx([column.label for column in columns], rows, title=str(ImportKind(kind).label))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="mal-{kind}.xlsx"'
    return response


def _pending(request, pk):
    _require_case_officer(request)
    return get_object_or_404(
        PendingImport.objects.defer("content"), pk=pk, uploaded_by=request.user
    )


@login_required
def import_preview(request, pk):
    """What the file would do; confirming imports it, cancelling forgets it."""
    pending = _pending(request, pk)
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            pending.delete()
            messages.info(request, _("Importen er avbrutt. Ingenting er endret."))
            return redirect("selection:evidence")
        try:
            imported = confirm_import(
                pending=pending,
                actor=request.user,
                scope=municipalities_in_scope(roles_of(request)),
            )
        except ImportFileError as error:
            messages.error(request, error.message)
            if PendingImport.objects.filter(pk=pk).exists():
                return redirect("selection:import_preview", pk)
            return redirect("selection:evidence")
        messages.success(
            request,
            _(
                "%(file)s er importert: %(added)s nye, %(changed)s endrede og %(unchanged)s "
                "uendrede rader; %(rejected)s rader ble avvist."
            )
            % {
                "file": imported.file_name,
                "added": imported.added,
                "changed": imported.changed,
                "unchanged": imported.unchanged,
                "rejected": imported.rejected,
            },
        )
        return redirect("selection:evidence")
    preview = pending.preview
    return render(
        request,
        "selection/import_preview.html",
        {
            "pending": pending,
            "preview": preview,
            "kind_label": ImportKind(pending.kind).label,
            "accepted": preview["added"] + preview["changed"] + preview["unchanged"],
            "listed_all": preview["rejected_count"] == len(preview["rejected"]),
        },
    )


@login_required
def municipality_evidence(request, municipality_pk):
    """One municipality's survey figures, complaint cases and supervision findings."""
    municipality = _municipality(request, municipality_pk)
    latest = (
        SurveyFigure.objects.filter(school__municipality=municipality)
        .order_by("-school_year")
        .values_list("school_year", flat=True)
        .first()
    )
    years = []
    if latest is not None:
        years = list(range(latest - SURVEY_YEARS_SHOWN + 1, latest + 1))
    figures = {}
    for figure in SurveyFigure.objects.filter(
        school__municipality=municipality, school_year__in=years
    ).order_by("grade"):
        figures.setdefault((figure.school_id, figure.school_year), []).append(figure)
    schools = list(municipality.schools.order_by("name"))
    survey_rows = [
        {"school": school, "cells": [figures.get((school.pk, year), []) for year in years]}
        for school in schools
    ]
    means = {m.school_year: m for m in NationalMean.objects.filter(school_year__in=years)}
    return render(
        request,
        "selection/municipality_evidence.html",
        {
            "municipality": municipality,
            "years": [format_school_year(year) for year in years],
            "survey_rows": survey_rows,
            "national_means": [means.get(year) for year in years],
            "cases": ComplaintCaseCount.objects.filter(school__municipality=municipality)
            .select_related("school")
            .order_by("-school_year", "school__name"),
            "findings": SupervisionFinding.objects.filter(municipality=municipality)
            .select_related("school")
            .order_by("closed", "-date"),
        },
    )


def _add_errors(form, error):
    """Show a service's ValidationError on the form, on its field where there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _evidence_form(request, *, municipality, form, instance, save, saved, template):
    """Validate the form, save through the service, and come back to the municipality's
    evidence; a refusal is shown on the form with what was typed."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, saved)
            return redirect("selection:municipality_evidence", municipality.pk)
    return render(
        request,
        template,
        {
            "municipality": municipality,
            "form": form,
            "instance": instance,
            "errors": error_summary(form),
        },
    )


@login_required
def case_edit(request, municipality_pk, pk=None):
    """Register a school's count of 9 A cases for a school year, or correct one."""
    municipality = _municipality(request, municipality_pk)
    instance = None
    initial = {}
    if pk is not None:
        instance = get_object_or_404(ComplaintCaseCount, pk=pk, school__municipality=municipality)
        initial = {
            "school": instance.school,
            "school_year": instance.school_year,
            "cases": instance.cases,
            "long_running": instance.long_running,
        }
    form = ComplaintCasesForm(request.POST or None, municipality=municipality, initial=initial)
    return _evidence_form(
        request,
        municipality=municipality,
        form=form,
        instance=instance,
        save=lambda data: evidence_services.save_complaint_cases(
            municipality=municipality,
            school=data["school"],
            school_year=data["school_year"],
            cases=data["cases"],
            long_running=data["long_running"],
            actor=request.user,
            instance=instance,
        ),
        saved=_("Klagesakene er lagret."),
        template="selection/case_form.html",
    )


@login_required
@require_POST
def case_delete(request, municipality_pk, pk):
    municipality = _municipality(request, municipality_pk)
    instance = get_object_or_404(ComplaintCaseCount, pk=pk, school__municipality=municipality)
    evidence_services.delete_complaint_cases(instance=instance, actor=request.user)
    messages.success(request, _("Klagesakene er slettet."))
    return redirect("selection:municipality_evidence", municipality.pk)


@login_required
def finding_edit(request, municipality_pk, pk=None):
    """Register a supervision finding, or correct or close one."""
    municipality = _municipality(request, municipality_pk)
    instance = None
    initial = {}
    if pk is not None:
        instance = get_object_or_404(SupervisionFinding, pk=pk, municipality=municipality)
        initial = {
            "school": instance.school,
            "date": instance.date,
            "topic": instance.topic,
            "in_practice": instance.in_practice,
            "in_routines": instance.in_routines,
            "in_system": instance.in_system,
            "closed": instance.closed,
        }
    form = FindingForm(request.POST or None, municipality=municipality, initial=initial)
    return _evidence_form(
        request,
        municipality=municipality,
        form=form,
        instance=instance,
        save=lambda data: evidence_services.save_finding(
            municipality=municipality, actor=request.user, instance=instance, **data
        ),
        saved=_("Tilsynsfunnet er lagret."),
        template="selection/finding_form.html",
    )


@login_required
@require_POST
def finding_delete(request, municipality_pk, pk):
    municipality = _municipality(request, municipality_pk)
    instance = get_object_or_404(SupervisionFinding, pk=pk, municipality=municipality)
    evidence_services.delete_finding(instance=instance, actor=request.user)
    messages.success(request, _("Tilsynsfunnet er slettet."))
    return redirect("selection:municipality_evidence", municipality.pk)


@login_required
def cohort_scores(request, cohort_pk):
    """The latest scores of a cohort's applications from the user's counties; scoring them
    all again is one click."""
    _require_case_officer(request)
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    office_ids = _office_ids(request)
    if request.method == "POST":
        run = score_cohort(cohort=cohort, actor=request.user, office_ids=office_ids)
        messages.success(
            request,
            _("%(count)s innsendte søknader er beregnet.") % {"count": run.application_count},
        )
        return redirect("selection:cohort_scores", cohort.pk)
    applications = Application.objects.filter(cohort=cohort).select_related("municipality__county")
    if office_ids is not None:
        applications = applications.filter(municipality__county__office_id__in=office_ids)
    applications = list(applications.order_by("municipality__county__number", "municipality__name"))
    latest = latest_scores(applications)
    rows = [{"application": a, "score": latest.get(a.pk)} for a in applications]
    return render(
        request,
        "selection/cohort_scores.html",
        {
            "cohort": cohort,
            "rows": rows,
            "submitted": sum(a.is_submitted for a in applications),
        },
    )


def _score_page(request, application, *, score, grade_form=None):
    grade = MotivationGrade.objects.filter(application=application).select_related("graded_by")
    grade = grade.first()
    if grade_form is None:
        grade_form = MotivationGradeForm(
            scale=motivation_scale(),
            initial={
                "grade": grade.grade if grade else None,
                "comment": grade.comment if grade else "",
                "revision": grade.revision if grade else 0,
            },
        )
    history = (
        ApplicationScore.objects.filter(application=application)
        .select_related("run__started_by")
        .order_by("-run_id")
    )
    latest = history.first()
    return render(
        request,
        "selection/score.html",
        {
            "application": application,
            "score": score_view(score) if score else None,
            "is_latest": score is not None and latest is not None and score.pk == latest.pk,
            "history": history,
            "grade": grade,
            "grade_form": grade_form,
            "grade_after_score": bool(grade and latest and grade.graded_at > latest.run.started_at),
            "errors": error_summary(grade_form),
            "motivation_kind": Kind.MOTIVATION,
        },
    )


@login_required
def score(request, application_pk):
    """One application's latest score: each criterion with its reasons, the total and the
    verdict; and the office's grade of the motivation."""
    application = _application(request, application_pk)
    latest = latest_scores([application]).get(application.pk)
    return _score_page(request, application, score=latest)


@login_required
def stored_score(request, application_pk, score_pk):
    """An earlier scoring of the application, as it was stored."""
    application = _application(request, application_pk)
    stored = get_object_or_404(
        ApplicationScore.objects.select_related("run"), pk=score_pk, application=application
    )
    return _score_page(request, application, score=stored)


@login_required
@require_POST
def rescore(request, application_pk):
    application = _application(request, application_pk)
    score_application(application=application, actor=request.user)
    messages.success(request, _("Søknaden er beregnet på nytt med kriteriene slik de er nå."))
    return redirect("selection:score", application.pk)


@login_required
@require_POST
def grade(request, application_pk):
    """Set the office's grade of the motivation (criterion 4)."""
    application = _application(request, application_pk)
    form = MotivationGradeForm(request.POST, scale=motivation_scale())
    if form.is_valid():
        data = form.cleaned_data
        try:
            grade_motivation(
                application=application,
                grade=data["grade"],
                comment=data["comment"],
                actor=request.user,
                expected_revision=data["revision"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Karakteren er lagret. Beregn søknaden på nytt for å ta den med i poengene."),
            )
            return redirect("selection:score", application.pk)
    latest = latest_scores([application]).get(application.pk)
    return _score_page(request, application, score=latest, grade_form=form)
