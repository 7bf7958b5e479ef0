import pytest
from django.core.exceptions import ValidationError

from laeringsmiljo.placeholders import fill
from selection.letters.placeholders import validate_placeholders


def test_an_unknown_placeholder_is_refused_by_name():
    with pytest.raises(ValidationError) as excinfo:
        validate_placeholders("Til {municipality}: {kommune} og {deadline}", "decision_selected")
    message = excinfo.value.messages[0]
    assert message.startswith("Ukjent plassholder {deadline}, {kommune}.")


def test_a_malformed_brace_is_refused():
    with pytest.raises(ValidationError, match="krøllparentes"):
        validate_placeholders("Til {municipality", "invitation")


def test_attribute_lookups_are_refused():
    with pytest.raises(ValidationError):
        validate_placeholders("{municipality.__class__}", "invitation")


def test_fill_puts_in_the_values():
    assert fill(
        "Til {municipality}, frist {deadline}.", {"municipality": "Oslo", "deadline": "1.2.2020"}
    ) == ("Til Oslo, frist 1.2.2020.")


def test_every_default_letter_text_uses_only_known_placeholders():
    from selection.letters.defaults import DEFAULTS

    assert {kind for kind, _ in DEFAULTS} == {
        "invitation",
        "receipt",
        "decision_selected",
        "decision_reserve",
        "decision_not_selected",
        "decision_promoted",
        "answer_reminder",
        "withdrawal",
        "reserve_closed",
    }
    assert set(DEFAULTS) == {(kind, lang) for kind, _ in DEFAULTS for lang in ("nb", "nn")}
    for (kind, language), (subject, body) in DEFAULTS.items():
        assert language in {"nb", "nn"}
        validate_placeholders(subject, kind)
        validate_placeholders(body, kind)


def test_every_default_decision_section_uses_only_known_placeholders():
    from selection.letters.defaults import NOTICE_SUBJECTS, section_defaults
    from selection.letters.placeholders import SECTION_PLACEHOLDERS

    for kind, language in NOTICE_SUBJECTS:
        sections = section_defaults(kind, language)
        validate_placeholders(sections["notice_subject"], kind)
        validate_placeholders(sections["appeal_text"], allowed=SECTION_PLACEHOLDERS)
        validate_placeholders(sections["no_appeal_text"], allowed=SECTION_PLACEHOLDERS)
        assert sections["notice_subject"].startswith("Melding om resultat: ")


def test_the_letters_after_publication_know_their_own_placeholders():
    validate_placeholders("Svar innen {answer_deadline}.", "decision_promoted")
    validate_placeholders("Gikk ut {left_on}: {leaving}.", "withdrawal")
    with pytest.raises(ValidationError) as excinfo:
        validate_placeholders("Svar innen {answer_deadline}.", "decision_selected")
    assert "Ukjent plassholder {answer_deadline}" in excinfo.value.messages[0]
    with pytest.raises(ValidationError) as excinfo:
        validate_placeholders("Gikk ut {left_on}.", "reserve_closed")
    assert "Ukjent plassholder {left_on}" in excinfo.value.messages[0]
