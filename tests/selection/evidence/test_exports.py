import io

import pytest
from openpyxl import load_workbook

from selection.evidence.exports import safe_cell, to_csv, to_xlsx

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
