"""The people around one application: the contact person invites colleagues as co-editors
(by the same kind of single-use link as the invitation's), hands the contact role over, and
the application shows who has access and when each last saved."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.access import contact_person_of, may_lead
from applications.access_links import REQUESTED, set_contact_person
from applications.errors import ApplicationError
from applications.models import AccessLink, Application
from laeringsmiljo.audit import record
from laeringsmiljo.models import AuditEvent, Membership, Role

SAVED = "application.section_saved."


def _refuse_unless_contact(application, actor):
    if not may_lead(actor, application):
        raise ApplicationError(
            _("Bare kontaktpersonen for søknaden kan invitere kolleger og gi fra seg rollen.")
        )


def clean_address(email):
    """The address trimmed and in small letters; ApplicationError if it is not one."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(
            _("«%(email)s» er ikke en gyldig e-postadresse.") % {"email": email[:100]}
        ) from None
    return email


def _member_with_address(municipality, email):
    return (
        Membership.objects.filter(role=Role.MUNICIPALITY, municipality=municipality)
        .filter(Q(user__email__iexact=email) | Q(user__username__iexact=email))
        .select_related("user")
        .first()
    )


@transaction.atomic
def invite_colleague(*, application, email, actor):
    """E-mail a colleague a personal link to become co-editor of the application. Refused for
    an address that already has access; asking again for an address with an open link (a
    double click) sends nothing more. Returns (link, created)."""
    _refuse_unless_contact(application, actor)
    if application.is_submitted:
        raise ApplicationError(
            _("Søknaden er sendt inn. Trekk den tilbake før du inviterer flere til å endre den.")
        )
    email = clean_address(email)
    if _member_with_address(application.municipality, email):
        raise ApplicationError(_("%(email)s har allerede tilgang til søknaden.") % {"email": email})
    now = timezone.now()
    open_links = AccessLink.objects.select_for_update().filter(
        cohort_id=application.cohort_id,
        municipality_id=application.municipality_id,
        kind=AccessLink.Kind.COLLEAGUE,
        email__iexact=email,
        used_at__isnull=True,
        voided_at__isnull=True,
    )
    for link in open_links:
        if link.expires_at is None or link.expires_at > now:
            return link, False
        link.voided_at = now
        link.save(update_fields=["voided_at"])
    link = AccessLink.objects.create(
        cohort_id=application.cohort_id,
        municipality_id=application.municipality_id,
        kind=AccessLink.Kind.COLLEAGUE,
        email=email,
        requested_by=actor,
    )
    record(
        actor=actor,
        action=REQUESTED,
        obj=link,
        after={
            "cohort": application.cohort_id,
            "municipality": application.municipality_id,
            "email": email,
            "kind": link.kind,
        },
    )
    from applications.tasks import queue_access_link_email

    queue_access_link_email(link)
    return link, True


@transaction.atomic
def hand_over_contact_role(*, application, user_pk, actor):
    """Make another member of the municipality the application's contact person; the one who
    hands it over stays as co-editor."""
    _refuse_unless_contact(application, actor)
    membership = (
        Membership.objects.filter(
            role=Role.MUNICIPALITY, municipality_id=application.municipality_id, user_id=user_pk
        )
        .select_related("user")
        .first()
    )
    if membership is None:
        raise ApplicationError(
            _("Kontaktrollen kan bare gis til en som allerede har tilgang til søknaden.")
        )
    if membership.user_id == actor.pk:
        raise ApplicationError(_("Du er allerede kontaktperson."))
    set_contact_person(
        cohort=application.cohort,
        municipality=application.municipality,
        user=membership.user,
        actor=actor,
    )
    return membership.user


def people_with_access(application, viewer=None):
    """Who has access to the application: each member of the municipality with whether they
    are its contact person and when they last saved a part of it, and the colleagues invited
    who have not used their link yet; `others` leaves the viewer out. Four queries."""
    contact = contact_person_of(application)
    saved = dict(
        AuditEvent.objects.filter(
            content_type__app_label="applications",
            content_type__model=Application._meta.model_name,
            object_id=str(application.pk),
            action__startswith=SAVED,
        )
        .values_list("actor_id")
        .annotate(last=Max("at"))
    )
    members = [
        {
            "user": membership.user,
            "is_contact": contact is not None and contact.pk == membership.user_id,
            "last_saved": saved.get(membership.user_id),
        }
        for membership in Membership.objects.filter(
            role=Role.MUNICIPALITY, municipality_id=application.municipality_id
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    ]
    now = timezone.now()
    invited = [
        {"link": link, "expired": link.expires_at is not None and link.expires_at <= now}
        for link in AccessLink.objects.filter(
            cohort_id=application.cohort_id,
            municipality_id=application.municipality_id,
            kind=AccessLink.Kind.COLLEAGUE,
            used_at__isnull=True,
            voided_at__isnull=True,
        ).order_by("requested_at", "pk")
    ]
    others = [person for person in members if viewer is None or person["user"].pk != viewer.pk]
    return {"contact": contact, "members": members, "invited": invited, "others": others}
