import csv
import io

import pytest
from openpyxl import load_workbook

from selection.evidence.exports import safe_cell, to_csv, to_xlsx
from selection.models import Outcome

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
        ["Oslo", "=1+1"],
        ["Bergen", 3],
    ]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


FORMULA_LIKE_NAMES = ["+47 Plussby", '=HYPERLINK("http://x","y")']


@pytest.mark.parametrize("name", FORMULA_LIKE_NAMES)
def test_xlsx_writes_a_formula_like_name_as_a_text_cell_with_its_value_unchanged(name):
    data = to_xlsx(["Kommune"], [[name]], title="Utvalg")
    cell = load_workbook(io.BytesIO(data)).active["A2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (name, "s", True)


@pytest.mark.parametrize("name", FORMULA_LIKE_NAMES)
def test_csv_guards_a_formula_like_name_with_an_apostrophe(name):
    text = to_csv(["Kommune"], [[name]]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == [["Kommune"], ["'" + name]]


def test_xlsx_writes_a_lazy_translation_in_the_active_language():
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    with translation.override("nn"):
        data = to_xlsx(
            [gettext_lazy("Vedtak")], [[Outcome.SELECTED.label]], title=gettext_lazy("Utvalg")
        )
    sheet = load_workbook(io.BytesIO(data)).active
    assert (sheet.title, sheet["A1"].value, sheet["A2"].value) == ("Utval", "Vedtak", "Valt")


def test_csv_writes_a_lazy_translation_in_the_active_language():
    from django.utils import translation

    with translation.override("nn"):
        text = to_csv(["Vedtak"], [[Outcome.SELECTED.label]]).decode("utf-8-sig")
    assert text == "Vedtak\r\nValt\r\n"


def test_xlsx_takes_out_characters_that_xml_cannot_hold():
    text = "Sterk\x0bmotivasjon\x0c og\x00 vilje\x1f.\ttab\nny linje"
    data = to_xlsx(["Begrunnelse"], [[text]], title="Rangering")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "Sterk\nmotivasjon\n og vilje.\ttab\nny linje"


def test_csv_takes_out_characters_that_xml_cannot_hold():
    text = to_csv(["Begrunnelse"], [["Sterk\x0bmotivasjon\x00."]]).decode("utf-8-sig")
    assert text == 'Begrunnelse\r\n"Sterk\nmotivasjon."\r\n'


def test_csv_writes_numbers_as_the_page_does():
    from decimal import Decimal

    from django.utils import translation

    with translation.override("nn"):
        text = to_csv(["Plass", "Sum", "Karakter"], [[1, Decimal("12.50"), None]])
    assert text.decode("utf-8-sig") == "Plass;Sum;Karakter\r\n1;12,50;\r\n"
