"""The demo's invitations."""

from laeringsmiljo.models import Municipality
from selection.process.models import Invitation

DEMO_INVITED = ["5001", "5006", "5035", "1804", "1833"]


def invite_demo_municipalities(cohort):
    """Trondheim and a few neighbours in Trøndelag and Nordland are invited to the practice
    cohort, so that the demo's municipality user can apply."""
    if Invitation.objects.filter(cohort=cohort).exists():
        return
    Invitation.objects.bulk_create(
        Invitation(cohort=cohort, municipality=municipality, was_proposed=True)
        for municipality in Municipality.objects.filter(number__in=DEMO_INVITED)
    )
