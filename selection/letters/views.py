"""Letters: starting a batch, its progress, downloads, and trying again; and the municipality's
start page, with its applications, decisions and letters."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laeringsmiljo.access import roles_of
from laeringsmiljo.downloads import private_download
from laeringsmiljo.models import Cohort
from selection import access
from selection.letters.batches import (
    requeue_waiting,
    retry_letter,
    start_decision_letters,
    start_invitation_letters,
)
from selection.letters.models import Letter, LetterBatch
from selection.letters.queries import municipality_entries
from selection.letters.services import (
    batch_progress,
    decision_letters_waiting_reason,
    not_under_way,
)
from selection.process.models import Publication


def _letters():
    return Letter.objects.select_related("municipality__county", "cohort", "batch")


def _batches():
    return LetterBatch.objects.select_related("cohort", "office", "created_by")


@login_required
def letters(request, cohort_pk):
    """The cohort's letter batches and letters, for the office (its counties) and Udir."""
    batches = access.visible_batches(
        request, LetterBatch.objects.select_related("office", "created_by")
    )
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    return render(
        request,
        "selection/letters.html",
        {
            "cohort": cohort,
            "offices": roles_of(request).offices,
            "is_udir": roles_of(request).is_udir,
            "batches": batches.filter(cohort=cohort),
            "decisions_waiting": decision_letters_waiting_reason(cohort),
            "letters": access.visible_letters(request, _letters())
            .filter(cohort=cohort)
            .order_by("municipality__number", "kind"),
        },
    )


@login_required
@require_POST
def start_invitations(request, cohort_pk, office_pk):
    office = access.office_to_start_letters(request, office_pk)
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    batch = start_invitation_letters(cohort=cohort, office=office, actor=request.user)
    messages.success(request, _("Invitasjonsbrevene lages nå."))
    return redirect("selection:batch", batch.pk)


@login_required
def batch(request, pk):
    """How far a batch has come: n of N, the failures with their reasons, and its ZIP."""
    letter_batch = get_object_or_404(access.visible_batches(request, _batches()), pk=pk)
    progress = batch_progress(letter_batch)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({**progress, "finished": letter_batch.finished_at is not None})
    return render(
        request,
        "selection/batch.html",
        {
            "batch": letter_batch,
            "progress": progress,
            "failed": letter_batch.letters.filter(status=Letter.Status.FAILED).select_related(
                "municipality"
            ),
            "letters": letter_batch.letters.select_related("municipality").order_by(
                "municipality__number"
            ),
        },
    )


@login_required
@private_download
def batch_zip(request, pk):
    letter_batch = get_object_or_404(access.visible_batches(request, _batches()), pk=pk)
    if not letter_batch.zip_file:
        raise Http404
    return FileResponse(
        letter_batch.zip_file.open("rb"),
        as_attachment=True,
        filename=f"brev-{letter_batch.cohort.number}-{letter_batch.pk}.zip",
        content_type="application/zip",
    )


@login_required
@private_download
def letter_pdf(request, pk):
    """A letter's PDF, for its municipality, its office and Udir; checked on every download."""
    letter = get_object_or_404(access.visible_letters(request, _letters()), pk=pk)
    if letter.status != Letter.Status.GENERATED:
        raise Http404
    return FileResponse(
        letter.file.open("rb"),
        as_attachment=True,
        filename=f"{letter.reference}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def retry(request, pk):
    """Try a failed letter again: make it anew, or send it again."""
    letter = access.letter_to_retry(request, _letters(), pk)
    done = retry_letter(letter=letter, actor=request.user)
    letter.refresh_from_db()
    if done is None:
        messages.info(request, _("Brevet er allerede laget og sendt."))
    elif waiting := not_under_way(letter):
        messages.error(request, waiting)
    else:
        messages.success(request, done)
    if letter.batch_id:
        return redirect("selection:batch", letter.batch_id)
    return redirect("selection:letters", letter.cohort_id)


@login_required
@require_POST
def requeue(request, pk):
    """Queue the batch's waiting letters again (after the broker was away)."""
    letter_batch = get_object_or_404(access.visible_batches(request, _batches()), pk=pk)
    count = requeue_waiting(batch=letter_batch)
    messages.success(
        request, _("%(count)s ventende brev er lagt i køen på nytt.") % {"count": count}
    )
    return redirect("selection:batch", letter_batch.pk)


@login_required
@require_POST
def start_decisions(request, cohort_pk):
    """Udir orders the decision letters of a published cohort (again): nothing is made twice."""

    access.require_udir(request)
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    if not Publication.objects.filter(cohort=cohort).exists():
        messages.error(request, _("Vedtaksbrevene kan først lages når utvalget er publisert."))
        return redirect("selection:national", cohort.pk)
    batch = start_decision_letters(cohort=cohort, actor=request.user)
    messages.success(request, _("Vedtaksbrevene lages nå."))
    return redirect("selection:batch", batch.pk)


@login_required
def municipality_start(request):
    """The municipality's cohorts, with its office's deadline and the application's status."""
    access.require_municipality(request)
    entries = municipality_entries(roles=roles_of(request))
    return render(request, "selection/municipality_start.html", {"entries": entries})
