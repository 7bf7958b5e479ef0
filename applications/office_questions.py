"""Questions to the municipality («Spørsmål til kommunen»): after the application is sent in,
a case officer of its county's office asks; the municipality is told by e-mail and answers on
the application page, and the application stays as it was sent. The office sees the answer on
the application and score pages (so does Udir), marks a question answered or asks again.
Every step is one function, in a transaction, with an audit event."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import questions
from applications.access import contact_person_of, may_ask_municipality
from applications.errors import ApplicationError
from applications.models import Application, OfficeQuestion
from laeringsmiljo.audit import record
from laeringsmiljo.emails import send_templated_email
from laeringsmiljo.times import date_and_time

ASKED = "office_question.asked"
ANSWERED = "office_question.answered"
CLOSED = "office_question.closed"
NOT_QUEUED = "office_question.not_queued"
MAX_LENGTH = 5000


def questions_of(application):
    """The application's questions in the order they were asked (one query)."""
    return list(
        OfficeQuestion.objects.filter(application_id=application.pk)
        .select_related("asked_by", "answered_by", "closed_by")
        .prefetch_related("follow_ups")
    )


def for_page(*, roles, application):
    """What the questions' part of a page needs: the questions, and whether the user may ask
    them (the county's office) or answer them (the municipality)."""
    return {
        "office_questions": questions_of(application),
        "may_ask": may_ask_municipality(roles, application),
        "may_answer": application.municipality_id in roles.municipality_ids,
    }


def _text(text, *, empty):
    text = (text or "").strip()
    if not text:
        raise ApplicationError(empty)
    if len(text) > MAX_LENGTH:
        raise ApplicationError(
            _("Teksten er %(length)s tegn. Den kan være på høyst %(max)s tegn.")
            % {"length": len(text), "max": MAX_LENGTH}
        )
    return text


def _lock(application):
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort", "municipality__county__office")
        .get(pk=application.pk)
    )


def _locked_question(application, question_pk):
    question = (
        OfficeQuestion.objects.select_for_update()
        .filter(pk=question_pk, application_id=application.pk)
        .first()
    )
    if question is None:
        raise ApplicationError(_("Spørsmålet finnes ikke på denne søknaden."))
    return question


@transaction.atomic
def ask(*, application, text, actor, follows_pk=None):
    """Ask the municipality a question about its sent application, or ask again after an
    earlier question (`follows_pk`), which is then closed. Refused, with the reason, for an
    application that is not sent in, once the assessment is locked, for an empty question and
    for the same question asked twice (a double click)."""
    text = _text(text, empty=_("Skriv spørsmålet til kommunen."))
    locked = _lock(application)
    if not locked.is_submitted:
        raise ApplicationError(
            _(
                "Søknaden er ikke sendt inn nå, så kommunen kan endre den selv. Spørsmål kan "
                "stilles når den er sendt inn."
            )
        )
    if reason := questions.assessment_lock_reason(locked):
        raise ApplicationError(_("Spørsmålet kan ikke stilles: %(reason)s") % {"reason": reason})
    follows = _locked_question(locked, follows_pk) if follows_pk else None
    if follows is not None and follows.follow_ups.exists():
        raise ApplicationError(_("Det er allerede spurt igjen etter dette spørsmålet."))
    if OfficeQuestion.objects.filter(
        application=locked, text=text, answered_at__isnull=True, closed_at__isnull=True
    ).exists():
        raise ApplicationError(
            _("Det samme spørsmålet er allerede stilt og venter på svar. Det er ikke sendt igjen.")
        )
    now = timezone.now()
    if follows is not None and follows.closed_at is None:
        follows.closed_at, follows.closed_by = now, actor
        follows.save(update_fields=["closed_at", "closed_by"])
    question = OfficeQuestion.objects.create(
        application=locked, text=text, asked_by=actor, asked_at=now, follows=follows
    )
    record(
        actor=actor,
        action=ASKED,
        obj=locked,
        after={"question": question.pk, "text": text, "follows": follows.pk if follows else None},
    )
    from applications.tasks import queue_office_question_email  # the task imports this module

    queue_office_question_email(question)
    return question


@transaction.atomic
def answer(*, application, question_pk, text, actor):
    """The municipality's answer to an open question; the application stays sent in. Refused
    once the office has sent its recommendation (with that reason), for an empty answer, a
    question already answered (a double click) or marked answered."""
    text = _text(text, empty=_("Skriv svaret til embetet."))
    locked = _lock(application)
    question = _locked_question(locked, question_pk)
    if question.answered_at:
        raise ApplicationError(
            _("Spørsmålet ble besvart %(at)s. Svaret er ikke endret.")
            % {"at": date_and_time(question.answered_at)}
        )
    if question.closed_at:
        raise ApplicationError(
            _("Embetet har markert spørsmålet som besvart, så det trenger ikke svar lenger.")
        )
    if reason := questions.assessment_lock_reason(locked):
        raise ApplicationError(_("Svaret kan ikke sendes: %(reason)s") % {"reason": reason})
    question.answer, question.answered_by, question.answered_at = text, actor, timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    record(
        actor=actor,
        action=ANSWERED,
        obj=locked,
        after={"question": question.pk, "answer": text},
    )
    return question


@transaction.atomic
def mark_answered(*, application, question_pk, actor):
    """The office marks a question answered, with or without an answer in the service (one
    given by telephone, say): it no longer waits for the municipality."""
    locked = _lock(application)
    question = _locked_question(locked, question_pk)
    if question.closed_at:
        raise ApplicationError(_("Spørsmålet er allerede markert som besvart."))
    question.closed_at, question.closed_by = timezone.now(), actor
    question.save(update_fields=["closed_at", "closed_by"])
    record(actor=actor, action=CLOSED, obj=locked, after={"question": question.pk})
    return question


def recipients(application):
    """Where the municipality is told of a question: its contact person, the address on the
    application and its registered address."""
    contact = contact_person_of(application)
    addresses = [
        contact.email if contact else "",
        application.contact_email,
        application.municipality.email,
    ]
    return list(dict.fromkeys(a.strip().lower() for a in addresses if a and a.strip()))


def send_question_email(*, question_id):
    """Tell the municipality of a question, in its written standard. Returns whether it was
    sent."""
    question = (
        OfficeQuestion.objects.select_related(
            "application__cohort", "application__municipality__county__office"
        )
        .filter(pk=question_id)
        .first()
    )
    if question is None or not question.is_open:
        return False
    application = question.application
    to = recipients(application)
    if not to:
        return False
    office = application.municipality.county.office
    send_templated_email(
        "office_question",
        {
            "municipality": application.municipality.name,
            "cohort": application.cohort.name,
            "reference": application.reference,
            "office": office.name,
            "question": question.text,
            "url": settings.SITE_URL
            + reverse("applications:detail", args=[application.pk])
            + "#sporsmal",
        },
        language=application.municipality.letter_language(),
        to=to,
        reply_to=office.email or None,
    )
    return True


def note_not_queued(*, question, reason):
    """Record that the e-mail about a question could not be queued, and why."""
    record(
        actor=None,
        action=NOT_QUEUED,
        obj=question.application,
        after={"question": question.pk, "reason": reason},
    )
