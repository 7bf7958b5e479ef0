"""Pages for the evidence: imports, the municipalities' figures, complaint cases and findings.
Each view checks access, parses the request, calls one service and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laeringsmiljo.access import roles_of
from laeringsmiljo.forms import add_service_errors, error_summary
from laeringsmiljo.models import Cohort
from selection import access
from selection.evidence import queries
from selection.evidence import services as evidence_services
from selection.evidence.exports import to_xlsx
from selection.evidence.forms import (
    ComplaintCasesForm,
    FindingForm,
    UploadForm,
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
)
from selection.evidence.tables import ImportFileError


def _visible_municipalities(request):
    return roles_of(request).covered_municipalities().select_related("county")


@login_required
def evidence(request):
    """The office's (or Udir's) overview: imports, national means and its municipalities."""
    access.require_case_officer(request)
    municipalities = queries.municipalities_with_evidence(_visible_municipalities(request))
    imports = access.visible_imports(request, ImportRecord.objects.select_related("imported_by"))
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
    access.require_case_officer(request)
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
            "columns": SPECS[kind].columns,
            "errors": error_summary(form),
        },
    )


@login_required
def import_template(request, kind):
    """An .xlsx with the headers the importer reads and, for figures per school, a row for
    every school the user may import for, ready to be filled in."""
    access.require_case_officer(request)
    if kind not in ImportKind.values:
        raise Http404
    columns, rows = queries.import_template_rows(
        kind=kind, municipalities=_visible_municipalities(request)
    )
    content = to_xlsx([column.label for column in columns], rows, title=str(ImportKind(kind).label))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="mal-{kind}.xlsx"'
    return response


@login_required
def import_preview(request, pk):
    """What the file would do; confirming imports it, cancelling forgets it."""
    pending = access.own_pending_import(request, PendingImport.objects.defer("content"), pk)
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
    municipality = access.municipality_to_manage(request, municipality_pk)
    return render(
        request,
        "selection/municipality_evidence.html",
        {"municipality": municipality, **queries.municipality_evidence(municipality)},
    )


def _evidence_form(request, *, municipality, form, instance, save, saved, template):
    """Validate the form, save through the service, and come back to the municipality's
    evidence; a refusal is shown on the form with what was typed."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
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
    municipality = access.municipality_to_manage(request, municipality_pk)
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
    municipality = access.municipality_to_manage(request, municipality_pk)
    instance = get_object_or_404(ComplaintCaseCount, pk=pk, school__municipality=municipality)
    evidence_services.delete_complaint_cases(instance=instance, actor=request.user)
    messages.success(request, _("Klagesakene er slettet."))
    return redirect("selection:municipality_evidence", municipality.pk)


@login_required
def finding_edit(request, municipality_pk, pk=None):
    """Register a supervision finding, or correct or close one."""
    municipality = access.municipality_to_manage(request, municipality_pk)
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
    municipality = access.municipality_to_manage(request, municipality_pk)
    instance = get_object_or_404(SupervisionFinding, pk=pk, municipality=municipality)
    evidence_services.delete_finding(instance=instance, actor=request.user)
    messages.success(request, _("Tilsynsfunnet er slettet."))
    return redirect("selection:municipality_evidence", municipality.pk)
