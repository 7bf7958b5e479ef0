"""What the process needs to know of the letters, which sit above it and which it therefore
does not import: in which målform will a municipality's decision letter be written. The
letters part answers, from SelectionConfig.ready()."""

from django.core.exceptions import ImproperlyConfigured

_answers = {}


def answer_with(*, decision_letter_languages):
    """Give the functions that answer the questions below."""
    _answers.update(decision_letter_languages=decision_letter_languages)


def decision_letter_languages(municipalities):
    """The målform (nb or nn) of each municipality's decision letter, by municipality id."""
    try:
        answer = _answers["decision_letter_languages"]
    except KeyError:
        raise ImproperlyConfigured(
            "Utvalget trenger brevdelen for å vite hvilken målform vedtaksbrevene får."
        ) from None
    return answer(municipalities)
