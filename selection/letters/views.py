"""Letters: starting a batch, its progress, downloads, and trying again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
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
from selection.letters.models import Letter, LetterBatch, LetterVersion
from selection.letters.outbox import (
    OutboxRefused,
    remake_batch,
    remake_letter,
    request_replacement,
    samples,
    send_batch,
    send_single,
    send_test,
    sent_by_udir,
)
from selection.letters.queries import letters_for_table
from selection.letters.services import (
    batch_progress,
    batch_state,
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
            "letters": letters_for_table(
                access.visible_letters(request, _letters()).filter(cohort=cohort)
            ),
            "may_send": _may_send(request, office_id=None),
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
    """A batch in the outbox: how far it has come (made, failed, ready, sent), a sample of
    each kind and målform, every letter, and the buttons to test, make again and send."""
    letter_batch = get_object_or_404(access.visible_batches(request, _batches()), pk=pk)
    progress = batch_progress(letter_batch)
    settled = letter_batch.finished_at is not None and not progress["sending"]
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({**progress, "finished": settled})
    letters = list(letters_for_table(letter_batch.letters.all()))
    return render(
        request,
        "selection/batch.html",
        {
            "batch": letter_batch,
            "progress": progress,
            "state": batch_state(letter_batch, progress),
            "settled": settled,
            "may_send": _may_send(request, office_id=letter_batch.office_id),
            "samples": samples(letter_batch),
            "failed": [letter for letter in letters if letter.status == Letter.Status.FAILED],
            "letters": letters,
        },
    )


def _may_send(request, *, office_id):
    try:
        access.require_sender(request, office_id=office_id)
    except PermissionDenied:
        return False
    return True


def _letter_office(letter):
    return None if sent_by_udir(letter) else letter.municipality.county.office_id


def _back(letter):
    if letter.batch_id:
        return redirect("selection:batch", letter.batch_id)
    return redirect("selection:letters", letter.cohort_id)


def _outbox_action(request, action, told):
    """Run an outbox action: its refusal is told as an error, else `told(result)` gives the
    message (a level of django.contrib.messages and a text)."""
    try:
        result = action()
    except OutboxRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.add_message(request, *told(result))


@login_required
@require_POST
def batch_send(request, pk):
    """«Send alle»: the batch's letters waiting in the outbox are sent, each once."""
    letter_batch = get_object_or_404(access.visible_batches(request, _batches()), pk=pk)
    access.require_sender(request, office_id=letter_batch.office_id)
    without = [value for value in request.POST.getlist("uten") if value.isdigit()]
    _outbox_action(
        request,
        lambda: send_batch(batch=letter_batch, actor=request.user, without=without),
        lambda count: (
            (
                messages.SUCCESS,
                ngettext("%(count)s brev sendes nå.", "%(count)s brev sendes nå.", count)
                % {"count": count},
            )
            if count
            else (messages.INFO, _("Ingen brev i bunken venter på å bli sendt."))
        ),
    )
    return redirect("selection:batch", letter_batch.pk)


@login_required
@require_POST
def batch_remake(request, pk):
    """«Lag på nytt»: the batch's letters are made again, the old versions kept."""
    letter_batch = get_object_or_404(access.visible_batches(request, _batches()), pk=pk)
    access.require_sender(request, office_id=letter_batch.office_id)
    revision = request.POST.get("revisjon", "")
    if not revision.isdigit():
        messages.error(request, _("Siden var for gammel. Last den inn på nytt og prøv igjen."))
        return redirect("selection:batch", letter_batch.pk)
    _outbox_action(
        request,
        lambda: remake_batch(batch=letter_batch, actor=request.user, revision=int(revision)),
        lambda count: (
            (
                messages.SUCCESS,
                ngettext("%(count)s brev lages på nytt.", "%(count)s brev lages på nytt.", count)
                % {"count": count},
            )
            if count
            else (messages.INFO, _("Brevene er allerede laget på nytt."))
        ),
    )
    return redirect("selection:batch", letter_batch.pk)


@login_required
@require_POST
def letter_test(request, pk):
    """«Send en test til meg»: the letter to the user's own address, not counted as sent."""
    letter = access.letter_to_retry(request, _letters(), pk)
    _outbox_action(
        request,
        lambda: send_test(letter=letter, actor=request.user),
        lambda to: (messages.SUCCESS, _("En test av brevet sendes til %(email)s.") % {"email": to}),
    )
    return _back(letter)


@login_required
@require_POST
def letter_send(request, pk):
    """«Send» for one letter waiting in the outbox."""
    letter = access.letter_to_retry(request, _letters(), pk)
    access.require_sender(request, office_id=_letter_office(letter))
    if send_single(letter=letter, actor=request.user):
        messages.success(request, _("Brevet sendes nå."))
    else:
        messages.info(request, _("Brevet venter ikke på å bli sendt."))
    return _back(letter)


@login_required
@require_POST
def letter_remake(request, pk):
    """«Lag på nytt» for one letter not yet sent."""
    letter = access.letter_to_retry(request, _letters(), pk)
    access.require_sender(request, office_id=_letter_office(letter))
    _outbox_action(
        request,
        lambda: remake_letter(letter=letter, actor=request.user),
        lambda _result: (messages.SUCCESS, _("Brevet lages på nytt.")),
    )
    return _back(letter)


@login_required
@require_POST
def letter_replace(request, pk):
    """A replacement for a letter already sent; it waits in the outbox once made."""
    letter = access.letter_to_retry(request, _letters(), pk)
    access.require_sender(request, office_id=_letter_office(letter))
    _outbox_action(
        request,
        lambda: request_replacement(letter=letter, actor=request.user),
        lambda _result: (
            messages.SUCCESS,
            _("Erstatningsbrevet lages nå. Det venter i utboksen til det sendes."),
        ),
    )
    return _back(letter)


@login_required
def letter_history(request, pk):
    """A letter's history: its versions made and replaced before it was sent, with checksums,
    who replaced them and when, and its replacement."""
    access.require_case_officer(request)
    letter = get_object_or_404(access.visible_letters(request, _letters()), pk=pk)
    return render(
        request,
        "selection/letter_history.html",
        {
            "letter": letter,
            "versions": letter.versions.select_related("replaced_by"),
            "replacement": Letter.objects.filter(replaces=letter).first(),
        },
    )


@login_required
@private_download
def version_pdf(request, pk):
    """An earlier version of a letter, for the staff who see the letter."""
    access.require_case_officer(request)
    version = get_object_or_404(
        LetterVersion.objects.select_related("letter"),
        pk=pk,
        letter__in=access.visible_letters(request, Letter.objects.all()),
    )
    if not version.file:
        raise Http404
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=f"{version.letter.reference}-{version.sha256[:8]}.pdf",
        content_type="application/pdf",
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
