"""The outbox: made letters wait here until a person sends them. A batch is checked (samples,
single letters, a test to one's own address), made again after a template is fixed, and sent
with «Send alle»; a letter already sent is never made again, but replaced by a new one that
says so. Each state change is one function, in a transaction, under a row lock, with an
audit event."""

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laeringsmiljo.audit import record
from selection.letters.models import Letter, LetterBatch, LetterVersion
from selection.letters.services import UDIR_KINDS, keep_version, letter_language
from selection.letters.tasks import queue_letters, queue_sending, queue_test_letter


class OutboxRefused(Exception):
    """What the user asked cannot be done; the message (Norwegian) says why. Nothing changed."""


def sent_by_udir(letter):
    """Udir sends its decisions and the letters about a place; the office its own letters."""
    return letter.kind in UDIR_KINDS


def samples(batch):
    """One made letter per kind and målform of the batch (the first by municipality number
    would need a window; the lowest id is as good a sample), in two queries."""
    first = (
        batch.letters.filter(status=Letter.Status.GENERATED)
        .values("kind", "language")
        .annotate(first=Min("pk"))
        .values_list("first", flat=True)
    )
    return list(
        Letter.objects.filter(pk__in=list(first))
        .select_related("municipality")
        .order_by("kind", "language")
    )


def _names(letters):
    return ", ".join(
        f"{letter.municipality.number} {letter.municipality.name}" for letter in letters
    )


def _remake(letter, actor):
    """Put a made or failed letter back to be made again; a made one's PDF is kept in its
    history. Returns the version kept, or None."""
    version = None
    if letter.status == Letter.Status.GENERATED:
        version = keep_version(letter=letter, reason=LetterVersion.Reason.REMADE, actor=actor)
    letter.status = Letter.Status.PENDING
    letter.failure = ""
    letter.file = ""
    letter.sha256 = ""
    letter.size = None
    letter.pages = None
    letter.generated_at = None
    letter.attempts = 0
    letter.send_status = Letter.SendStatus.NOT_SENT
    letter.send_error = ""
    # Made today with today's date; sent on a later day, it is dated again when it goes.
    letter.dated = None
    # The målform may have been corrected in the registry since.
    letter.language = letter_language(kind=letter.kind, municipality=letter.municipality)
    letter.save()
    return version


def _refuse_sent(letters):
    sent = [letter for letter in letters if letter.released_at or letter.sent_at]
    if sent:
        raise OutboxRefused(
            ngettext(
                "%(count)s brev er allerede sendt (%(names)s) og lages ikke på nytt. Lag et "
                "erstatningsbrev for det i stedet.",
                "%(count)s brev er allerede sendt (%(names)s) og lages ikke på nytt. Lag "
                "erstatningsbrev for dem i stedet.",
                len(sent),
            )
            % {"count": len(sent), "names": _names(sent)}
        )


def _refuse_pending(letters):
    if any(letter.status == Letter.Status.PENDING for letter in letters):
        raise OutboxRefused(_("Brevene lages fortsatt. Vent til alle er ferdige."))


def _locked_letters(batch):
    return list(
        Letter.objects.select_for_update(of=("self",))
        .filter(batch=batch)
        .select_related("municipality")
        .order_by("municipality__number", "pk")
    )


@transaction.atomic
def remake_batch(*, batch, actor, revision):
    """«Lag på nytt»: every letter of the batch is made again (after a template was fixed),
    the replaced versions kept in each letter's history with their checksums, who and when.
    `revision` is the number the user's page showed: pressed twice, the second finds it
    changed and makes nothing again. Refused while letters are being made, and when any
    letter of the batch has been sent (replace those instead). Returns the number of letters
    to be made."""
    locked = LetterBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.revision != revision:
        return 0
    letters = _locked_letters(locked)
    _refuse_pending(letters)
    _refuse_sent(letters)
    versions = [_remake(letter, actor) for letter in letters]
    locked.revision += 1
    locked.finished_at = None
    locked.zip_file = ""
    locked.save(update_fields=["revision", "finished_at", "zip_file"])
    queue_letters([letter.pk for letter in letters])
    record(
        actor=actor,
        action="letters.batch_remade",
        obj=locked,
        before={"revision": revision},
        after={
            "revision": locked.revision,
            "letters": [letter.pk for letter in letters],
            "versions": {
                str(letter.pk): version.sha256
                for letter, version in zip(letters, versions, strict=True)
                if version is not None
            },
        },
    )
    return len(letters)


@transaction.atomic
def remake_letter(*, letter, actor):
    """«Lag på nytt» for one letter waiting in the outbox outside a batch (or failed): made
    again, the replaced version kept in its history. Refused when it is sent or being made."""
    locked = Letter.objects.select_for_update(of=("self",)).select_related("municipality")
    locked = locked.get(pk=letter.pk)
    _refuse_pending([locked])
    _refuse_sent([locked])
    version = _remake(locked, actor)
    queue_letters([locked.pk])
    record(
        actor=actor,
        action="letter.remade",
        obj=locked,
        after={"version": version.sha256 if version else None},
    )
    return locked


@transaction.atomic
def send_batch(*, batch, actor, without=()):
    """«Send alle»: every made letter of the batch waiting in the outbox is marked as sent by
    the actor, under the batch's lock, and queued to be e-mailed; each is e-mailed once
    (send_letter locks it and checks), however often this is pressed or a worker restarted.
    Letters marked before but not e-mailed yet are queued again. Refused while letters are
    being made, and when letters failed, unless `without` names exactly those (the user
    confirmed sending without them). Returns the number of letters newly sent."""
    locked = LetterBatch.objects.select_for_update().get(pk=batch.pk)
    letters = _locked_letters(locked)
    _refuse_pending(letters)
    failed = [letter for letter in letters if letter.status == Letter.Status.FAILED]
    if failed and sorted(int(pk) for pk in without) != sorted(letter.pk for letter in failed):
        raise OutboxRefused(
            ngettext(
                "%(count)s brev kunne ikke lages: %(names)s. Prøv det igjen, eller bekreft at "
                "de andre brevene skal sendes uten det.",
                "%(count)s brev kunne ikke lages: %(names)s. Prøv dem igjen, eller bekreft at "
                "de andre brevene skal sendes uten dem.",
                len(failed),
            )
            % {"count": len(failed), "names": _names(failed)}
        )
    now = timezone.now()
    ready = [letter for letter in letters if letter.waits_in_outbox]
    for letter in ready:
        letter.released_at = now
        letter.released_by = actor
    Letter.objects.bulk_update(ready, ["released_at", "released_by"])
    unsent = [
        letter
        for letter in letters
        if letter.status == Letter.Status.GENERATED
        and letter.may_go
        and letter.send_status in (Letter.SendStatus.NOT_SENT, Letter.SendStatus.FAILED)
    ]
    for letter in unsent:
        queue_sending(letter.pk)
    if ready:
        record(
            actor=actor,
            action="letters.batch_sent",
            obj=locked,
            after={
                "letters": [letter.pk for letter in ready],
                "without": [letter.pk for letter in failed],
                "without_names": _names(failed),
            },
        )
    return len(ready)


@transaction.atomic
def send_single(*, letter, actor):
    """«Send» for one letter waiting in the outbox: marked as sent by the actor under its row
    lock and queued to be e-mailed once. Returns False when it was not waiting (sent
    already, or not made)."""
    locked = Letter.objects.select_for_update(of=("self",)).get(pk=letter.pk)
    if not locked.waits_in_outbox:
        return False
    locked.released_at = timezone.now()
    locked.released_by = actor
    locked.save(update_fields=["released_at", "released_by"])
    queue_sending(locked.pk)
    record(actor=actor, action="letter.sent_from_outbox", obj=locked)
    return True


@transaction.atomic
def send_test(*, letter, actor):
    """«Send en test til meg»: the made letter is e-mailed to the actor's own address, marked
    as a test; the letter is not counted as sent. Refused without an address of one's own."""
    if letter.status != Letter.Status.GENERATED:
        raise OutboxRefused(_("Brevet er ikke laget ennå."))
    if not actor.email:
        raise OutboxRefused(
            _("Du har ingen e-postadresse registrert, så testen kan ikke sendes til deg.")
        )
    queue_test_letter(letter=letter, to=actor.email)
    record(actor=actor, action="letter.test_sent", obj=letter, after={"to": actor.email})
    return actor.email


@transaction.atomic
def request_replacement(*, letter, actor):
    """A new letter that replaces one already sent (with a corrected text, or målform): it
    says so in its subject and text, is made in the background and waits in the outbox for a
    person to send it. Asked again, the same replacement is returned. Refused for a letter not
    sent: make that one again instead."""
    locked = Letter.objects.select_for_update(of=("self",)).get(pk=letter.pk)
    if locked.send_status != Letter.SendStatus.SENT:
        raise OutboxRefused(
            _("Bare et brev som er sendt, erstattes. Dette brevet kan lages på nytt i stedet.")
        )
    existing = Letter.objects.filter(replaces=locked).first()
    if existing is not None:
        return existing
    replacement = Letter.objects.create(
        kind=locked.kind,
        cohort_id=locked.cohort_id,
        municipality=locked.municipality,
        application_id=locked.application_id,
        reference=locked.reference,
        batch_id=locked.batch_id,
        language=letter_language(kind=locked.kind, municipality=locked.municipality),
        signer_name=actor.get_full_name() or actor.get_username(),
        contact_email=actor.email,
        held=True,
        replaces=locked,
    )
    if locked.batch_id:
        LetterBatch.objects.filter(pk=locked.batch_id).update(finished_at=None)
    queue_letters([replacement.pk])
    record(
        actor=actor,
        action="letter.replacement_ordered",
        obj=locked,
        after={"replacement": replacement.pk},
    )
    return replacement
