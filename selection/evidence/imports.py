"""Importing evidence from files: Elevundersøkelsen figures, complaint case counts and
supervision findings, each first previewed and then confirmed.

A plan says, row by row, what the file would add, change or leave as it is, and which rows it
rejects and why. Confirming re-reads the stored file, plans again against the database as it
is then, and applies the plan in one transaction with an import record and an audit event.
"""

import datetime
import gc
import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from laeringsmiljo.audit import record
from laeringsmiljo.models import Municipality, School
from selection.evidence.models import (
    ComplaintCaseCount,
    ImportKind,
    ImportRecord,
    PendingImport,
    SupervisionFinding,
    SurveyFigure,
    format_school_year,
)
from selection.evidence.services import recompute_national_means
from selection.evidence.tables import (
    ALL_PUPILS,
    CellError,
    Column,
    ImportFileError,
    Suppressed,
    parse_count,
    parse_date,
    parse_decimal,
    parse_flag,
    parse_gender,
    parse_grade,
    parse_orgnr,
    parse_school_year,
    parse_text,
    read_table,
)

LISTED_REJECTIONS = 500

# A column's label is the header as it stands in the files (Udir's exports are in bokmål), so
# messages quote it as the user sees it in the file, whatever the page's language.
PENDING_LIFETIME = datetime.timedelta(days=1)

ORGNR = Column(
    "orgnr",
    "Organisasjonsnummer",
    ("organisasjonsnummer", "orgnr", "org nr", "organisasjonsnr", "orgnummer", "org nummer"),
)
SCHOOL_NAME = Column(
    "name",
    "Skolenavn",
    ("skolenavn", "skole", "skolens navn", "enhetsnavn", "enhet", "navn"),
    required=False,
)
MUNICIPALITY_NUMBER = Column(
    "municipality",
    "Kommunenummer",
    ("kommunenummer", "kommunenr", "kommune nr", "knr"),
    required=False,
)
SCHOOL_YEAR = Column("year", "Skoleår", ("skoleår", "skolear", "skoleaar", "år", "periode"))

SURVEY_COLUMNS = [
    ORGNR,
    SCHOOL_NAME,
    MUNICIPALITY_NUMBER,
    SCHOOL_YEAR,
    Column("grade", "Trinn", ("trinn", "klassetrinn", "årstrinn"), required=False),
    Column("gender", "Kjønn", ("kjønn", "kjonn", "elevenes kjønn"), required=False),
    Column(
        "share",
        "Andel mobbet (%)",
        (
            "andel mobbet",
            "andel mobbet prosent",
            "andel mobbet i prosent",
            "andel som blir mobbet",
            "prosent mobbet",
            "mobbet",
            "mobbing",
            "mobbing på skolen",
        ),
    ),
    Column(
        "respondents",
        "Antall svar",
        (
            "antall svar",
            "antall besvarelser",
            "besvarelser",
            "antall respondenter",
            "respondenter",
            "antall elever som har svart",
        ),
    ),
]

COMPLAINT_COLUMNS = [
    ORGNR,
    SCHOOL_NAME,
    MUNICIPALITY_NUMBER,
    SCHOOL_YEAR,
    Column(
        "cases",
        "Antall saker",
        ("antall saker", "saker", "antall klagesaker", "klagesaker", "håndhevingssaker"),
    ),
    Column(
        "long_running",
        "Herav langvarige eller komplekse",
        (
            "herav langvarige eller komplekse",
            "langvarige eller komplekse",
            "herav langvarige",
            "langvarige",
            "komplekse",
        ),
        required=False,
    ),
]

FINDING_COLUMNS = [
    Column(
        "municipality",
        "Kommunenummer",
        ("kommunenummer", "kommunenr", "kommune nr", "knr"),
    ),
    Column(
        "orgnr",
        "Organisasjonsnummer",
        ORGNR.aliases,
        required=False,
    ),
    SCHOOL_NAME,
    Column("date", "Dato", ("dato", "rapportdato", "dato for tilsynsrapport")),
    Column("topic", "Tema", ("tema", "tilsynstema")),
    Column("practice", "Praksis", ("praksis", "avvik i praksis"), required=False),
    Column("routines", "Rutiner", ("rutiner", "avvik i rutiner"), required=False),
    Column("system", "System", ("system", "avvik i system"), required=False),
    Column("closed", "Lukket", ("lukket", "avsluttet"), required=False),
]


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class Plan:
    """What importing a file would do."""

    kind: str
    table: object
    create: list = field(default_factory=list)
    update: list = field(default_factory=list)
    unchanged: int = 0
    rejected: list = field(default_factory=list)
    years: set = field(default_factory=set)
    # Rows of one gender only, left out because the row for all pupils is the one that counts.
    gender_rows: list = field(default_factory=list)
    gender_values: set = field(default_factory=set)
    only_by_gender: int = 0

    @property
    def accepted(self):
        return len(self.create) + len(self.update) + self.unchanged

    def summary(self):
        table = self.table
        return {
            # The messages are in the language of the one who uploaded the file.
            "language": get_language(),
            "format": table.format,
            "sheet": table.sheet,
            "encoding": table.encoding,
            "delimiter": table.delimiter,
            "header_row": table.header_row,
            "columns": [str(label) for label in table.columns],
            "ignored_headers": table.ignored_headers,
            "rows": len(table.rows),
            "added": len(self.create),
            "changed": len(self.update),
            "unchanged": self.unchanged,
            "rejected_count": len(self.rejected),
            "rejected": [
                {"row": error.row, "message": error.message}
                for error in self.rejected[:LISTED_REJECTIONS]
            ],
            "years": [format_school_year(year) for year in sorted(self.years)],
            "gender_rows": len(self.gender_rows),
            "gender_values": sorted(self.gender_values),
            "only_by_gender": self.only_by_gender,
        }


def municipalities_in_scope(roles):
    """The municipalities whose evidence a user may change: None for all (Udir)."""
    if roles.is_udir:
        return None
    return set(roles.covered_municipalities().values_list("pk", flat=True))


class _Rows:
    """Collects the errors of one row and remembers the keys seen in the file."""

    def __init__(self, plan):
        self.plan = plan
        self.first_seen = {}
        # A national file repeats its school years, grades, numbers and schools on row after
        # row: each distinct cell is parsed once. The parsers read nothing but the cell, and
        # the type is part of the key (True, 1 and 1.0 are equal but read differently).
        self.parsed = {}
        # The cells read from an .xlsx file are shared between rows where they are the same
        # (see tables._Workbook): such a cell is found by itself first. The cells are those of
        # the table being planned, all alive while it is, so no two have the same id.
        self.by_cell = {}

    def parse(self, parser, cell, label, errors, **kwargs):
        same = (parser, label, id(cell), *kwargs.items())
        try:
            result, message = self.by_cell[same]
        except KeyError:
            result, message = self.by_cell[same] = self._parsed(parser, cell, label, kwargs)
        if message is not None:
            errors.append(message)
        return result

    def _parsed(self, parser, cell, label, kwargs):
        """(result, message) for a cell, parsed once for each distinct value."""
        value = cell.value
        key = (parser, label, value.__class__, value, cell.formula, cell.percent, *kwargs.items())
        try:
            return self.parsed[key]
        except KeyError:
            pass
        except TypeError:  # a value that cannot be a key (none of the cell types here)
            return self._parse_once(parser, cell, label, kwargs)
        self.parsed[key] = found = self._parse_once(parser, cell, label, kwargs)
        return found

    @staticmethod
    def _parse_once(parser, cell, label, kwargs):
        try:
            return parser(cell, str(label), **kwargs), None
        except CellError as error:
            return None, error.message

    def duplicate(self, number, key, errors):
        if key in self.first_seen:
            errors.append(
                _("Raden gjentar rad %(first)s (samme nøkkel); bare den første tas med.")
                % {"first": self.first_seen[key]}
            )
            return True
        self.first_seen[key] = number
        return False

    def reject(self, number, errors):
        self.plan.rejected.append(RowError(number, " ".join(errors)))

    def readable(self, table):
        """The rows that can be read as a whole; the others are rejected with their reason."""
        for number, cells in table.rows:
            if number in table.row_errors:
                self.reject(number, [table.row_errors[number]])
                continue
            yield number, cells


def _school_lookup():
    return {
        orgnr: (pk, municipality_id)
        for orgnr, pk, municipality_id in School.objects.values_list(
            "organisation_number", "pk", "municipality_id"
        )
    }


def _school_for(orgnr, schools, scope, errors):
    if orgnr is None:
        return None
    found = schools.get(orgnr)
    if found is None:
        errors.append(
            _("Ukjent organisasjonsnummer %(orgnr)s: ingen skole i registeret har det.")
            % {"orgnr": orgnr}
        )
        return None
    if scope is not None and found[1] not in scope:
        errors.append(_("Skolen ligger i en kommune utenfor embetets fylker."))
        return None
    return found


def _municipality_for(cell, label, municipalities, scope, errors):
    try:
        number = parse_text(cell, str(label), max_length=4)
    except CellError as error:
        errors.append(error.message)
        return None
    if not number.isdigit():
        errors.append(_("«%(value)s» er ikke et kommunenummer.") % {"value": cell.text})
        return None
    found = municipalities.get(number.zfill(4))
    if found is None:
        errors.append(_("Ukjent kommunenummer %(number)s.") % {"number": number})
        return None
    if scope is not None and found not in scope:
        errors.append(_("Kommunen ligger utenfor embetets fylker."))
        return None
    return found


def plan_survey(table, *, scope):
    """Rows of Elevundersøkelsen figures: one per school, school year and grade.

    Where the file splits the pupils by gender, only the row for all pupils is imported; the
    rows for boys or girls are left out, counted, and named in the preview.
    """
    plan = Plan(kind=ImportKind.SURVEY, table=table)
    rows = _Rows(plan)
    schools = _school_lookup()
    labels = {c.key: c.label for c in SURVEY_COLUMNS}
    parsed = []
    by_gender = set()
    for number, cells in rows.readable(table):
        errors = []
        gender = ALL_PUPILS
        if "gender" in cells:
            gender = rows.parse(parse_gender, cells["gender"], labels["gender"], errors)
        if gender not in (ALL_PUPILS, None):
            # A row for boys or girls only: its pupils are in the row for all pupils too.
            plan.gender_rows.append(number)
            plan.gender_values.add(cells["gender"].text)
            key = _survey_key(rows, cells, labels, schools, scope)
            if key is not None:
                by_gender.add(key)
            continue
        orgnr = rows.parse(parse_orgnr, cells["orgnr"], labels["orgnr"], errors)
        school = _school_for(orgnr, schools, scope, errors)
        year = rows.parse(parse_school_year, cells["year"], labels["year"], errors)
        grade = ""
        if "grade" in cells:
            grade = rows.parse(parse_grade, cells["grade"], labels["grade"], errors)
        share = rows.parse(_parse_share, cells["share"], labels["share"], errors)
        respondents = rows.parse(
            parse_count,
            cells["respondents"],
            labels["respondents"],
            errors,
            suppressible=True,
        )
        if not errors:
            rows.duplicate(number, (school[0], year, grade), errors)
        if errors:
            rows.reject(number, errors)
            continue
        values = {
            "share": None if isinstance(share, Suppressed) else share,
            "share_symbol": share.symbol if isinstance(share, Suppressed) else "",
            "respondents": None if isinstance(respondents, Suppressed) else respondents,
            "respondents_symbol": respondents.symbol if isinstance(respondents, Suppressed) else "",
        }
        values["suppressed"] = values["share"] is None or values["respondents"] is None
        parsed.append(((school[0], year, grade), values))
        plan.years.add(year)
    plan.only_by_gender = len(by_gender - {key for key, _values in parsed})
    _place_all(
        plan,
        SurveyFigure.objects.filter(school_year__in=plan.years),
        ("school_id", "school_year", "grade"),
        parsed,
    )
    return plan


def _parse_share(cell, label):
    """The share bullied, to one decimal, or Suppressed."""
    share = parse_decimal(cell, label, suppressible=True)
    if isinstance(share, Decimal):
        if share < 0 or share > 100:
            raise CellError(
                _("Andel mobbet må være mellom 0 og 100, ikke «%(value)s».") % {"value": cell.text}
            )
        share = share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return share


def _survey_key(rows, cells, labels, schools, scope):
    """(school pk, school year, grade) of a row, or None where it cannot be read."""
    errors = []
    orgnr = rows.parse(parse_orgnr, cells["orgnr"], labels["orgnr"], errors)
    school = _school_for(orgnr, schools, scope, errors)
    year = rows.parse(parse_school_year, cells["year"], labels["year"], errors)
    grade = ""
    if "grade" in cells:
        grade = rows.parse(parse_grade, cells["grade"], labels["grade"], errors)
    return None if errors else (school[0], year, grade)


def plan_complaints(table, *, scope):
    """Rows of complaint case counts: one per school and school year."""
    plan = Plan(kind=ImportKind.COMPLAINTS, table=table)
    rows = _Rows(plan)
    schools = _school_lookup()
    labels = {c.key: c.label for c in COMPLAINT_COLUMNS}
    parsed = []
    for number, cells in rows.readable(table):
        errors = []
        orgnr = rows.parse(parse_orgnr, cells["orgnr"], labels["orgnr"], errors)
        school = _school_for(orgnr, schools, scope, errors)
        year = rows.parse(parse_school_year, cells["year"], labels["year"], errors)
        cases = rows.parse(parse_count, cells["cases"], labels["cases"], errors)
        long_running = 0
        if "long_running" in cells:
            long_running = rows.parse(
                parse_count,
                cells["long_running"],
                labels["long_running"],
                errors,
                blank_is_zero=True,
            )
        if cases is not None and long_running is not None and long_running > cases:
            errors.append(
                _(
                    "Antall langvarige eller komplekse saker (%(long)s) er større enn antall "
                    "saker (%(cases)s)."
                )
                % {"long": long_running, "cases": cases}
            )
        if not errors:
            rows.duplicate(number, (school[0], year), errors)
        if errors:
            rows.reject(number, errors)
            continue
        parsed.append(((school[0], year), {"cases": cases, "long_running": long_running}))
        plan.years.add(year)
    _place_all(
        plan,
        ComplaintCaseCount.objects.filter(school_year__in=plan.years),
        ("school_id", "school_year"),
        parsed,
    )
    return plan


def plan_findings(table, *, scope):
    """Rows of supervision findings: one per municipality (or school), date and topic."""
    plan = Plan(kind=ImportKind.FINDINGS, table=table)
    rows = _Rows(plan)
    schools = _school_lookup()
    municipalities = dict(Municipality.objects.values_list("number", "pk"))
    labels = {c.key: c.label for c in FINDING_COLUMNS}
    parsed = []
    for number, cells in rows.readable(table):
        errors = []
        municipality_id = _municipality_for(
            cells["municipality"], labels["municipality"], municipalities, scope, errors
        )
        school_id = None
        if "orgnr" in cells and not cells["orgnr"].blank:
            orgnr = rows.parse(parse_orgnr, cells["orgnr"], labels["orgnr"], errors)
            school = _school_for(orgnr, schools, None, errors)
            if school is not None:
                if municipality_id is not None and school[1] != municipality_id:
                    errors.append(_("Skolen ligger ikke i kommunen på samme rad."))
                school_id = school[0]
        date = rows.parse(parse_date, cells["date"], labels["date"], errors)
        topic = rows.parse(parse_text, cells["topic"], labels["topic"], errors, max_length=200)
        flags = {}
        for key, attribute in [
            ("practice", "in_practice"),
            ("routines", "in_routines"),
            ("system", "in_system"),
            ("closed", "closed"),
        ]:
            flags[attribute] = False
            if key in cells:
                flags[attribute] = rows.parse(parse_flag, cells[key], labels[key], errors)
        if not errors and not (flags["in_practice"] or flags["in_routines"] or flags["in_system"]):
            errors.append(_("Kryss av for minst én av praksis, rutiner eller system."))
        if not errors:
            rows.duplicate(number, (municipality_id, school_id, date, topic), errors)
        if errors:
            rows.reject(number, errors)
            continue
        parsed.append(((municipality_id, school_id, date, topic), flags))
    _place_all(
        plan,
        SupervisionFinding.objects.filter(municipality_id__in={key[0] for key, _values in parsed}),
        ("municipality_id", "school_id", "date", "topic"),
        parsed,
    )
    return plan


def _place_all(plan, queryset, key, parsed):
    """Sort the parsed rows, (key, {field: value}) in file order, into what is new, what
    changes and what is as it is, against the rows of the queryset.

    The stored rows are compared as plain values, in one query; only those that change are
    loaded as objects (in one more query), and new ones are made unsaved.
    """
    if not parsed:
        return
    names = tuple(parsed[0][1])
    width = len(key)
    stored = {
        row[1 : 1 + width]: (row[0], row[1 + width :])
        for row in queryset.values_list("pk", *key, *names)
    }
    changed = []
    for row_key, values in parsed:
        found = stored.get(row_key)
        if found is None:
            obj = queryset.model(**dict(zip(key, row_key, strict=True)), **values)
            plan.create.append(obj)
        elif found[1] != tuple(values.values()):
            changed.append((found[0], values))
        else:
            plan.unchanged += 1
    if changed:
        objects = queryset.model.objects.in_bulk([pk for pk, _values in changed])
        for pk, values in changed:
            obj = objects[pk]
            for name, value in values.items():
                setattr(obj, name, value)
            plan.update.append(obj)


@dataclass(frozen=True)
class Spec:
    columns: list
    planner: object
    model: type
    fields: tuple
    action: str
    key: tuple = ()


SPECS = {
    ImportKind.SURVEY: Spec(
        SURVEY_COLUMNS,
        plan_survey,
        SurveyFigure,
        ("share", "share_symbol", "respondents", "respondents_symbol", "suppressed"),
        "evidence.survey_import",
        ("school", "school_year", "grade"),
    ),
    ImportKind.COMPLAINTS: Spec(
        COMPLAINT_COLUMNS,
        plan_complaints,
        ComplaintCaseCount,
        ("cases", "long_running"),
        "evidence.complaint_cases_import",
    ),
    ImportKind.FINDINGS: Spec(
        FINDING_COLUMNS,
        plan_findings,
        SupervisionFinding,
        ("in_practice", "in_routines", "in_system", "closed"),
        "evidence.findings_import",
    ),
}


def plan_file(*, kind, file_name, content, scope):
    """Read a file and plan its import. Raises ImportFileError for a file that cannot be read."""
    spec = SPECS[kind]
    with without_cycle_collection():
        table = read_table(content=content, file_name=file_name, columns=spec.columns)
        return spec.planner(table, scope=scope)


@contextmanager
def without_cycle_collection():
    """Reading, planning and writing a national file makes some 100,000 small objects
    (cells, rows, values, unsaved rows) that all live until the step is done and form no
    reference cycles: Python's cycle collector would go through them again and again as
    they grow, about half the time of a plan. It runs again, over what is left, after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _previous_import(kind, sha256):
    earlier = (
        ImportRecord.objects.filter(kind=kind, sha256=sha256).select_related("imported_by").first()
    )
    if earlier is None:
        return None
    by = earlier.imported_by
    return {
        "at": earlier.imported_at.isoformat(),
        "by": (by.get_full_name() or by.username) if by else "",
    }


def preview_import(*, kind, file_name, content, actor, scope):
    """Read an uploaded file and keep it, with its preview, until the uploader confirms.

    Raises ImportFileError, and keeps nothing, when the file cannot be read.
    """
    plan = plan_file(kind=kind, file_name=file_name, content=content, scope=scope)
    sha256 = hashlib.sha256(content).hexdigest()
    summary = plan.summary()
    summary["previous"] = _previous_import(kind, sha256)
    PendingImport.objects.filter(
        uploaded_by=actor, uploaded_at__lt=timezone.now() - PENDING_LIFETIME
    ).delete()
    return PendingImport.objects.create(
        kind=kind,
        file_name=file_name[:255],
        sha256=sha256,
        content=content,
        uploaded_by=actor,
        preview=summary,
    )


class AlreadyImported(ImportFileError):
    """The previewed file has been imported already (a second click, a second tab)."""

    def __init__(self, record):
        super().__init__(
            _("Filen er allerede importert. Her er resultatet; ingenting er importert to ganger.")
        )
        self.record = record


def apply_plan(plan, *, file_name, content, actor):
    """Write a plan: the import record, the rows, the national means and the audit event.

    The caller holds the transaction.
    """
    spec = SPECS[plan.kind]
    now = timezone.now()
    record_ = ImportRecord.objects.create(
        kind=plan.kind,
        file_name=file_name[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        imported_by=actor if actor is not None and actor.is_authenticated else None,
        imported_at=now,
        added=len(plan.create),
        changed=len(plan.update),
        unchanged=plan.unchanged,
        rejected=len(plan.rejected),
        summary=plan.summary(),
    )
    registered = plan.kind != ImportKind.SURVEY
    for obj in plan.create:
        obj.last_import = record_
        if registered:
            obj.registered_by = obj.updated_by = record_.imported_by
    for obj in plan.update:
        obj.last_import = record_
        obj.updated_at = now
        if registered:
            # A form opened before the import is refused instead of undoing it.
            obj.updated_by = record_.imported_by
            obj.revision = F("revision") + 1
    with without_cycle_collection():
        _write(spec, plan, registered)
    if plan.kind == ImportKind.SURVEY and (plan.create or plan.update):
        recompute_national_means(years=plan.years)
    record(
        actor=actor,
        action=spec.action,
        obj=record_,
        after={
            "file_name": record_.file_name,
            "sha256": record_.sha256,
            "added": record_.added,
            "changed": record_.changed,
            "unchanged": record_.unchanged,
            "rejected": record_.rejected,
        },
    )
    return record_


def _write(spec, plan, registered):
    """The plan's new and changed rows, in batches."""
    spec.model.objects.bulk_create(plan.create, batch_size=2000)
    if registered:
        spec.model.objects.bulk_update(
            plan.update,
            [*spec.fields, "last_import", "updated_at", "updated_by", "revision"],
            batch_size=1000,
        )
    elif plan.update:
        # The changed figures by their key, in batches of one INSERT … ON CONFLICT DO UPDATE:
        # an UPDATE with a CASE per field and row (bulk_update) costs the database many
        # times more for a national file.
        spec.model.objects.bulk_create(
            plan.update,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=spec.key,
            update_fields=[*spec.fields, "last_import", "updated_at"],
        )


def confirm_import(*, pending, actor, scope):
    """Import a previewed file: every accepted row, in one transaction.

    Plans again against the database as it is now, so that rows changed since the preview
    are counted right. Raises AlreadyImported, with the import, when the file has been
    imported from this preview already, and ImportFileError when no row can be imported or
    the preview has been cancelled.
    """
    with transaction.atomic():
        # Locking the pending import makes a second click (or a second tab) wait, and then
        # find it imported instead of importing the file twice.
        pending = PendingImport.objects.select_for_update().filter(pk=pending.pk).first()
        if pending is None:
            raise ImportFileError(_("Denne importen er allerede gjennomført eller avbrutt."))
        if pending.result_id is not None:
            raise AlreadyImported(pending.result)
        content = bytes(pending.content)
        plan = plan_file(
            kind=pending.kind, file_name=pending.file_name, content=content, scope=scope
        )
        if plan.accepted == 0:
            raise ImportFileError(
                _("Ingen rader i filen kan importeres. Rett feilene og prøv igjen.")
            )
        imported = apply_plan(plan, file_name=pending.file_name, content=content, actor=actor)
        # The preview stays, without its file, so that a second confirmation finds the import.
        pending.result = imported
        pending.content = b""
        pending.save(update_fields=["result", "content"])
    return imported


def import_file(*, kind, file_name, content, actor=None, scope=None, dry_run=False):
    """Plan and (unless dry_run) import a file in one go, for the management command.

    Returns the plan and the import record (None on a dry run or when no row is accepted).
    """
    with transaction.atomic():
        plan = plan_file(kind=kind, file_name=file_name, content=content, scope=scope)
        if dry_run or plan.accepted == 0:
            return plan, None
        return plan, apply_plan(plan, file_name=file_name, content=content, actor=actor)
