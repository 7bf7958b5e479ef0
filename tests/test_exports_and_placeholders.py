import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from selection.evidence.exports import safe_cell, to_csv, to_xlsx
from selection.letters.placeholders import fill, validate_placeholders

DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "=1+1"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_cell_that_looks_like_a_formula_is_made_text(value):
    assert safe_cell(value) == "'" + value


def test_ordinary_values_are_left_alone():
    assert [safe_cell(v) for v in ["Oslo", 3, 2.5, None, "a=b"]] == ["Oslo", 3, 2.5, None, "a=b"]


def test_csv_export_guards_every_cell():
    data = to_csv(["Kommune", "Begrunnelse"], [["Oslo", "=1+1"], ["-Bergen", "ok"]])
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    assert text.splitlines()[1:] == ["Oslo;'=1+1", "'-Bergen;ok"]


def test_xlsx_export_holds_no_formula():
    data = to_xlsx(["Kommune", "Begrunnelse"], [["Oslo", "=1+1"], ["Bergen", 3]], title="Rangering")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Rangering"
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Kommune", "Begrunnelse"],
        ["Oslo", "'=1+1"],
        ["Bergen", 3],
    ]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


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
    }
    for (kind, language), (subject, body) in DEFAULTS.items():
        assert language in {"nb", "nn"}
        validate_placeholders(subject, kind)
        validate_placeholders(body, kind)
