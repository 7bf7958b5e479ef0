"""Commitments confirmed by those who commit (the model is Altinn's user-directed signing).

The contact person names, in the commitments part, the person who commits for each party:
the school owner, the municipality as owner of its kindergartens (when one takes part), the
PPT service, each participating school's and kindergarten's leader, and each private
kindergarten's owner. request_commitments() asks each of them by e-mail; the background job
draws a personal token (only its sha256 is kept) and sends the link. The signatory opens it
without an account, reads the commitment text for their unit in the municipality's written
standard and answers. Criterion 6 and the completeness check count only such answers.

Changing a party's signatory (its name or e-mail) or removing the unit voids its request and
answer; resend() draws a new link, and the old one stops working."""

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.errors import ApplicationError
from applications.models import Application, Commitment
from laeringsmiljo.audit import record
from laeringsmiljo.emails import day_of, send_templated_email, with_email
from laeringsmiljo.models import AuditEvent, OwnerKind
from laeringsmiljo.times import long_date

REQUESTED = "commitment.requested"
NOT_QUEUED = "commitment.not_queued"
SENT = "commitment.sent"
ANSWERED = "commitment.answered"
VOIDED = "commitment.voided"
REFUSED = "commitment.refused"

Kind = Commitment.Kind


@dataclass
class Party:
    """One party that must commit, with the signatory the application names for it now."""

    kind: str
    school: object = None  # ApplicationSchool
    kindergarten: object = None  # ApplicationKindergarten
    name: str = ""
    role: str = ""
    email: str = ""
    target: object = None  # the row holding the signatory's fields
    prefix: str = ""  # their names: <prefix>_name, _role, _email

    @property
    def key(self):
        return (
            self.kind,
            self.school.pk if self.school else None,
            self.kindergarten.pk if self.kindergarten else None,
        )

    @property
    def unit_name(self):
        if self.school:
            return self.school.school.name
        if self.kindergarten:
            if self.kind == Kind.PRIVATE_OWNER:
                return (
                    self.kindergarten.kindergarten.owner_name or self.kindergarten.kindergarten.name
                )
            return self.kindergarten.kindergarten.name
        return ""

    @property
    def label(self):
        return _label(self.kind, self.unit_name, self.kindergarten)

    @property
    def has_signatory(self):
        return bool(self.name.strip() and self.role.strip() and self.email.strip())


def _label(kind, unit_name, kindergarten=None):
    if kind == Kind.SCHOOL_OWNER:
        return _("Skoleeier (kommunen)")
    if kind == Kind.KINDERGARTEN_OWNER:
        return _("Kommunen som eier av de kommunale barnehagene")
    if kind == Kind.PPT:
        return _("PP-tjenesten")
    if kind == Kind.PRIVATE_OWNER:
        return _("Eieren av %(unit)s") % {
            "unit": kindergarten.kindergarten.name if kindergarten else unit_name
        }
    return _("Lederen ved %(unit)s") % {"unit": unit_name}


def parties(application, schools, kindergartens):
    """The parties that must commit for the application as it is now, in the part's order.
    `schools` and `kindergartens` are its units with school and kindergarten loaded."""
    found = [
        Party(
            Kind.SCHOOL_OWNER,
            name=application.school_owner_name,
            role=application.school_owner_role,
            email=application.school_owner_email,
            target=application,
            prefix="school_owner",
        )
    ]
    if any(unit.kindergarten.owner_kind == OwnerKind.PUBLIC for unit in kindergartens):
        found.append(
            Party(
                Kind.KINDERGARTEN_OWNER,
                name=application.kindergarten_owner_name,
                role=application.kindergarten_owner_role,
                email=application.kindergarten_owner_email,
                target=application,
                prefix="kindergarten_owner",
            )
        )
    found.append(
        Party(
            Kind.PPT,
            name=application.ppt_leader_name,
            role=application.ppt_leader_role,
            email=application.ppt_leader_email,
            target=application,
            prefix="ppt_leader",
        )
    )
    for unit in schools:
        found.append(
            Party(
                Kind.SCHOOL,
                school=unit,
                name=unit.leader_name,
                role=unit.leader_role,
                email=unit.leader_email,
                target=unit,
                prefix="leader",
            )
        )
    for unit in kindergartens:
        found.append(
            Party(
                Kind.KINDERGARTEN,
                kindergarten=unit,
                name=unit.leader_name,
                role=unit.leader_role,
                email=unit.leader_email,
                target=unit,
                prefix="leader",
            )
        )
        if unit.kindergarten.owner_kind == OwnerKind.PRIVATE:
            found.append(
                Party(
                    Kind.PRIVATE_OWNER,
                    kindergarten=unit,
                    name=unit.owner_contact_name,
                    role=unit.owner_contact_role,
                    email=unit.owner_contact_email,
                    target=unit,
                    prefix="owner_contact",
                )
            )
    return found


def open_commitments(application):
    """The application's requests that still count, by party key (one query)."""
    return {
        commitment.slot: commitment
        for commitment in Commitment.objects.filter(
            application_id=application.pk, voided_at__isnull=True
        ).order_by("pk")
    }


def _same_signatory(party, commitment):
    return (
        commitment.name.strip() == party.name.strip()
        and commitment.email.strip().lower() == party.email.strip().lower()
    )


STATUS_TEXTS = {
    "bekreftet": gettext_lazy("bekreftet"),
    "avslatt": gettext_lazy("avslått"),
    "ikke_svart": gettext_lazy("ikke svart"),
    "utlopt": gettext_lazy("lenken er utløpt"),
    "venter": gettext_lazy("venter på utsending"),
    "ikke_i_ko": gettext_lazy("kunne ikke sendes ennå"),
    "ikke_sendt": gettext_lazy("ikke sendt"),
}


def status_of(commitment, now=None):
    """bekreftet, avslatt, ikke_svart, utlopt, venter (queued) or ikke_sendt (no request)."""
    if commitment is None:
        return "ikke_sendt"
    if commitment.answer == Commitment.Answer.CONFIRMED:
        return "bekreftet"
    if commitment.answer == Commitment.Answer.DECLINED:
        return "avslatt"
    if not commitment.sent_at:
        return "venter"
    if commitment.expires_at <= (now or timezone.now()):
        return "utlopt"
    return "ikke_svart"


def _not_queued(commitments):
    """The pks of the waiting requests whose e-mail the queue could not take when they were
    made: they wait for a new try, not for a worker (one query, none when none waits)."""
    waiting = {c.pk: c for c in commitments if c.answer == Commitment.Answer.NONE and not c.sent_at}
    if not waiting:
        return set()
    events = AuditEvent.objects.filter(
        action=NOT_QUEUED,
        content_type=ContentType.objects.get_for_model(Commitment),
        object_id__in=[str(pk) for pk in waiting],
    ).values_list("object_id", "at")
    return {int(pk) for pk, at in events if at >= waiting[int(pk)].requested_at}


def overview(application, schools, kindergartens, commitments=None):
    """Each party with its signatory, its open request and that request's status."""
    commitments = open_commitments(application) if commitments is None else commitments
    not_queued = _not_queued(commitments.values())
    now = timezone.now()
    rows = []
    for party in parties(application, schools, kindergartens):
        commitment = commitments.get(party.key)
        status = status_of(commitment, now)
        if status == "venter" and commitment.pk in not_queued:
            status = "ikke_i_ko"
        rows.append(
            {
                "party": party,
                "commitment": commitment,
                "status": status,
                "status_text": STATUS_TEXTS[status],
            }
        )
    return rows


def commitment_problems(application, schools, kindergartens, commitments=None):
    """What is missing for criterion 6: each party without a confirmation given through its
    own link, as (party, message). A decline is named with its comment."""
    commitments = open_commitments(application) if commitments is None else commitments
    missing = []
    for party in parties(application, schools, kindergartens):
        commitment = commitments.get(party.key)
        if commitment is not None and commitment.answer == Commitment.Answer.CONFIRMED:
            continue
        if commitment is not None and commitment.answer == Commitment.Answer.DECLINED:
            message = _("%(party)s har svart at de ikke kan delta.") % {"party": party.label}
            if commitment.comment:
                message = f"{message} «{commitment.comment}»"
        elif commitment is not None:
            message = _("%(party)s har ikke bekreftet deltakelse ennå.") % {"party": party.label}
        elif not party.has_signatory:
            message = _(
                "%(party)s: skriv navn, stilling og e-post til den som bekrefter, og send "
                "forespørselen."
            ) % {"party": party.label}
        else:
            message = _("Forespørselen til %(party)s er ikke sendt.") % {"party": party.label}
        missing.append((party, message))
    return missing


def void_changed(*, application, actor):
    """Void the open requests whose party is gone or whose signatory changed. Call it inside
    the transaction that saved a part, with the saved application."""
    schools = list(application.schools.select_related("school"))
    kindergartens = list(application.kindergartens.select_related("kindergarten"))
    current = {party.key: party for party in parties(application, schools, kindergartens)}
    now = timezone.now()
    for key, commitment in open_commitments(application).items():
        party = current.get(key)
        if party is not None and _same_signatory(party, commitment):
            continue
        commitment.voided_at = now
        commitment.save(update_fields=["voided_at"])
        record(
            actor=actor,
            action=VOIDED,
            obj=commitment,
            before={
                "name": commitment.name,
                "email": commitment.email,
                "answer": commitment.answer,
            },
            after={
                "reason": "removed" if party is None else "signatory_changed",
                "application": application.pk,
            },
        )


def _lock(application):
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort", "municipality__county__office")
        .get(pk=application.pk)
    )


def _refuse_when_not_open(locked):
    if locked.is_submitted:
        raise ApplicationError(
            _("Søknaden er sendt inn. Trekk den tilbake før du sender forespørsler.")
        )
    if locked.is_closed():
        raise ApplicationError(
            _("Søknadsfristen er ute, så det kan ikke sendes forespørsler om bekreftelse.")
        )


@transaction.atomic
def request_commitments(*, application, actor):
    """Ask every party that has a signatory and no open request yet to confirm. A double
    click asks nobody twice. Returns (asked, without_signatory): the new requests, and the
    parties that still lack a name, role or valid e-mail."""
    locked = _lock(application)
    _refuse_when_not_open(locked)
    schools = list(locked.schools.select_related("school"))
    kindergartens = list(locked.kindergartens.select_related("kindergarten"))
    existing = open_commitments(locked)
    asked, without = [], []
    for party in parties(locked, schools, kindergartens):
        if party.key in existing:
            continue
        if not party.has_signatory:
            without.append(party)
            continue
        try:
            validate_email(party.email.strip())
        except ValidationError:
            without.append(party)
            continue
        commitment = Commitment.objects.create(
            application=locked,
            kind=party.kind,
            school=party.school,
            kindergarten=party.kindergarten,
            name=party.name.strip(),
            role=party.role.strip(),
            email=party.email.strip().lower(),
            requested_by=actor,
        )
        record(
            actor=actor,
            action=REQUESTED,
            obj=commitment,
            after={"application": locked.pk, "kind": party.kind, "email": commitment.email},
        )
        _queue(commitment)
        asked.append(commitment)
    return asked, without


@transaction.atomic
def resend(*, application, commitment_pk, round, actor):
    """Send the party a new link (the old one stops working), for a request not confirmed.
    `round` is the sending the page showed: a second click of the same page sends nothing
    more. Returns the request."""
    locked = _lock(application)
    _refuse_when_not_open(locked)
    commitment = (
        Commitment.objects.select_for_update()
        .filter(pk=commitment_pk, application=locked, voided_at__isnull=True)
        .first()
    )
    if commitment is None:
        raise ApplicationError(
            _("Forespørselen finnes ikke lenger. Last inn siden på nytt og se hva som gjelder nå.")
        )
    if commitment.answer == Commitment.Answer.CONFIRMED:
        raise ApplicationError(
            _("%(name)s har allerede bekreftet. Det trengs ingen ny forespørsel.")
            % {"name": commitment.name}
        )
    if commitment.round != round:
        return commitment
    before = {"round": commitment.round, "answer": commitment.answer}
    commitment.round += 1
    commitment.token_hash = ""
    commitment.sent_at = commitment.expires_at = commitment.answered_at = None
    commitment.answer = Commitment.Answer.NONE
    commitment.comment = commitment.text_seen = ""
    commitment.requested_at = timezone.now()
    commitment.requested_by = actor
    commitment.save()
    record(
        actor=actor,
        action=REQUESTED,
        obj=commitment,
        before=before,
        after={"round": commitment.round, "email": commitment.email},
    )
    _queue(commitment)
    return commitment


def _queue(commitment):
    from applications.tasks import queue_commitment_email

    queue_commitment_email(commitment)


def note_not_queued(*, commitment, reason):
    """Record that the e-mail of this request could not be queued, and why."""
    record(actor=None, action=NOT_QUEUED, obj=commitment, after={"reason": reason})


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def commitment_text(commitment, application):
    """The text the signatory commits to, in the municipality's written standard."""
    with translation.override(application.municipality.letter_language()):
        context = {
            "commitment": commitment,
            "application": application,
            "party": _label(
                commitment.kind,
                commitment.school.school.name
                if commitment.school
                else commitment.kindergarten.kindergarten.name
                if commitment.kindergarten
                else "",
                commitment.kindergarten,
            ),
            "municipality": application.municipality,
            "cohort": application.cohort,
        }
        return render_to_string("applications/commitment_text.txt", context).strip()


def _draw_link(commitment):
    """A new token for the request: its hash and expiry are stored, the token returned."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    commitment.token_hash = token_hash(token)
    commitment.sent_at = now
    commitment.expires_at = now + timezone.timedelta(days=settings.COMMITMENT_LINK_DAYS)
    commitment.save(update_fields=["token_hash", "sent_at", "expires_at"])
    return token


def link_url(commitment, token):
    return settings.SITE_URL + reverse("applications:commitment_link", args=[commitment.pk, token])


def _locked_commitment(pk):
    return (
        Commitment.objects.select_for_update(of=("self",))
        .select_related(
            "application__cohort",
            "application__municipality__county__office",
            "school__school",
            "kindergarten__kindergarten",
        )
        .filter(pk=pk)
        .first()
    )


def send_commitment_email(*, commitment_id, round):
    """Draw the request's token and e-mail the link, once per sending, in the municipality's
    written standard. A request already sent, voided or sent again since is left alone, so
    the job is safe to run again."""
    with transaction.atomic():
        commitment = _locked_commitment(commitment_id)
        if (
            commitment is None
            or commitment.round != round
            or commitment.sent_at
            or commitment.voided_at
            or commitment.answer
        ):
            return False
        application = commitment.application
        token = _draw_link(commitment)
        values = {
            "name": commitment.name,
            "municipality": application.municipality.name,
            "cohort": application.cohort.name,
            "text": commitment_text(commitment, application),
            "contact": with_email(application.contact_name, application.contact_email),
            "url": link_url(commitment, token),
            "days": settings.COMMITMENT_LINK_DAYS,
            "expires": day_of(commitment.expires_at),
        }
        record(
            actor=None,
            action=SENT,
            obj=commitment,
            after={"email": commitment.email, "expires_at": commitment.expires_at},
        )
        send_templated_email(
            "commitment",
            values,
            language=application.municipality.letter_language(),
            to=[commitment.email],
            reply_to=application.contact_email,
        )
    return True


class CommitmentLinkError(ApplicationError):
    """A link that cannot be answered; nothing is changed."""


def _usable(pk, token, *, lock=False, now=None):
    queryset = Commitment.objects.select_related(
        "application__cohort",
        "application__municipality__county__office",
        "school__school",
        "kindergarten__kindergarten",
    )
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    commitment = queryset.filter(pk=pk, token_hash=token_hash(token or "")).first()
    if commitment is None or not token:
        raise CommitmentLinkError(
            _("Lenken er ikke gyldig. Kontroller at du har brukt hele lenken fra e-posten.")
        )
    if commitment.voided_at:
        raise CommitmentLinkError(
            _(
                "Forespørselen er trukket tilbake av kommunen, fordi en annen skal svare for "
                "enheten eller enheten ikke lenger er med i søknaden."
            )
        )
    if commitment.answer:
        raise CommitmentLinkError(
            _("Du har allerede svart (%(answer)s %(when)s). Svaret kan ikke endres med lenken.")
            % {
                "answer": commitment.get_answer_display(),
                "when": long_date(commitment.answered_at),
            }
        )
    if commitment.expires_at is None or commitment.expires_at <= (now or timezone.now()):
        raise CommitmentLinkError(
            _("Lenken er utløpt. Be kontaktpersonen i kommunen om å sende en ny.")
        )
    application = commitment.application
    if application.is_submitted:
        raise CommitmentLinkError(
            _("Søknaden er allerede sendt inn, så den kan ikke bekreftes eller avslås nå.")
        )
    if application.is_closed(now):
        raise CommitmentLinkError(
            _("Søknadsfristen er ute, så forespørselen kan ikke besvares lenger.")
        )
    return commitment


def check_link(*, pk, token, now=None):
    """The request this token opens, with its text; CommitmentLinkError if none."""
    commitment = _usable(pk, token, now=now)
    return commitment, commitment_text(commitment, commitment.application)


def text_digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def answer(*, pk, token, confirmed, comment, seen_digest, now=None):
    """The signatory's answer through their link: confirmed or declined, with an optional
    comment. The text they saw is stored with it; if it changed after they opened the page,
    nothing is stored and they are asked to read it again. Returns the request."""
    # Lock the application first, as every change of it does, so a submission cannot pass
    # between the check and the answer.
    commitment = _usable(pk, token, now=now)
    Application.objects.select_for_update(of=("self",)).get(pk=commitment.application_id)
    commitment = _usable(pk, token, lock=True, now=now)
    text = commitment_text(commitment, commitment.application)
    if seen_digest != text_digest(text):
        raise CommitmentLinkError(
            _(
                "Teksten er endret etter at du åpnet siden. Les den på nytt før du svarer. "
                "Ingenting er lagret."
            )
        )
    return _store_answer(commitment, text, confirmed=confirmed, comment=comment, now=now)


def _store_answer(commitment, text, *, confirmed, comment, now=None):
    commitment.answer = Commitment.Answer.CONFIRMED if confirmed else Commitment.Answer.DECLINED
    commitment.answered_at = now or timezone.now()
    commitment.comment = comment.strip()
    commitment.text_seen = text
    commitment.save(update_fields=["answer", "answered_at", "comment", "text_seen"])
    record(
        actor=None,
        action=ANSWERED,
        obj=commitment,
        after={
            "application": commitment.application_id,
            "answer": commitment.answer,
            "name": commitment.name,
            "role": commitment.role,
            "email": commitment.email,
            "comment": commitment.comment,
            "text_sha256": text_digest(text),
        },
    )
    return commitment


def confirm_all(application, *, actor=None):
    """Have every party of the application that lacks a confirmation confirm, through the
    same request, token and answer as the link: for the demo and the test world, whose
    applications are built in code. A party without a signatory gets a made-up one."""
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        schools = list(locked.schools.select_related("school"))
        kindergartens = list(locked.kindergartens.select_related("kindergarten"))
        existing = open_commitments(locked)
        for party in parties(locked, schools, kindergartens):
            current = existing.get(party.key)
            if current is not None and current.answer == Commitment.Answer.CONFIRMED:
                continue
            if current is not None:
                current.voided_at = timezone.now()
                current.save(update_fields=["voided_at"])
            made_up = {
                "name": party.name.strip() or "Signe Signatar",
                "role": party.role.strip() or "Leder",
                "email": (
                    party.email.strip()
                    or f"{party.prefix}.{party.key[1] or party.key[2] or 0}"
                    f"@{locked.municipality_id}.signatar.example"
                ).lower(),
            }
            for field, value in made_up.items():
                setattr(party.target, f"{party.prefix}_{field}", value)
            party.target.save(update_fields=[f"{party.prefix}_{field}" for field in made_up])
            commitment = Commitment.objects.create(
                application=locked,
                kind=party.kind,
                school=party.school,
                kindergarten=party.kindergarten,
                requested_by=actor,
                **made_up,
            )
            record(
                actor=actor,
                action=REQUESTED,
                obj=commitment,
                after={"application": locked.pk, "kind": party.kind, "email": commitment.email},
            )
            _draw_link(commitment)
            commitment = Commitment.objects.select_related(
                "application__cohort",
                "application__municipality",
                "school__school",
                "kindergarten__kindergarten",
            ).get(pk=commitment.pk)
            _store_answer(
                commitment,
                commitment_text(commitment, commitment.application),
                confirmed=True,
                comment="",
            )
    application.refresh_from_db(
        fields=[
            f"{who}_{field}"
            for who in ("school_owner", "kindergarten_owner", "ppt_leader")
            for field in ("name", "role", "email")
        ]
    )
