"""The link that brings a municipality's contact person in: made when the office invites the
municipality (or sends it again), e-mailed to the municipality's registered address in its
written standard, used once to take on the municipality's membership for the cohort.

Only the sha256 of a token is stored. The token is drawn by the background job that sends the
e-mail, so it passes through neither the broker nor the audit log nor the logs."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.errors import ApplicationError
from applications.models import AccessLink, ContactPerson
from laeringsmiljo.audit import record
from laeringsmiljo.emails import day_of, send_templated_email, with_email
from laeringsmiljo.models import Membership, Role

REQUESTED = "access_link.requested"
NOT_QUEUED = "access_link.not_queued"
SENT = "access_link.sent"
USED = "access_link.used"
REVOKED = "membership.revoked"
CONTACT_SET = "contact_person.set"


class AccessLinkError(ApplicationError):
    """A link that cannot be used (unknown, used, expired or replaced); nothing is changed."""

    def __init__(self, message, *, reason):
        super().__init__(message)
        self.reason = reason


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _open_links(*, cohort, municipality, kind=AccessLink.Kind.CONTACT):
    return AccessLink.objects.filter(
        cohort=cohort,
        municipality=municipality,
        kind=kind,
        used_at__isnull=True,
        voided_at__isnull=True,
    )


@transaction.atomic
def request_access_link(*, cohort, municipality, actor, replaces=None):
    """Have a new link e-mailed to the municipality's registered address; an open link of the
    municipality for the cohort stops working. `replaces` is the link the office saw when it
    asked again: if that one is already replaced (a double click), nothing more is sent.
    Inviting again while a link is open sends nothing either. Returns the link."""
    if not municipality.email:
        raise ApplicationError(
            _(
                "%(municipality)s har ingen registrert e-postadresse. Skriv inn kommunens "
                "postmottak før du sender lenken."
            )
            % {"municipality": municipality.name}
        )
    open_links = list(
        _open_links(cohort=cohort, municipality=municipality).select_for_update().order_by("pk")
    )
    if open_links:
        latest = open_links[-1]
        if replaces is None or replaces != latest.pk:
            return latest
    now = timezone.now()
    for link in open_links:
        link.voided_at = now
        link.save(update_fields=["voided_at"])
    link = AccessLink.objects.create(
        cohort=cohort, municipality=municipality, email=municipality.email, requested_by=actor
    )
    record(
        actor=actor,
        action=REQUESTED,
        obj=link,
        after={
            "cohort": cohort.pk,
            "municipality": municipality.pk,
            "email": link.email,
            "replaced": [old.pk for old in open_links],
        },
    )
    from applications.tasks import queue_access_link_email

    queue_access_link_email(link)
    return link


def note_access_link_not_queued(*, link, reason):
    """Record that the e-mail with this link could not be queued, and why."""
    record(actor=None, action=NOT_QUEUED, obj=link, after={"reason": reason})


def link_url(link, token):
    return settings.SITE_URL + reverse(
        "applications:access_link", args=[link.cohort_id, link.municipality_id, token]
    )


def send_access_link_email(*, link_id):
    """Draw the link's token and e-mail it, once, in the municipality's written standard. A
    link already sent, used or replaced is left alone, so the job is safe to run again."""
    with transaction.atomic():
        link = (
            AccessLink.objects.select_for_update(of=("self",))
            .select_related("cohort", "municipality__county__office", "requested_by")
            .get(pk=link_id)
        )
        if link.sent_at or link.used_at or link.voided_at or not link.email:
            return False
        colleague = link.kind == AccessLink.Kind.COLLEAGUE
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        link.token_hash = token_hash(token)
        link.sent_at = now
        link.expires_at = now + timezone.timedelta(days=settings.ACCESS_LINK_DAYS)
        office = link.municipality.county.office
        values = {
            "municipality": link.municipality.name,
            "cohort": link.cohort.name,
            "office": office.name,
            "office_contact": with_email(office.name, office.email),
            "url": link_url(link, token),
            "days": settings.ACCESS_LINK_DAYS,
            "expires": day_of(link.expires_at),
        }
        if colleague:
            inviter = link.requested_by
            values["inviter"] = inviter.get_full_name() or inviter.email if inviter else ""
        link.save(update_fields=["token_hash", "sent_at", "expires_at"])
        record(
            actor=None,
            action=SENT,
            obj=link,
            after={"email": link.email, "expires_at": link.expires_at},
        )
        send_templated_email(
            "colleague" if colleague else "access",
            values,
            language=link.municipality.letter_language(),
            to=[link.email],
            reply_to=office.email,
        )
    return True


def _usable_link(*, token, cohort_pk, municipality_pk, lock=False):
    queryset = AccessLink.objects.select_related("cohort", "municipality")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    link = queryset.filter(
        token_hash=token_hash(token or ""), cohort_id=cohort_pk, municipality_id=municipality_pk
    ).first()
    if link is None:
        raise AccessLinkError(
            _("Lenken er ikke gyldig. Kontroller at du har brukt hele lenken fra e-posten."),
            reason="unknown",
        )
    if link.used_at:
        raise AccessLinkError(_("Lenken er allerede brukt."), reason="used")
    if link.voided_at:
        raise AccessLinkError(
            _("Lenken er erstattet av en nyere lenke og virker ikke lenger."), reason="replaced"
        )
    if link.expires_at is None or link.expires_at <= timezone.now():
        raise AccessLinkError(_("Lenken er utløpt."), reason="expired")
    return link


def check_access_link(*, token, cohort_pk, municipality_pk):
    """The link this token opens for this cohort and municipality; AccessLinkError if none."""
    return _usable_link(token=token, cohort_pk=cohort_pk, municipality_pk=municipality_pk)


@transaction.atomic
def accept_access_link(*, token, cohort_pk, municipality_pk, user):
    """Use the link: the user becomes a member of the municipality, and the link is spent.
    Returns the membership."""
    link = _usable_link(
        token=token, cohort_pk=cohort_pk, municipality_pk=municipality_pk, lock=True
    )
    membership, created = Membership.objects.get_or_create(
        user=user, role=Role.MUNICIPALITY, municipality=link.municipality
    )
    link.used_at = timezone.now()
    link.used_by = user
    link.save(update_fields=["used_at", "used_by"])
    record(
        actor=user,
        action=USED,
        obj=link,
        after={
            "membership": membership.pk,
            "user": user.pk,
            "new_membership": created,
            "kind": link.kind,
        },
    )
    if link.kind == AccessLink.Kind.CONTACT:
        set_contact_person(
            cohort=link.cohort, municipality=link.municipality, user=user, actor=user
        )
    return membership


def set_contact_person(*, cohort, municipality, user, actor):
    """Make the user the contact person of the municipality's application for the cohort; the
    one before stays a member, as co-editor. Call it inside the change's transaction."""
    current = (
        ContactPerson.objects.select_for_update()
        .filter(cohort=cohort, municipality=municipality)
        .first()
    )
    before = current.user_id if current else None
    if before == user.pk:
        return current
    if current is None:
        current = ContactPerson(cohort=cohort, municipality=municipality)
    current.user = user
    current.save()
    record(
        actor=actor,
        action=CONTACT_SET,
        obj=municipality,
        before={"cohort": cohort.pk, "contact_person": before},
        after={"cohort": cohort.pk, "contact_person": user.pk},
    )
    return current


@transaction.atomic
def register_and_accept(
    *, token, cohort_pk, municipality_pk, first_name, last_name, email, password
):
    """Make an account (its username is the e-mail address) and use the link with it. The
    caller has validated the password and that the address is free. Returns the user."""
    _usable_link(token=token, cohort_pk=cohort_pk, municipality_pk=municipality_pk, lock=True)
    user = get_user_model().objects.create_user(
        username=email, email=email, password=password, first_name=first_name, last_name=last_name
    )
    record(actor=user, action="user.registered", obj=user, after={"email": email})
    accept_access_link(token=token, cohort_pk=cohort_pk, municipality_pk=municipality_pk, user=user)
    return user


@transaction.atomic
def accept_with_identity(*, token, cohort_pk, municipality_pk, user, provider, subject):
    """Use the link with an identity verified by the provider (ID-porten) that no user is tied
    to yet: the identity is tied to the user, who takes on the link. Returns the membership."""
    from laeringsmiljo.models import ExternalIdentity
    from laeringsmiljo.signin.oidc import bind

    _usable_link(token=token, cohort_pk=cohort_pk, municipality_pk=municipality_pk, lock=True)
    if ExternalIdentity.objects.filter(provider=provider, subject=subject).exists():
        raise AccessLinkError(
            _("Denne ID-porten-identiteten er allerede knyttet til en bruker. Logg inn med den."),
            reason="identity_taken",
        )
    if ExternalIdentity.objects.filter(user=user, provider=provider).exists():
        raise AccessLinkError(
            _("Brukeren din er allerede knyttet til en annen identitet i ID-porten."),
            reason="identity_taken",
        )
    bind(user=user, provider=provider, subject=subject, actor=user)
    return accept_access_link(
        token=token, cohort_pk=cohort_pk, municipality_pk=municipality_pk, user=user
    )


@transaction.atomic
def register_with_identity_and_accept(
    *, token, cohort_pk, municipality_pk, first_name, last_name, email, provider, subject
):
    """Make an account without a password for one signed in with ID-porten through the link,
    tie the identity to it and use the link. Returns the user."""
    _usable_link(token=token, cohort_pk=cohort_pk, municipality_pk=municipality_pk, lock=True)
    user = get_user_model().objects.create_user(
        username=email, email=email, password=None, first_name=first_name, last_name=last_name
    )
    record(actor=user, action="user.registered", obj=user, after={"email": email, "via": provider})
    accept_with_identity(
        token=token,
        cohort_pk=cohort_pk,
        municipality_pk=municipality_pk,
        user=user,
        provider=provider,
        subject=subject,
    )
    return user


@transaction.atomic
def revoke_membership(*, membership, actor):
    """Take a user's access to the municipality away."""
    record(
        actor=actor,
        action=REVOKED,
        obj=membership.municipality,
        before={"membership": membership.pk, "user": membership.user_id},
    )
    ContactPerson.objects.filter(
        municipality_id=membership.municipality_id, user_id=membership.user_id
    ).delete()
    membership.delete()


def access_overview(*, cohort, municipality_ids):
    """Per municipality: who holds access, and its newest link for the cohort. Each membership
    has `is_contact`: True for the cohort's contact person, False for a co-editor, None where
    the municipality has no contact person (accounts made in admin: each member leads)."""
    contacts = set(
        ContactPerson.objects.filter(
            cohort=cohort, municipality_id__in=municipality_ids
        ).values_list("municipality_id", "user_id")
    )
    led = {municipality_id for municipality_id, _user_id in contacts}
    members = {}
    for membership in (
        Membership.objects.filter(role=Role.MUNICIPALITY, municipality_id__in=municipality_ids)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    ):
        membership.is_contact = (
            (membership.municipality_id, membership.user_id) in contacts
            if membership.municipality_id in led
            else None
        )
        members.setdefault(membership.municipality_id, []).append(membership)
    links = {}
    for link in AccessLink.objects.filter(
        cohort=cohort, municipality_id__in=municipality_ids, kind=AccessLink.Kind.CONTACT
    ).order_by("pk"):
        links[link.municipality_id] = link
    return {pk: (members.get(pk, []), links.get(pk)) for pk in municipality_ids}


def link_state(link):
    """A short Norwegian status of a link for the office's page."""
    if link is None:
        return _("ingen lenke sendt")
    if link.used_at:
        return _("brukt")
    if link.voided_at:
        return _("erstattet")
    if not link.sent_at:
        return _("venter på utsending")
    if link.expires_at <= timezone.now():
        return _("utløpt")
    return _("sendt, ikke brukt")


@transaction.atomic
def set_registered_email(*, municipality, email, actor):
    """Change the municipality's registered address (postmottak), where its links go."""
    before = municipality.email
    if before == email:
        return municipality
    municipality.email = email
    municipality.save(update_fields=["email"])
    record(
        actor=actor,
        action="municipality.email_changed",
        obj=municipality,
        before={"email": before},
        after={"email": email},
    )
    return municipality
