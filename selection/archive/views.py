"""The journal and the archive: Udir's public journal of a cohort (and its CSV), and the
Noark 5 archive extracts, ordered, followed and downloaded."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laeringsmiljo.access import roles_of
from laeringsmiljo.downloads import private_download
from laeringsmiljo.models import Cohort
from selection import access
from selection.archive import queries
from selection.archive.exports import ExportRefused, start_export
from selection.archive.models import ArchiveExport
from selection.evidence.exports import to_csv


@login_required
def journal(request, cohort_pk):
    """The cohort's public journal (offentlig journal), for Udir."""
    access.require_udir(request)
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    return render(
        request,
        "selection/journal.html",
        {
            "cohort": cohort,
            "rows": list(queries.public_journal_rows(queries.public_journal(cohort))),
        },
    )


@login_required
@private_download
def journal_csv(request, cohort_pk):
    """The public journal as CSV, with the same columns as the page, in its language."""
    access.require_udir(request)
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    headers = [
        _("Journalpost"),
        _("Journaldato"),
        _("Inn/ut"),
        _("Sak"),
        _("Offentlig tittel"),
        _("Avsender/mottaker"),
    ]
    rows = [
        [
            row["number"],
            row["date"],
            row["direction"],
            row["case"],
            row["public_title"],
            row["party"],
        ]
        for row in queries.public_journal_rows(queries.public_journal(cohort))
    ]
    response = HttpResponse(to_csv(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="offentlig-journal-pulje-{cohort.number}.csv"'
    )
    return response


@login_required
def exports(request, cohort_pk):
    """The cohort's archive extracts the user sees, and the button to order one: the whole
    cohort for Udir, its own part for an office."""
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    roles = roles_of(request)
    return render(
        request,
        "selection/archive_exports.html",
        {
            "cohort": cohort,
            "is_udir": roles.is_udir,
            "offices": roles.offices,
            "exports": list(access.visible_exports(request, queries.exports(cohort))),
        },
    )


@login_required
@require_POST
def start(request, cohort_pk):
    """Order an extract: Udir the whole cohort, an office (field «embete») its own part."""
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    office_pk = request.POST.get("embete", "")
    if office_pk:
        if not office_pk.isdigit():
            raise Http404
        office = access.office_to_export(request, int(office_pk))
    else:
        access.require_udir(request)
        office = None
    try:
        export = start_export(cohort=cohort, office=office, actor=request.user)
    except ExportRefused as refused:
        messages.error(request, str(refused))
        return redirect("selection:archive_exports", cohort.pk)
    messages.success(request, _("Arkivuttrekket lages nå."))
    return redirect("selection:archive_export", export.pk)


def _export(request, pk):
    exports = ArchiveExport.objects.select_related("cohort", "office", "requested_by")
    return get_object_or_404(access.visible_exports(request, exports), pk=pk)


@login_required
def export(request, pk):
    """An extract's progress (n of N documents), its refusal or its ZIP."""
    archive_export = _export(request, pk)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse(
            {
                "done": archive_export.done,
                "total": archive_export.total,
                "finished": archive_export.status != ArchiveExport.Status.RUNNING,
            }
        )
    return render(request, "selection/archive_export.html", {"export": archive_export})


@login_required
@private_download
def export_zip(request, pk):
    """The extract's ZIP, for those who see the extract; checked on every download."""
    archive_export = _export(request, pk)
    if archive_export.status != ArchiveExport.Status.DONE or not archive_export.file:
        raise Http404
    return FileResponse(
        archive_export.file.open("rb"),
        as_attachment=True,
        filename=archive_export.file.name.rsplit("/", 1)[-1],
        content_type="application/zip",
    )
