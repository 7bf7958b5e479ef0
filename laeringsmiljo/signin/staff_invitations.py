"""Staff invitations: an administrator sends an office or Udir user a personal link, and the
first sign-in through the staff's identity provider from that link ties the provider's stable
id (sub, or oid for Entra ID) to the user. Nothing is matched by name, e-mail or group claims;
the link is signed (django.core.signing), lasts STAFF_INVITATION_DAYS and is spent once the
user has a staff identity."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laeringsmiljo.audit import record
from laeringsmiljo.emails import day_of, send_templated_email
from laeringsmiljo.models import ExternalIdentity, Membership
from laeringsmiljo.signin import oidc
from laeringsmiljo.signin.second_factor import needs_second_factor

SALT = "laeringsmiljo.signin.staff-invitation"
PROVIDER = ExternalIdentity.Provider.STAFF


class InvitationError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _valid_for():
    return datetime.timedelta(days=settings.STAFF_INVITATION_DAYS)


def _language_of(user):
    """The written standard of the user's office, or bokmål (Udir and administrators)."""
    office = (
        Membership.objects.filter(user=user, office__isnull=False)
        .values_list("office__default_written_standard", flat=True)
        .first()
    )
    return office or "nb"


def why_not_invited(user):
    """Why the user cannot be sent a staff invitation, or None."""
    if not oidc.configured("staff"):
        return _("Innlogging som ansatt er ikke satt opp (STAFF_OIDC_ISSUER).")
    if not user.is_active:
        return _("Brukeren er deaktivert.")
    if not needs_second_factor(user):
        return _("Brukeren er ikke ansatt i et embete eller i Udir, og er ikke administrator.")
    if not user.email:
        return _("Brukeren har ingen e-postadresse.")
    if ExternalIdentity.objects.filter(user=user, provider=PROVIDER).exists():
        return _("Brukeren er allerede knyttet til en ansattidentitet.")
    return None


def invite_staff(*, user, actor):
    """E-mail the user a personal link to tie their sign-in as staff to the user; raises
    InvitationError with the reason when the user cannot be invited."""
    reason = why_not_invited(user)
    if reason:
        raise InvitationError(reason)
    token = signing.dumps(user.pk, salt=SALT)
    expires = timezone.now() + _valid_for()
    send_templated_email(
        "staff_invitation",
        {
            "name": user.get_full_name() or user.get_username(),
            "url": settings.SITE_URL + reverse("staff_invitation_link", args=[token]),
            "days": settings.STAFF_INVITATION_DAYS,
            "expires": day_of(expires),
        },
        language=_language_of(user),
        to=[user.email],
    )
    with transaction.atomic():
        record(actor=actor, action="signin.staff_invited", obj=user, after={"email": user.email})


def invited_user(token):
    """The user the link was sent to; InvitationError when it is not (or no longer) usable."""
    try:
        pk = signing.loads(token or "", salt=SALT, max_age=_valid_for())
    except signing.SignatureExpired:
        raise InvitationError(
            _("Lenken har gått ut. Be den som administrerer tjenesten, om en ny.")
        ) from None
    except signing.BadSignature:
        raise InvitationError(
            _("Lenken er ikke gyldig. Kontroller at hele lenken fra e-posten er med.")
        ) from None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise InvitationError(_("Brukeren lenken gjelder, finnes ikke eller er deaktivert."))
    if ExternalIdentity.objects.filter(user=user, provider=PROVIDER).exists():
        raise InvitationError(
            _("Lenken er allerede brukt. Logg inn med «Logg inn som ansatt» på innloggingssiden.")
        )
    return user


@transaction.atomic
def accept_staff_invitation(*, token, subject):
    """Tie the staff identity verified at the provider to the user the link was sent to;
    returns the user. InvitationError when the link is not usable or the identity is taken."""
    user = invited_user(token)
    get_user_model().objects.select_for_update().get(pk=user.pk)
    # Checked again under the lock: two tabs with the same link tie one identity.
    user = invited_user(token)
    if ExternalIdentity.objects.filter(provider=PROVIDER, subject=subject).exists():
        raise InvitationError(
            _("Denne ansattidentiteten er allerede knyttet til en annen bruker i tjenesten.")
        )
    oidc.bind(user=user, provider=PROVIDER, subject=subject, actor=user)
    return user
