"""Bokmål forms that correct nynorsk never uses: when one shows on a page in nynorsk, a text has
not been translated. Every hv- word (hva, hvem, hvor, hvordan, hver ...) is bokmål; nynorsk
writes kv-."""

import re

BOKMAL_ONLY = re.compile(
    r"\b(hv\w+|ikke|noen|noe|dere|deres|mye|bare|jeg|ennå|skoler|barnehager|fylker|kommuner|"
    r"innlogget|lagret|sendes|mangler|innenfor)\b",
    re.IGNORECASE,
)


def bokmal_words(text, *, ignore=()):
    """The bokmål-only words in the text, after taking out the given user data."""
    for value in sorted(ignore, key=len, reverse=True):
        if value:
            text = text.replace(value, " ")
    return sorted({match.group(0) for match in BOKMAL_ONLY.finditer(text)})
