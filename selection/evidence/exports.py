"""Spreadsheet exports (.xlsx and .csv) that show what the page shows and are safe to open.

Every cell goes through one writer: a lazy translation is written in the active language, and
characters that XML cannot hold (control characters pasted from a word processor) are taken
out, since an .xlsx is XML and would not save. Text that a spreadsheet would read as a formula
is never run: in .xlsx it is a text cell with its value unchanged; in CSV, which has no cell
types, it gets a leading apostrophe.
"""

import csv
import datetime
import decimal
import io

from django.utils import formats
from django.utils.functional import Promise

from laeringsmiljo.validators import CONTROL_CHARACTERS

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# A vertical tab or form feed is a word processor's line or page break: it stays a line break.
LINE_BREAKS = {"\x0b": "\n", "\x0c": "\n"}


def cell_text(value):
    """The value with lazy translations made text in the active language and with the
    characters that XML cannot hold replaced (line breaks) or taken out. Other values are
    returned as they are."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        value = CONTROL_CHARACTERS.sub(lambda match: LINE_BREAKS.get(match.group(), ""), value)
    return value


def looks_like_formula(value):
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def safe_cell(value):
    """The value as it should be written to CSV: text that starts like a formula gets a
    leading apostrophe, so that Excel and LibreOffice show it instead of running it."""
    value = cell_text(value)
    if looks_like_formula(value):
        return "'" + value
    return value


def _csv_value(value):
    # Numbers and dates as the page writes them (decimal comma in Norwegian), so that Excel
    # opening the file in a Norwegian locale reads them as numbers.
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, decimal.Decimal | float | datetime.date):
        return formats.localize(value)
    return safe_cell(value)


def to_csv(headers, rows):
    """CSV with semicolons and a byte order mark, as Norwegian Excel opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(headers, rows, *, title):
    """An .xlsx workbook with one sheet. Every string is a text cell, never a formula: one
    that starts like a formula keeps its value and gets Excel's text prefix, so that editing
    the cell keeps it text."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = cell_text(title)[:31]
    sheet.append([cell_text(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = TYPE_STRING
    for row in rows:
        sheet.append([cell_text(value) for value in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                if looks_like_formula(cell.value):
                    cell.quotePrefix = True
                cell.data_type = TYPE_STRING
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
