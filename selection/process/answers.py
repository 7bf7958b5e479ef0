"""The process's answers to what the applications ask (applications.questions)."""

from django.utils.translation import gettext as _

from selection.process.models import Decision, Invitation, OfficeReview, Publication


def is_invited(*, cohort, municipality):
    """Whether the municipality's office has invited it to the cohort."""
    return Invitation.objects.filter(cohort=cohort, municipality=municipality).exists()


def assessment_lock_reason(application):
    """Why the application can no longer go back to draft, or None: once the office has sent
    its recommendation, Udir has decided or the selection is published, the application is
    part of a decision and must stay as it was sent."""
    if Publication.objects.filter(cohort_id=application.cohort_id).exists():
        return _("Utvalget for puljen er publisert, så søknaden kan ikke endres.")
    if Decision.objects.filter(application=application).exists():
        return _("Udir har fattet vedtak om søknaden, så den kan ikke endres.")
    if OfficeReview.objects.filter(
        cohort_id=application.cohort_id,
        office_id=application.municipality.county.office_id,
        sent_at__isnull=False,
    ).exists():
        return _(
            "Embetets innstilling er sendt til Udir, så søknaden kan ikke endres. Udir må låse "
            "opp innstillingen først."
        )
    return None
