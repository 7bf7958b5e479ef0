"""Reading an uploaded spreadsheet (.xlsx or .csv) into numbered rows of cells, within limits.

Columns are found by their Norwegian headers, in any case and order; the header may sit below
a title row. A file that is too large, too long, not what its name says or without a
recognisable header is refused with an ImportFileError carrying a Norwegian message.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from xml.etree.ElementTree import iterparse

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 100_000
HEADER_SEARCH_ROWS = 20
SUPPRESSION_SYMBOLS = frozenset({"*", ":", "-", "."})


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, in Norwegian."""

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple
    required: bool = True


@dataclass(slots=True)
class Cell:
    """One cell as the file shows it. Never changed once read (one empty cell is shared)."""

    value: object
    formula: bool = False
    percent: bool = False

    @property
    def blank(self):
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())

    @property
    def text(self):
        if self.value is None:
            return ""
        if isinstance(self.value, float) and self.value.is_integer():
            return str(int(self.value))
        return str(self.value).strip()


@dataclass
class Table:
    """The data rows under the header, each as a dict from column key to Cell."""

    format: str
    rows: list
    header_row: int
    columns: list
    sheet: str = ""
    encoding: str = ""
    delimiter: str = ""
    ignored_headers: list = field(default_factory=list)
    # Rows that cannot be read as a whole, by row number: the reason, in Norwegian.
    row_errors: dict = field(default_factory=dict)


def normalise_header(text):
    text = str(text or "").replace("\ufeff", "").strip().lower()
    text = re.sub(r"[()%.:_\-/\[\]]", " ", text)
    return " ".join(text.split())


def read_table(*, content, file_name, columns):
    """Find the header and return the rows below it. Raises ImportFileError."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            _("Filen er større enn %(limit)s MB. Del den opp i mindre filer.")
            % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    name = file_name.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content, columns)
    if name.endswith((".csv", ".txt")):
        if content.startswith(b"PK\x03\x04"):
            raise ImportFileError(
                _("Filen heter .csv, men er en Excel-fil. Gi den navnet .xlsx og prøv igjen.")
            )
        return _read_csv(content, columns)
    if name.endswith(".xls"):
        raise ImportFileError(
            _("Det gamle Excel-formatet (.xls) kan ikke leses. Lagre filen som .xlsx eller .csv.")
        )
    raise ImportFileError(_("Bare .xlsx- og .csv-filer kan importeres."))


def _too_many_rows():
    return ImportFileError(
        _(
            "Filen har mer enn %(limit)s rader. Del den opp i mindre filer, for eksempel én "
            "per skoleår."
        )
        % {"limit": f"{MAX_ROWS:,}".replace(",", "\u00a0")}
    )


def _read_xlsx(content, columns):
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise _not_a_workbook()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise _not_a_workbook() from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise _not_a_workbook()
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise _too_many_rows()
    try:
        workbook = _Workbook(content)
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise _not_a_workbook() from None
    try:
        best_miss = None
        for title, path in workbook.sheets:
            rows = workbook.rows(path)
            found, miss = _find_header(rows, columns)
            if found is None:
                best_miss = _better(best_miss, miss)
                continue
            header_row, mapping, ignored, width = found
            data, row_errors = _data_rows(rows, mapping, width)
            return Table(
                format="xlsx",
                rows=data,
                row_errors=row_errors,
                header_row=header_row,
                columns=[c.label for c in columns if c.key in mapping.values()],
                sheet=title,
                ignored_headers=ignored,
            )
        raise _no_header(columns, best_miss)
    finally:
        workbook.close()


def _not_a_workbook():
    return ImportFileError(
        _("Filen er ikke en gyldig Excel-fil (.xlsx). Lagre den på nytt som .xlsx eller .csv.")
    )


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _FORMULA = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}v", f"{_MAIN}f"
_INLINE, _TEXT, _RUN = f"{_MAIN}is", f"{_MAIN}t", f"{_MAIN}r"
_STRING_ITEM, _DIMENSION = f"{_MAIN}si", f"{_MAIN}dimension"
_EMPTY = Cell(None)


def _string_content(node):
    """The text of a string item (<si> or <is>) without its formatting, as openpyxl's
    Text.content: the plain text, then the text of each run; phonetic hints left out."""
    parts = []
    for child in node:
        if child.tag == _TEXT:
            text = child.text
        elif child.tag == _RUN:
            text = child.findtext(_TEXT)
        else:
            continue
        if text:
            parts.append(text)
    return "".join(parts)


class _Workbook:
    """A workbook read as openpyxl reads it in read-only mode (its sheets in order, shared
    strings, styles, dates, formulas), with the cells of a sheet streamed in one pass.

    openpyxl makes an object per cell and, for a sheet that does not declare its size, reads
    the whole sheet once more to find it; a national file has some 80,000 cells.
    """

    def __init__(self, content):
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
        from openpyxl.styles.stylesheet import apply_stylesheet
        from openpyxl.worksheet._reader import WorkSheetParser
        from openpyxl.xml.constants import SHARED_STRINGS

        reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=False)
        self.archive = reader.archive
        try:
            reader.read_manifest()
            strings = reader.package.find(SHARED_STRINGS)
            self.strings = []
            if strings is not None:
                with self.archive.open(strings.PartName[1:]) as source:
                    for _event, node in iterparse(source):
                        if node.tag == _STRING_ITEM:
                            self.strings.append(_string_content(node).replace("x005F_", ""))
                            node.clear()
            reader.read_workbook()
            workbook = reader.wb
            apply_stylesheet(self.archive, workbook)
            self.sheets = [
                (sheet.name, rel.target)
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ]
        except Exception:
            self.archive.close()
            raise
        self.epoch = workbook.epoch
        self.date_styles = workbook._date_formats
        self.timedelta_styles = workbook._timedelta_formats
        # Per style: whether its number format shows a percentage.
        self.percent_styles = []
        for style in workbook._cell_styles:
            number = style.numFmtId
            if number < BUILTIN_FORMATS_MAX_SIZE:
                number_format = BUILTIN_FORMATS.get(number, "General")
            else:
                number_format = workbook._number_formats[number - BUILTIN_FORMATS_MAX_SIZE]
            self.percent_styles.append(is_percent_format(number_format))
        self.percent_by_id = {}
        self.formulas = WorkSheetParser(None, self.strings)

    def close(self):
        self.archive.close()

    def rows(self, path):
        """(row number, cells) for every row from 1 up to the last, empty ones as [], as
        openpyxl's read-only iter_rows: missing rows and cells are filled in, and a declared
        size (<dimension>) limits the rows and columns read."""
        try:
            yield from self._rows(path)
        except (SyntaxError, ValueError, KeyError, IndexError, TypeError, OverflowError):
            # ElementTree's ParseError is a SyntaxError; the others are broken cells.
            raise _not_a_workbook() from None

    def _rows(self, path):
        from openpyxl.utils.cell import column_index_from_string, range_boundaries

        columns = {}
        columns_get = columns.get
        digits = "0123456789"

        def add_column(coordinate):
            letters = coordinate.rstrip(digits)
            column = columns[letters] = column_index_from_string(letters)
            return column

        # A national file repeats its values (school years, grades, shares, the same style)
        # on row after row: a cell of one of the usual shapes is made once per kind, style
        # and text and shared, since a Cell is never changed (see Cell).
        shared = {}
        shared_get = shared.get
        make = self._cell
        empty = _EMPTY
        cell_tag, value_tag, inline_tag, text_tag = _CELL, _VALUE, _INLINE, _TEXT
        max_col = max_row = None
        limit = MAX_ROWS + HEADER_SEARCH_ROWS
        started = False
        counter = 1
        row_counter = 0
        with self.archive.open(path) as source:
            for _event, element in iterparse(source):
                if element.tag != _ROW:
                    if element.tag == _DIMENSION and not started:
                        _min_col, _min_row, max_col, max_row = range_boundaries(element.get("ref"))
                        if max_row is not None and max_row > limit:
                            raise _too_many_rows()
                    continue
                started = True
                number = element.get("r")
                if number is None:
                    row_counter += 1
                else:
                    try:
                        row_counter = int(number)
                    except ValueError:
                        value = float(number)
                        if not value.is_integer():
                            raise
                        row_counter = int(value)
                if max_row is not None and row_counter > max_row:
                    break
                while counter < row_counter:
                    yield self._numbered(counter, [empty] * max_col if max_col else [])
                    counter += 1
                if counter > row_counter:  # a row out of order: openpyxl leaves it out
                    element.clear()
                    continue
                cells = []
                append = cells.append
                column = 0
                for cell in element:
                    if cell.tag != cell_tag:
                        continue
                    coordinate = cell.get("r")
                    if coordinate:
                        column = columns_get(coordinate.rstrip(digits)) or add_column(coordinate)
                    else:
                        column += 1
                    # The usual cells: a value alone, or an inline string of one text.
                    key = None
                    if len(cell) == 1:
                        child = cell[0]
                        tag = child.tag
                        if tag == value_tag:
                            key = (cell.get("t"), cell.get("s"), child.text)
                        elif tag == inline_tag and len(child) == 1 and child[0].tag == text_tag:
                            key = (tag, cell.get("t"), cell.get("s"), child[0].text)
                    if key is None:
                        read = self._cell(cell)
                    else:
                        read = shared_get(key)
                        if read is None:
                            read = shared[key] = make(cell)
                    if column == len(cells) + 1:
                        append(read)
                    elif column > len(cells):
                        cells.extend([empty] * (column - 1 - len(cells)))
                        append(read)
                    else:  # a column again, or out of order: the last one counts
                        cells[column - 1] = read
                element.clear()
                # As openpyxl: as wide as the declared size, or else up to the last cell.
                width = max_col or column
                if len(cells) > width:
                    del cells[width:]
                elif len(cells) < width:
                    cells.extend([empty] * (width - len(cells)))
                if row_counter > limit:
                    raise _too_many_rows()
                yield row_counter, cells
                counter += 1
        if max_row is not None:
            while counter <= max_row:
                yield self._numbered(counter, [empty] * max_col)
                counter += 1

    def _cell(self, cell):
        """One <c> as openpyxl's WorkSheetParser.parse_cell reads it (without data_only)."""
        kind = cell.get("t", "n")
        style = cell.get("s")
        percent = self.percent_by_id.get(style)
        if percent is None:
            percent = self._percent(style)
        if len(cell) == 1:
            # The usual shapes: <v> alone, or an inline string alone.
            child = cell[0]
            if child.tag == _VALUE:
                value = child.text
                if not value:
                    return Cell(None, False, percent)
                if kind == "n":
                    if "." in value or "E" in value or "e" in value:
                        value = float(value)
                    else:
                        value = int(value)
                    if style is not None and int(style) in self.date_styles:
                        value = self._date(value, int(style))
                    return Cell(value, False, percent)
                if kind == "s":
                    return Cell(self.strings[int(value)], False, percent)
                return Cell(self._typed(kind, value), False, percent)
            if child.tag == _INLINE and kind == "inlineStr":
                return Cell(_string_content(child), False, percent)
        value = None
        if kind != "inlineStr":
            value = cell.findtext(_VALUE, None) or None
        if cell.find(_FORMULA) is not None:
            return Cell(self.formulas.parse_formula(cell), True, percent)
        if value is not None:
            if kind == "n":
                value = float(value) if "." in value or "E" in value or "e" in value else int(value)
                if style is not None and int(style) in self.date_styles:
                    value = self._date(value, int(style))
            elif kind == "s":
                value = self.strings[int(value)]
            else:
                value = self._typed(kind, value)
        elif kind == "inlineStr":
            inline = cell.find(_INLINE)
            if inline is not None:
                value = _string_content(inline)
        return Cell(value, False, percent)

    def _percent(self, style):
        number = int(style) if style else 0
        percent = self.percent_styles[number] if number < len(self.percent_styles) else False
        self.percent_by_id[style] = percent
        return percent

    def _date(self, value, style):
        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(value, self.epoch, timedelta=style in self.timedelta_styles)
        except (OverflowError, ValueError):
            return "#VALUE!"

    @staticmethod
    def _typed(kind, value):
        from openpyxl.utils.datetime import from_ISO8601

        if kind == "b":
            return bool(int(value))
        if kind == "d":
            return from_ISO8601(value)
        return value  # "str", "e" and the like keep their text

    @staticmethod
    def _numbered(number, cells):
        if number > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise _too_many_rows()
        return number, cells


def _read_csv(content, columns):
    if b"\x00" in content[:4096]:
        raise ImportFileError(
            _("Filen ser ikke ut som en tekstfil (CSV). Lagre den på nytt som .csv eller .xlsx.")
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(
            _(
                "Tegnkodingen i filen kan ikke leses. Lagre den som CSV med UTF-8 eller Windows-1252."
            )
        )
    encoding_name = "UTF-8" if encoding == "utf-8-sig" else "Windows-1252"
    best_miss = None
    for delimiter in (";", ",", "\t"):
        rows = _csv_rows(text, delimiter)
        found, miss = _find_header(rows, columns)
        if found is None:
            best_miss = _better(best_miss, miss)
            continue
        header_row, mapping, ignored, width = found
        data, row_errors = _data_rows(rows, mapping, width, comma=delimiter == ",")
        return Table(
            format="csv",
            rows=data,
            row_errors=row_errors,
            header_row=header_row,
            columns=[c.label for c in columns if c.key in mapping.values()],
            encoding=encoding_name,
            delimiter={";": _("semikolon"), ",": _("komma"), "\t": _("tabulator")}[delimiter],
            ignored_headers=ignored,
        )
    raise _no_header(columns, best_miss)


def _csv_rows(text, delimiter):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for row in reader:
            number = reader.line_num
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise _too_many_rows()
            yield number, [Cell(value=value) for value in row]
    except csv.Error:
        raise ImportFileError(
            _(
                "Linje %(line)s i filen kan ikke leses som CSV (et felt med anførselstegn som "
                "ikke slutter?)."
            )
            % {"line": number + 1}
        ) from None


def _find_header(rows, columns):
    """Look through the first rows for the one naming every required column.

    Returns ((row number, {position: key}, ignored headers, width), None) or (None, the best
    miss), where width is the number of cells up to the header's last named one. The rows
    iterator is left just after the header.
    """
    lookup = {}
    for column in columns:
        for alias in column.aliases:
            lookup[normalise_header(alias)] = column.key
    best = None
    for number, cells in rows:
        mapping, ignored, duplicates = {}, [], []
        for position, cell in enumerate(cells):
            key = lookup.get(normalise_header(cell.text))
            if key is None:
                if not cell.blank:
                    ignored.append(cell.text)
            elif key in mapping.values():
                duplicates.append(cell.text)
            else:
                mapping[position] = key
        missing = [c for c in columns if c.required and c.key not in mapping.values()]
        if not missing and mapping:
            if duplicates:
                raise ImportFileError(
                    _("Overskriften «%(header)s» finnes to ganger i rad %(row)s. Fjern den ene.")
                    % {"header": duplicates[0], "row": number}
                )
            width = max(p for p, cell in enumerate(cells) if not cell.blank) + 1
            return (number, mapping, ignored, width), None
        if mapping and (best is None or len(missing) < len(best[1])):
            best = (number, missing)
        if number >= HEADER_SEARCH_ROWS:
            break
    return None, best


def _better(current, candidate):
    if candidate is None:
        return current
    if current is None or len(candidate[1]) < len(current[1]):
        return candidate
    return current


def _no_header(columns, miss):
    expected = ", ".join(f"«{c.label}»" for c in columns if c.required)
    optional = ", ".join(f"«{c.label}»" for c in columns if not c.required)
    if miss is not None:
        number, missing = miss
        return ImportFileError(
            _(
                "Overskriftsraden (rad %(row)s) mangler %(missing)s. Filen må ha kolonnene "
                "%(expected)s; %(optional)s kan også være med."
            )
            % {
                "row": number,
                "missing": ", ".join(f"«{c.label}»" for c in missing),
                "expected": expected,
                "optional": optional,
            }
        )
    return ImportFileError(
        _(
            "Fant ingen overskriftsrad i filen. Den må ha kolonnene %(expected)s; %(optional)s kan "
            "også være med. Store og små bokstaver og rekkefølgen spiller ingen rolle."
        )
        % {"expected": expected, "optional": optional}
    )


def _data_rows(rows, mapping, width, *, comma=False):
    """The rows after the header as (row number, {key: Cell}), leaving out empty rows, and
    the reasons of those rows that cannot be read as a whole, by row number.

    A row with a value beyond the header's last column is refused as a whole: its cells
    cannot be trusted to stand under their headers. In a comma-separated file that is what
    a decimal comma does (7,3 becomes two cells and shifts the rest to the right).
    """
    data = []
    errors = {}
    positions = list(mapping.items())
    keys = [key for _position, key in positions]
    reach = max(mapping) + 1
    # The named columns of a row as wide as the header, in one step.
    pick = itemgetter(*mapping)
    if len(mapping) == 1:
        one = pick

        def pick(cells):
            return (one(cells),)

    for number, cells in rows:
        used = len(cells)
        while used and cells[used - 1].blank:
            used -= 1
        if used == 0:
            continue
        if len(cells) >= reach:
            values = dict(zip(keys, pick(cells), strict=True))
        else:
            values = {key: cells[pos] if pos < len(cells) else _EMPTY for pos, key in positions}
        if used > width:
            errors[number] = _overflow_message(used, width, comma)
        else:
            for cell in values.values():
                if not cell.blank:
                    break
            else:
                continue
        data.append((number, values))
        if len(data) > MAX_ROWS:
            raise _too_many_rows()
    return data, errors


def _overflow_message(used, width, comma):
    message = _(
        "Raden har verdier i %(used)s kolonner, men overskriften har bare %(width)s. Raden er "
        "avvist, så ingen verdi havner under feil overskrift."
    ) % {"used": used, "width": width}
    if comma:
        message += " " + _(
            "Filen er skilt med komma: står det desimaltall med komma, for eksempel 7,3? Sett "
            "anførselstegn rundt slike tall, eller lagre filen med semikolon som skilletegn."
        )
    return message


def is_percent_format(number_format):
    """Whether an Excel number format shows its value as a percentage (0.065 shown as 6.5 %).

    A per cent sign in quotes or after a backslash is only text: 0.0"%" shows 6.5 as «6.5%».
    Colours and conditions in brackets are left out before looking.
    """
    text = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format or "")
    return "%" in text


# Parsing single cells. Each returns the value or raises CellError with a Norwegian message.


class CellError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


class Suppressed:
    """A cell that holds a suppression symbol (or nothing) where a number should be."""

    def __init__(self, symbol):
        self.symbol = symbol

    def __eq__(self, other):
        return isinstance(other, Suppressed) and other.symbol == self.symbol

    def __hash__(self):
        return hash(self.symbol)


def check_formula(cell, label):
    if cell.formula:
        raise CellError(
            _("«%(column)s» inneholder en formel (%(formula)s). Lagre verdiene, ikke formlene.")
            % {"column": label, "formula": cell.text}
        )


def _number_text(text):
    return text.replace("\u00a0", "").replace(" ", "").replace(",", ".")


def parse_decimal(cell, label, *, suppressible=False):
    """A Decimal, or Suppressed for a suppression symbol or an empty cell when allowed."""
    check_formula(cell, label)
    if cell.blank:
        if suppressible:
            return Suppressed("")
        raise CellError(_("«%(column)s» mangler.") % {"column": label})
    if suppressible and cell.text in SUPPRESSION_SYMBOLS:
        return Suppressed(cell.text)
    if isinstance(cell.value, bool):
        raise CellError(_("«%(column)s» er ikke et tall.") % {"column": label})
    if isinstance(cell.value, int | float):
        number = Decimal(repr(cell.value))
        if cell.percent:
            number *= 100
        return number
    # A trailing per cent sign only confirms that the number is a percentage.
    text = _number_text(cell.text).removesuffix("%")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(
            _("«%(column)s» er ikke et tall: «%(value)s».") % {"column": label, "value": cell.text}
        ) from None
    if not number.is_finite():
        raise CellError(
            _("«%(column)s» er ikke et tall: «%(value)s».") % {"column": label, "value": cell.text}
        )
    return number


def parse_count(cell, label, *, suppressible=False, blank_is_zero=False):
    """A whole number of at least zero, or Suppressed when allowed."""
    if blank_is_zero and cell.blank and not cell.formula:
        return 0
    number = parse_decimal(cell, label, suppressible=suppressible)
    if isinstance(number, Suppressed):
        return number
    if number < 0:
        raise CellError(
            _("«%(column)s» kan ikke være negativt: «%(value)s».")
            % {"column": label, "value": cell.text}
        )
    if number != number.to_integral_value():
        raise CellError(
            _("«%(column)s» må være et helt tall, ikke «%(value)s».")
            % {"column": label, "value": cell.text}
        )
    if number > 10_000_000:
        raise CellError(
            _("«%(column)s» er urimelig stort: «%(value)s».")
            % {"column": label, "value": cell.text}
        )
    return int(number)


_YEAR = re.compile(r"^(\d{4})(?:\s*[-–—/]\s*(\d{2}|\d{4}))?$")


def parse_school_year(cell, label):
    """The first calendar year of a school year written 2019-20, 2019–2020, 2019/20 or 2019."""
    check_formula(cell, label)
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip() if not isinstance(value, datetime.date) else ""
    match = _YEAR.match(text)
    if match:
        start = int(match.group(1))
        end = match.group(2)
        if 2000 <= start <= 2100 and (
            end is None
            or (len(end) == 2 and int(end) == (start + 1) % 100)
            or (len(end) == 4 and int(end) == start + 1)
        ):
            return start
    if cell.blank:
        raise CellError(_("«%(column)s» mangler.") % {"column": label})
    raise CellError(
        _("Skoleåret «%(value)s» kan ikke leses. Skriv det som 2019-20, 2019–2020 eller 2019.")
        % {"value": cell.text}
    )


def parse_orgnr(cell, label):
    """Nine digits, spaces removed. Whether it is known is for the caller to say."""
    check_formula(cell, label)
    text = cell.text.replace(" ", "").replace("\u00a0", "")
    if cell.blank:
        raise CellError(_("«%(column)s» mangler.") % {"column": label})
    if not re.fullmatch(r"\d{9}", text):
        raise CellError(
            _("«%(value)s» er ikke et organisasjonsnummer (ni siffer).") % {"value": cell.text}
        )
    return text


_GRADE = re.compile(r"^(\d{1,2})\.?(?:\s*trinn)?$")


def parse_grade(cell, label):
    """«7. trinn» → «7», «VG1» → «vg1», empty or «alle trinn» → «» (all grades together)."""
    check_formula(cell, label)
    text = " ".join(cell.text.lower().split())
    if text in {"", "alle", "alle trinn", "totalt", "samlet", "i alt"}:
        return ""
    match = _GRADE.match(text)
    if match and 1 <= int(match.group(1)) <= 13:
        return match.group(1)
    if re.fullmatch(r"vg ?[1-3]", text):
        return text.replace(" ", "")
    raise CellError(
        _("Trinnet «%(value)s» kan ikke leses. Skriv for eksempel 7, 10. trinn, vg1 eller alle.")
        % {"value": cell.text}
    )


ALL_PUPILS = ""
_ALL_PUPILS = {
    "",
    "begge kjønn",
    "begge kjonn",
    "begge",
    "alle",
    "alle elever",
    "totalt",
    "total",
    "samlet",
    "i alt",
}
_GENDERS = {
    "gutter": "gutter",
    "gutt": "gutter",
    "gutar": "gutter",
    "gut": "gutter",
    "jenter": "jenter",
    "jente": "jenter",
}


def parse_gender(cell, label):
    """«Begge kjønn», «Alle», «Totalt» or empty → ALL_PUPILS; «Gutter» → «gutter»; «Jenter» →
    «jenter»."""
    check_formula(cell, label)
    text = " ".join(cell.text.lower().split())
    if text in _ALL_PUPILS:
        return ALL_PUPILS
    if text in _GENDERS:
        return _GENDERS[text]
    raise CellError(
        _("Kjønn «%(value)s» kan ikke leses. Skriv Begge kjønn (eller Alle), Gutter eller Jenter.")
        % {"value": cell.text}
    )


_TRUE = {"ja", "j", "x", "1", "sann", "true", "yes"}
_FALSE = {"nei", "n", "0", "usann", "false", "no", ""}


def parse_flag(cell, label):
    check_formula(cell, label)
    if isinstance(cell.value, bool):
        return cell.value
    text = cell.text.lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(
        _("«%(column)s» må være ja eller nei, ikke «%(value)s».")
        % {"column": label, "value": cell.text}
    )


_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y")


def parse_date(cell, label):
    check_formula(cell, label)
    if isinstance(cell.value, datetime.datetime):
        return cell.value.date()
    if isinstance(cell.value, datetime.date):
        return cell.value
    if cell.blank:
        raise CellError(_("«%(column)s» mangler.") % {"column": label})
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(cell.text, pattern).date()
        except ValueError:
            continue
    raise CellError(
        _("Datoen «%(value)s» kan ikke leses. Skriv den som 31.12.2019 eller 2019-12-31.")
        % {"value": cell.text}
    )


def parse_text(cell, label, *, max_length):
    check_formula(cell, label)
    text = " ".join(cell.text.split())
    if not text:
        raise CellError(_("«%(column)s» mangler.") % {"column": label})
    if len(text) > max_length:
        raise CellError(
            _("«%(column)s» er lengre enn %(limit)s tegn.") % {"column": label, "limit": max_length}
        )
    return text
