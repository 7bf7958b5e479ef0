"""The Noark 5 (version 5.0) archive extract of a cohort, or of one office's part of it: a ZIP
with `arkivstruktur.xml`, the documents (PDF) with their SHA-256 checksums, a list of contents
in Norwegian (`innhold.txt`) and the schemas the XML is written against.

Everything in the extract comes from the journal, never from the clock: the system IDs are
UUIDs (version 5) of our primary keys, the dates are the journal's, and the ZIP's entries carry
a fixed timestamp, so that a second extract of the same journal is the same, byte for byte.
"""

import hashlib
import uuid
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from selection.archive.models import CaseFile, JournalPost
from selection.letters.models import SenderSettings

NS = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMAS = Path(__file__).resolve().parent / "schemas" / "noark5" / "v5_0"
SCHEMA_FILES = ("arkivstruktur.xsd", "metadatakatalog.xsd")
# The namespace of our system IDs: uuid5 of this and an object's kind and primary key.
SYSTEM_ID_NAMESPACE = uuid.UUID("6f1c1d2e-3b5a-5c0e-9d1e-4c6b0a9e7f21")
SYSTEM = "Læringsmiljø"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ARCHIVE_LANGUAGE = "nb"

DOCUMENT_TYPES = {
    JournalPost.Source.APPLICATION: "Søknad",
    JournalPost.Source.ATTACHMENT: "Vedlegg",
    JournalPost.Source.LETTER: "Brev",
}
POST_TYPES = {
    JournalPost.Direction.INCOMING: "Inngående dokument",
    JournalPost.Direction.OUTGOING: "Utgående dokument",
}
PARTY_TYPES = {
    JournalPost.Direction.INCOMING: "Avsender",
    JournalPost.Direction.OUTGOING: "Mottaker",
}


class ChecksumMismatch(Exception):
    """A document's file is not the one journaled: the extract stops and names it."""

    def __init__(self, post, message):
        super().__init__(message)
        self.post = post


def system_id(kind, *keys):
    """The stable system ID of an object: the same object always gets the same UUID."""
    return str(uuid.uuid5(SYSTEM_ID_NAMESPACE, ":".join([kind, *map(str, keys)])))


def document_path(post):
    return f"dokumenter/{system_id('dokumentobjekt', post.pk)}.pdf"


def _datetime(value):
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _date(value):
    return value.isoformat()


def _add(parent, name, text=None):
    element = ET.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        element.text = str(text)
    return element


def posts_of(*, cohort, office=None):
    """The journal posts of the extract, in the order it lists them."""
    posts = JournalPost.objects.filter(case_file__cohort=cohort).select_related(
        "case_file__office", "correspondent"
    )
    if office is not None:
        posts = posts.filter(case_file__office=office)
    return posts.order_by("case_file__office__name", "case_file_id", "number")


def case_files_of(*, cohort, office=None):
    case_files = CaseFile.objects.filter(cohort=cohort, posts__isnull=False).distinct()
    if office is not None:
        case_files = case_files.filter(office=office)
    return case_files.select_related("office").order_by("office__name", "pk")


def verify(post, content):
    """Refuse a document whose file no longer matches the checksum it was journaled with."""
    if hashlib.sha256(content).hexdigest() != post.sha256:
        raise ChecksumMismatch(
            post,
            _(
                "Dokumentet «%(title)s» (journalpost %(number)s) stemmer ikke lenger med "
                "sjekksummen det ble journalført med. Uttrekket er stoppet."
            )
            % {"title": post.public_title, "number": f"{post.year}/{post.pk}"},
        )


def read_document(post):
    try:
        with post.file.open("rb") as handle:
            return handle.read()
    except OSError as error:
        raise ChecksumMismatch(
            post,
            _(
                "Dokumentet «%(title)s» (journalpost %(number)s) finnes ikke lenger på disken. "
                "Uttrekket er stoppet."
            )
            % {"title": post.public_title, "number": f"{post.year}/{post.pk}"},
        ) from error


def arkivstruktur(*, cohort, office=None, case_files=None, posts=None):
    """arkivstruktur.xml as bytes: the cohort as an arkiv, each office as an arkivdel, each
    case file as a saksmappe and each post as a journalpost with its document."""
    case_files = list(
        case_files if case_files is not None else case_files_of(cohort=cohort, office=office)
    )
    posts = list(posts if posts is not None else posts_of(cohort=cohort, office=office))
    by_case = {}
    for post in posts:
        by_case.setdefault(post.case_file_id, []).append(post)
    sender = SenderSettings.current()
    first = min((case.created_at for case in case_files), default=None)
    last = max((post.created_at for post in posts), default=None)
    if first is None:
        first = last = timezone.make_aware(
            timezone.datetime.combine(cohort.kickoff_date, timezone.datetime.min.time())
        )

    root = ET.Element(f"{{{NS}}}arkiv")
    root.set(f"{{{XSI}}}schemaLocation", f"{NS} arkivstruktur.xsd")
    _add(root, "systemID", system_id("arkiv", cohort.pk))
    _add(root, "tittel", f"Læringsmiljøprosjektet – {cohort.name}")
    _add(root, "opprettetDato", _datetime(first))
    _add(root, "opprettetAv", SYSTEM)
    _add(root, "avsluttetDato", _datetime(last))
    _add(root, "avsluttetAv", SYSTEM)
    creator = _add(root, "arkivskaper")
    _add(creator, "arkivskaperID", sender.organisation_number or sender.name)
    _add(creator, "arkivskaperNavn", sender.name)

    offices = {}
    for case in case_files:
        offices.setdefault(case.office_id, (case.office, []))[1].append(case)
    if not offices:
        # An arkiv holds at least one arkivdel: an empty one for a cohort without documents.
        offices[None] = (office, [])
    for office_pk, (part_office, cases) in offices.items():
        part = _add(root, "arkivdel")
        _add(part, "systemID", system_id("arkivdel", cohort.pk, office_pk or 0))
        _add(part, "tittel", part_office.name if part_office else cohort.name)
        _add(part, "arkivdelstatus", "Aktiv periode")
        part_posts = [post for case in cases for post in by_case.get(case.pk, [])]
        part_first = min((case.created_at for case in cases), default=first)
        part_last = max((post.created_at for post in part_posts), default=last)
        _add(part, "opprettetDato", _datetime(part_first))
        _add(part, "opprettetAv", SYSTEM)
        _add(part, "avsluttetDato", _datetime(part_last))
        _add(part, "avsluttetAv", SYSTEM)
        for case in cases:
            _case_file(part, case, by_case.get(case.pk, []))
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True, default_namespace=NS) + b"\n"


def _case_file(parent, case, posts):
    folder = _add(parent, "mappe")
    folder.set(f"{{{XSI}}}type", "saksmappe")
    _add(folder, "systemID", system_id("saksmappe", case.pk))
    _add(folder, "mappeID", case.case_number)
    _add(folder, "tittel", case.title)
    _add(folder, "offentligTittel", case.public_title)
    _add(folder, "opprettetDato", _datetime(case.created_at))
    _add(folder, "opprettetAv", SYSTEM)
    _add(folder, "avsluttetDato", _datetime(max(post.created_at for post in posts)))
    _add(folder, "avsluttetAv", SYSTEM)
    for post in posts:
        _journal_post(folder, post)
    _add(folder, "saksaar", case.year)
    _add(folder, "sakssekvensnummer", case.pk)
    _add(folder, "saksdato", _date(timezone.localdate(case.created_at)))
    _add(folder, "administrativEnhet", case.office.name)
    _add(folder, "saksansvarlig", case.office.name)
    _add(folder, "saksstatus", "Under behandling")


def _journal_post(parent, post):
    created = _datetime(post.created_at)
    entry = _add(parent, "registrering")
    entry.set(f"{{{XSI}}}type", "journalpost")
    _add(entry, "systemID", system_id("journalpost", post.pk))
    _add(entry, "opprettetDato", created)
    _add(entry, "opprettetAv", SYSTEM)
    _add(entry, "arkivertDato", created)
    _add(entry, "arkivertAv", SYSTEM)
    description = _add(entry, "dokumentbeskrivelse")
    _add(description, "systemID", system_id("dokumentbeskrivelse", post.pk))
    _add(description, "dokumenttype", DOCUMENT_TYPES[post.source])
    _add(description, "dokumentstatus", "Dokumentet er ferdigstilt")
    _add(description, "tittel", post.title)
    _add(description, "opprettetDato", created)
    _add(description, "opprettetAv", SYSTEM)
    _add(description, "tilknyttetRegistreringSom", "Hoveddokument")
    _add(description, "dokumentnummer", 1)
    _add(description, "tilknyttetDato", created)
    _add(description, "tilknyttetAv", SYSTEM)
    document = _add(description, "dokumentobjekt")
    _add(document, "systemID", system_id("dokumentobjekt", post.pk))
    _add(document, "versjonsnummer", 1)
    _add(document, "variantformat", "Arkivformat")
    _add(document, "format", "PDF")
    if post.source != JournalPost.Source.ATTACHMENT:
        _add(document, "formatDetaljer", "PDF/UA-1")
    _add(document, "opprettetDato", created)
    _add(document, "opprettetAv", SYSTEM)
    _add(document, "referanseDokumentfil", document_path(post))
    _add(document, "sjekksum", post.sha256)
    _add(document, "sjekksumAlgoritme", "SHA-256")
    _add(document, "filstoerrelse", post.size)
    _add(entry, "tittel", post.title)
    _add(entry, "offentligTittel", post.public_title)
    party = _add(entry, "korrespondansepart")
    _add(party, "korrespondanseparttype", PARTY_TYPES[post.direction])
    _add(party, "korrespondansepartNavn", post.correspondent.name)
    _add(entry, "journalaar", post.year)
    _add(entry, "journalsekvensnummer", post.pk)
    _add(entry, "journalpostnummer", post.number)
    _add(entry, "journalposttype", POST_TYPES[post.direction])
    _add(entry, "journalstatus", "Journalført")
    _add(entry, "journaldato", _date(post.journal_date))
    _add(entry, "dokumentetsDato", _date(post.document_date))
    if post.direction == JournalPost.Direction.INCOMING:
        _add(entry, "mottattDato", created)
    else:
        _add(entry, "sendtDato", created)


def contents(*, cohort, office, case_files, posts):
    """The readable list of the extract's contents, in Norwegian (bokmål, as the archive)."""
    with translation.override(ARCHIVE_LANGUAGE):
        by_case = {}
        for post in posts:
            by_case.setdefault(post.case_file_id, []).append(post)
        lines = [
            _("Arkivuttrekk etter Noark 5 versjon 5.0"),
            f"{_('Pulje')}: {cohort.name}",
            f"{_('Embete')}: {office.name if office else _('alle embeter')}",
            f"{_('Saksmapper')}: {len(case_files)}",
            f"{_('Journalposter')}: {len(posts)}",
            "",
            _(
                "arkivstruktur.xml beskriver arkivet, sakene, journalpostene og dokumentene, og "
                "kan valideres mot arkivstruktur.xsd og metadatakatalog.xsd (Arkivverket)."
            ),
            _(
                "Dokumentene ligger i mappen dokumenter/ som PDF. Brevene og søknadene er tagget "
                "PDF (PDF/UA-1); vedleggene er slik kommunen lastet dem opp. Sjekksummen (SHA-256) "
                "av hver fil står under."
            ),
            "",
        ]
        for case in case_files:
            lines.append(f"{_('Sak')} {case.case_number}: {case.title} ({case.office.name})")
            for post in by_case.get(case.pk, []):
                lines.append(
                    f"  {post.year}/{post.pk}  {_date(post.journal_date)}  "
                    f"{post.get_direction_display()}  {post.title}"
                )
                lines.append(f"      {document_path(post)}  SHA-256 {post.sha256}")
            lines.append("")
    return "\n".join(lines).encode("utf-8")


def _entry(name):
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def write_extract(handle, *, cohort, office=None, progress=None):
    """Write the extract's ZIP to the open binary `handle`. Each document is read and checked
    against its checksum first; a mismatch stops the extract (ChecksumMismatch). `progress(n)`
    is told after each document."""
    case_files = list(case_files_of(cohort=cohort, office=office))
    posts = list(posts_of(cohort=cohort, office=office))
    with zipfile.ZipFile(handle, "w") as archive:
        archive.writestr(
            _entry("arkivstruktur.xml"),
            arkivstruktur(cohort=cohort, office=office, case_files=case_files, posts=posts),
        )
        archive.writestr(
            _entry("innhold.txt"),
            contents(cohort=cohort, office=office, case_files=case_files, posts=posts),
        )
        for name in SCHEMA_FILES:
            archive.writestr(_entry(name), (SCHEMAS / name).read_bytes())
        for index, post in enumerate(posts, start=1):
            content = read_document(post)
            verify(post, content)
            archive.writestr(_entry(document_path(post)), content)
            if progress is not None:
                progress(index)
    return len(posts)
