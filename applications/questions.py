"""What an application needs to know of the assessment, which sits above it and which it
therefore does not import: is this municipality invited to the cohort, and why may this
application no longer go back to draft. The selection app answers, from its ready()."""

from django.core.exceptions import ImproperlyConfigured

_answers = {}


def answer_with(*, is_invited, assessment_lock_reason):
    """Give the functions that answer the questions below."""
    _answers.update(is_invited=is_invited, assessment_lock_reason=assessment_lock_reason)


def _answer(question):
    try:
        return _answers[question]
    except KeyError:
        raise ImproperlyConfigured(
            "Søknadene trenger selection-appen for å vite hvem som er invitert."
        ) from None


def is_invited(*, cohort, municipality):
    """Whether the municipality's office has invited it to the cohort."""
    return _answer("is_invited")(cohort=cohort, municipality=municipality)


def assessment_lock_reason(application):
    """Why the application can no longer go back to draft, or None."""
    return _answer("assessment_lock_reason")(application)
