import pytest
from django import forms
from django.core.exceptions import ValidationError

from laeringsmiljo.validators import ControlCharacterValidator, TypedTextMixin


def test_text_without_control_characters_passes():
    ControlCharacterValidator("Begrunnelse")("Linje 1\r\nLinje 2\tmed tabulator – og «æøå».")


def test_a_vertical_tab_is_refused_with_the_field_named_and_the_words_before_it():
    with pytest.raises(ValidationError) as excinfo:
        ControlCharacterValidator("Begrunnelse")("Sterk motivasjon\x0bog vilje.")
    assert excinfo.value.code == "control_character"
    assert excinfo.value.messages == [
        "«Begrunnelse» har et usynlig tegn som ikke kan lagres (U+000B), rett etter «Sterk "
        "motivasjon». Det følger ofte med tekst som er limt inn fra et annet program: slett "
        "tegnet (ofte et linjeskift) der og skriv det på nytt, eller lim inn teksten som ren "
        "tekst, og prøv igjen."
    ]


def test_the_message_quotes_only_the_last_words_before_the_character():
    with pytest.raises(ValidationError) as excinfo:
        ControlCharacterValidator("Tema")("Ord " * 20 + "slutt\x1f")
    assert "rett etter «…Ord Ord Ord Ord Ord Ord slutt»." in excinfo.value.messages[0]


def test_a_control_character_first_in_the_text_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        ControlCharacterValidator("Tema")("\x07Tema")
    assert excinfo.value.messages[0].startswith(
        "«Tema» begynner med et usynlig tegn som ikke kan lagres (U+0007)."
    )


@pytest.mark.parametrize("character", ["\x00", "\x08", "\x0c", "\x1b", "\ufffe", "\ud800"])
def test_every_character_xml_cannot_hold_is_refused(character):
    with pytest.raises(ValidationError):
        ControlCharacterValidator("Tema")(f"a{character}b")


class NoteForm(TypedTextMixin, forms.Form):
    note = forms.CharField(label="Merknad", widget=forms.Textarea)
    password = forms.CharField(widget=forms.PasswordInput)
    count = forms.IntegerField(required=False)


def test_a_typed_text_form_names_the_field_once_for_a_null_character():
    form = NoteForm({"note": "Hei\x00du", "password": "x\x01y"})
    assert form.errors == {
        "note": [
            "«Merknad» har et usynlig tegn som ikke kan lagres (U+0000), rett etter «Hei». Det "
            "følger ofte med tekst som er limt inn fra et annet program: slett tegnet (ofte et "
            "linjeskift) der og skriv det på nytt, eller lim inn teksten som ren tekst, og prøv "
            "igjen."
        ]
    }


def test_the_message_is_nynorsk_on_a_nynorsk_page():
    from django.utils import translation

    with translation.override("nn"):
        with pytest.raises(ValidationError) as excinfo:
            ControlCharacterValidator("Tema")("\x0bTema")
        assert excinfo.value.messages[0].startswith(
            "«Tema» byrjar med eit usynleg teikn som ikkje kan lagrast (U+000B)."
        )
