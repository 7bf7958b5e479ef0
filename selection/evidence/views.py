"""Pages for the evidence: imports, the municipalities' figures, complaint cases and findings.
Each view checks access, parses the request, calls one service and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laeringsmiljo.access import roles_of
from laeringsmiljo.charts import line_chart
from laeringsmiljo.conflicts import deleted
from laeringsmiljo.forms import add_service_errors, carry_revision, error_summary
from laeringsmiljo.models import Cohort
from selection import access
from selection.evidence import queries
from selection.evidence import services as evidence_services
from selection.evidence.exports import to_xlsx
from selection.evidence.forms import (
    ComplaintCasesForm,
    FindingForm,
    RevisionForm,
    UploadForm,
)
from selection.evidence.imports import (
    SPECS,
    AlreadyImported,
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
    imports = access.visible_imports(
        request, ImportRecord.objects.select_related("imported_by").defer("summary")
    )
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
    """What the file would do; confirming imports it, cancelling forgets it. Once imported,
    the preview leads to the import's result, however often it is confirmed again."""
    pending = access.own_pending_import(request, PendingImport.objects.defer("content"), pk)
    if pending.result_id is not None:
        if request.method == "POST":
            messages.info(
                request,
                _(
                    "Filen er allerede importert. Her er resultatet; ingenting er importert to ganger."
                ),
            )
        return redirect("selection:import_result", pending.result_id)
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
        except AlreadyImported as error:
            messages.info(request, error.message)
            return redirect("selection:import_result", error.record.pk)
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
        return redirect("selection:import_result", imported.pk)
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
def import_result(request, pk):
    """What a confirmed import did: its counts, and the rows it rejected or left out."""
    access.require_case_officer(request)
    imported = get_object_or_404(
        access.visible_imports(request, ImportRecord.objects.select_related("imported_by")),
        pk=pk,
    )
    summary = imported.summary
    return render(
        request,
        "selection/import_result.html",
        {
            "imported": imported,
            "summary": summary,
            "listed_all": summary.get("rejected_count", 0) == len(summary.get("rejected", [])),
        },
    )


@login_required
def municipality_evidence(request, municipality_pk):
    """One municipality's survey figures, complaint cases and supervision findings."""
    municipality = access.municipality_to_manage(request, municipality_pk)
    evidence = queries.municipality_evidence(municipality)
    return render(
        request,
        "selection/municipality_evidence.html",
        {
            "municipality": municipality,
            **evidence,
            "bullying_chart": _bullying_chart(
                evidence["bullying_by_year"], in_application=evidence["chart_application"]
            ),
        },
    )


def _bullying_chart(rows, *, in_application=None):
    """The line chart of the schools together against the national figure, year by year: the
    schools of the municipality's newest application where it has one, as criterion 1 reads
    them, otherwise all of them.

    Two lines, not one per school: only two colours can keep 3:1 against white and against
    each other, and a municipality has up to dozens of schools, so the schools are drawn
    together (weighted by respondents, as criterion 1 counts them) and each school's own
    figures stay in the table above."""
    if not rows:
        return None
    labels = [row["label"] for row in rows]
    if in_application:
        schools, together = _("Skolene i søknaden"), _("skolene i søknaden")
    else:
        schools, together = _("Kommunens skoler"), _("kommunens skoler")
    return line_chart(
        id="mobbing-diagram",
        title=_("Andel mobbet per skoleår: %(schools)s mot landstallet") % {"schools": together},
        description=_(
            "Linjediagram over andelen elever som blir mobbet i skoleårene %(first)s til "
            "%(last)s: %(schools)s samlet (heltrukken linje med runde punkter) mot "
            "landstallet (stiplet linje med firkanter). Et skoleår der alle tallene er "
            "skjermet, er et hull i linjen. Tallene står i tabellen ved siden av."
        )
        % {"first": labels[0], "last": labels[-1], "schools": together},
        x_labels=labels,
        series=[
            (schools, [row["share"] for row in rows]),
            (_("Landstall"), [row["national"] for row in rows]),
        ],
        y_label=_("Andel mobbet (%)"),
        x_label=_("Skoleår"),
        notes=[_("skjermet") if row["suppressed"] else None for row in rows],
    )


def _own_records(model, municipality):
    if model is ComplaintCaseCount:
        return ComplaintCaseCount.objects.filter(school__municipality=municipality)
    return SupervisionFinding.objects.filter(municipality=municipality)


def _record_or_deletion(municipality, model, pk):
    """(record, None) for one of the municipality's records, (None, its deletion event) for one
    that has been deleted; 404 for one that never was the municipality's."""
    instance = _own_records(model, municipality).select_related("updated_by").filter(pk=pk).first()
    if instance is not None:
        return instance, None
    event = evidence_services.deletion(model, pk)
    before = (event.before or {}) if event else {}
    if model is ComplaintCaseCount:
        was_here = municipality.schools.filter(pk=before.get("school")).exists()
    else:
        was_here = before.get("municipality") == municipality.pk
    if not was_here:
        raise Http404
    return None, event


def _deleted_page(request, *, municipality, model, event, form, template, create_url):
    """The form page in the layout, with status 410, saying who deleted the record and when; a
    save keeps what was typed, now in a form that registers it anew."""
    told = deleted(
        what=evidence_services.what(model),
        by=event.actor if event else None,
        at=event.at if event else None,
        actor=request.user,
    )
    if request.method == "POST":
        advice = _(
            "Det du skrev, er ikke lagret; det står i skjemaet under. Lagre for å registrere det "
            "på nytt, eller avbryt."
        )
    else:
        advice = _("Du kan registrere nye opplysninger under, eller gå tilbake.")
    return render(
        request,
        template,
        {
            "municipality": municipality,
            "form": form,
            "instance": None,
            "gone": f"{told} {advice}",
            "form_action": create_url,
            "errors": error_summary(form),
        },
        status=410,
    )


def _evidence_form(request, *, municipality, model, pk, make_form, initial, save, saved, template):
    """Validate the form, save through the service, and come back to the municipality's
    evidence. A refusal is shown on the form with what was typed; a stale form also shows what
    is saved now, and a deleted record says who deleted it."""
    create_url = reverse(CREATE_URLS[model], args=[municipality.pk])
    instance, event = (None, None)
    if pk is not None:
        instance, event = _record_or_deletion(municipality, model, pk)
    form = make_form(
        request.POST or None, initial=initial(instance) if instance is not None else {}
    )
    if event is not None:
        return _deleted_page(
            request,
            municipality=municipality,
            model=model,
            event=event,
            form=form,
            template=template,
            create_url=create_url,
        )
    if instance is not None:
        form.fields["revision"].required = True
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data, instance)
        except evidence_services.RecordDeleted:
            return _deleted_page(
                request,
                municipality=municipality,
                model=model,
                event=evidence_services.deletion(model, instance.pk),
                form=form,
                template=template,
                create_url=create_url,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            if getattr(error, "code", None) == "stale_revision":
                instance = model.objects.select_related("updated_by").get(pk=instance.pk)
                carry_revision(form, instance.revision)
                stale = True
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
            "saved": instance if stale else None,
            "errors": error_summary(form),
        },
    )


def _evidence_delete(request, *, municipality, model, pk, delete, done):
    """Delete through the service and come back to the municipality's evidence; a record
    changed since the page was opened goes back to its form, one already deleted is told."""
    instance, event = _record_or_deletion(municipality, model, pk)
    if instance is not None:
        form = RevisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["revision"][0])
            return redirect(UPDATE_URLS[model], municipality.pk, instance.pk)
        try:
            delete(instance, form.cleaned_data["revision"])
        except evidence_services.RecordDeleted:
            event = evidence_services.deletion(model, instance.pk)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(UPDATE_URLS[model], municipality.pk, instance.pk)
        else:
            messages.success(request, done)
            return redirect("selection:municipality_evidence", municipality.pk)
    messages.info(
        request,
        deleted(
            what=evidence_services.what(model),
            by=event.actor if event else None,
            at=event.at if event else None,
            actor=request.user,
        ),
    )
    return redirect("selection:municipality_evidence", municipality.pk)


CREATE_URLS = {
    ComplaintCaseCount: "selection:case_create",
    SupervisionFinding: "selection:finding_create",
}
UPDATE_URLS = {
    ComplaintCaseCount: "selection:case_update",
    SupervisionFinding: "selection:finding_update",
}


@login_required
def case_edit(request, municipality_pk, pk=None):
    """Register a school's count of 9 A cases for a school year, or correct one."""
    municipality = access.municipality_to_manage(request, municipality_pk)
    return _evidence_form(
        request,
        municipality=municipality,
        model=ComplaintCaseCount,
        pk=pk,
        make_form=lambda data, initial: ComplaintCasesForm(
            data, municipality=municipality, initial=initial
        ),
        initial=lambda instance: {
            "school": instance.school,
            "school_year": instance.school_year,
            "cases": instance.cases,
            "long_running": instance.long_running,
            "revision": instance.revision,
        },
        save=lambda data, instance: evidence_services.save_complaint_cases(
            municipality=municipality,
            school=data["school"],
            school_year=data["school_year"],
            cases=data["cases"],
            long_running=data["long_running"],
            actor=request.user,
            instance=instance,
            expected_revision=data["revision"],
        ),
        saved=_("Klagesakene er lagret."),
        template="selection/case_form.html",
    )


@login_required
@require_POST
def case_delete(request, municipality_pk, pk):
    municipality = access.municipality_to_manage(request, municipality_pk)
    return _evidence_delete(
        request,
        municipality=municipality,
        model=ComplaintCaseCount,
        pk=pk,
        delete=lambda instance, revision: evidence_services.delete_complaint_cases(
            instance=instance, actor=request.user, expected_revision=revision
        ),
        done=_("Klagesakene er slettet."),
    )


FINDING_VALUES = ["school", "date", "topic", "in_practice", "in_routines", "in_system", "closed"]


@login_required
def finding_edit(request, municipality_pk, pk=None):
    """Register a supervision finding, or correct or close one."""
    municipality = access.municipality_to_manage(request, municipality_pk)
    return _evidence_form(
        request,
        municipality=municipality,
        model=SupervisionFinding,
        pk=pk,
        make_form=lambda data, initial: FindingForm(
            data, municipality=municipality, initial=initial
        ),
        initial=lambda instance: {
            **{name: getattr(instance, name) for name in FINDING_VALUES},
            "revision": instance.revision,
        },
        save=lambda data, instance: evidence_services.save_finding(
            municipality=municipality,
            actor=request.user,
            instance=instance,
            expected_revision=data["revision"],
            **{name: data[name] for name in FINDING_VALUES},
        ),
        saved=_("Tilsynsfunnet er lagret."),
        template="selection/finding_form.html",
    )


@login_required
@require_POST
def finding_delete(request, municipality_pk, pk):
    municipality = access.municipality_to_manage(request, municipality_pk)
    return _evidence_delete(
        request,
        municipality=municipality,
        model=SupervisionFinding,
        pk=pk,
        delete=lambda instance, revision: evidence_services.delete_finding(
            instance=instance, actor=request.user, expected_revision=revision
        ),
        done=_("Tilsynsfunnet er slettet."),
    )
