"""The Noark 5 archive extract: a whole practice cohort exports through the real task to a ZIP
whose arkivstruktur.xml validates against Arkivverket's schemas, and whose every document
matches the checksum the XML gives; a second export is the same; and the refusals."""

import hashlib
from xml.etree import ElementTree as ET

import pytest
import xmlschema

from laeringsmiljo.models import AuditEvent
from selection.archive.exports import ExportRefused, start_export
from selection.archive.extract import NS, SCHEMAS
from selection.models import ArchiveExport, JournalPost
from tests.factories import office_user, udir_user
from tests.selection.archive.helpers import journaled_cohort, read_zip

pytestmark = pytest.mark.django_db

N = {"n": NS}


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema(str(SCHEMAS / "arkivstruktur.xsd"))


def _export(capture, cohort, office=None, actor=None):
    with capture(execute=True):
        export = start_export(cohort=cohort, office=office, actor=actor or udir_user())
    export.refresh_from_db()
    return export


def test_a_whole_cohort_exports_to_an_extract_that_validates_with_matching_checksums(
    schema, mailoutbox, django_capture_on_commit_callbacks
):
    made = journaled_cohort(django_capture_on_commit_callbacks)
    cohort = made["valgt"].cohort
    # Three applications, one attachment and three decision letters.
    assert JournalPost.objects.filter(case_file__cohort=cohort).count() == 7
    export = _export(django_capture_on_commit_callbacks, cohort)
    assert (export.status, export.done, export.total) == (ArchiveExport.Status.DONE, 7, 7)
    extract = read_zip(export)
    xml = extract.read("arkivstruktur.xml")
    schema.validate(xml)  # raises on the first error
    assert schema.is_valid(xml)
    root = ET.fromstring(xml)
    documents = root.findall(".//n:dokumentobjekt", N)
    assert len(documents) == 7
    for document in documents:
        path = document.find("n:referanseDokumentfil", N).text
        content = extract.read(path)
        assert document.find("n:sjekksumAlgoritme", N).text == "SHA-256"
        assert document.find("n:sjekksum", N).text == hashlib.sha256(content).hexdigest()
        assert int(document.find("n:filstoerrelse", N).text) == len(content)
        assert content.startswith(b"%PDF")
    assert len(root.findall(".//n:mappe", N)) == 3
    kinds = sorted(e.text for e in root.findall(".//n:journalposttype", N))
    assert kinds == ["Inngående dokument"] * 4 + ["Utgående dokument"] * 3
    # The public titles hold no person: the attachment's file name is only in its title.
    public = " ".join(e.text for e in root.findall(".//n:offentligTittel", N))
    assert "Kari Nordmann" not in public
    assert "Kari Nordmann" in xml.decode()
    contents = extract.read("innhold.txt").decode()
    assert contents.startswith("Arkivuttrekk etter Noark 5 versjon 5.0")
    assert "PDF/UA-1" in contents
    for path in extract.namelist():
        assert extract.getinfo(path).date_time == (1980, 1, 1, 0, 0, 0)

    # A second extract of the same cohort is the same: the same IDs, the same bytes.
    again = read_zip(_export(django_capture_on_commit_callbacks, cohort))
    assert again.read("arkivstruktur.xml") == xml
    assert again.namelist() == extract.namelist()
    assert [again.read(n) for n in again.namelist()] == [
        extract.read(n) for n in extract.namelist()
    ]
    assert AuditEvent.objects.filter(action="archive.export_finished").count() == 2


def test_the_schema_refuses_a_broken_copy_of_the_extract(
    schema, mailoutbox, django_capture_on_commit_callbacks
):
    made = journaled_cohort(django_capture_on_commit_callbacks)
    xml = read_zip(_export(django_capture_on_commit_callbacks, made["valgt"].cohort)).read(
        "arkivstruktur.xml"
    )
    assert schema.is_valid(xml)
    # A system ID that is not a UUID, a journal post without its required year, and an
    # element out of order: each alone makes the extract invalid.
    root = ET.fromstring(xml)
    broken = xml.replace(root.find("n:systemID", N).text.encode(), b"ikke-en-uuid", 1)
    assert not schema.is_valid(broken)
    assert not schema.is_valid(
        xml.replace(b"<journalaar>", b"<journalaarX>").replace(b"</journalaar>", b"</journalaarX>")
    )
    assert not schema.is_valid(
        xml.replace(b"<sjekksum>", b"<sjekksum/><x>", 1).replace(b"</sjekksum>", b"</x>", 1)
    )


def test_an_office_exports_only_its_own_part(
    mailoutbox, django_capture_on_commit_callbacks, schema
):
    made = journaled_cohort(django_capture_on_commit_callbacks)
    cohort = made["valgt"].cohort
    office = made["valgt"].municipality.county.office
    own = read_zip(_export(django_capture_on_commit_callbacks, cohort, office, office_user(office)))
    schema.validate(own.read("arkivstruktur.xml"))
    assert len(ET.fromstring(own.read("arkivstruktur.xml")).findall(".//n:dokumentobjekt", N)) == 7


def test_an_export_started_while_one_runs_is_refused(
    mailoutbox, django_capture_on_commit_callbacks
):
    made = journaled_cohort(django_capture_on_commit_callbacks)
    cohort = made["valgt"].cohort
    # Not run: the first one's task has not been taken by a worker yet.
    with django_capture_on_commit_callbacks(execute=False):
        first = start_export(cohort=cohort, office=None, actor=udir_user())
    with pytest.raises(ExportRefused) as refused:
        start_export(cohort=cohort, office=None, actor=udir_user())
    assert "Et arkivuttrekk av hele puljen pågår allerede" in str(refused.value)
    assert list(ArchiveExport.objects.all()) == [first]
    # The office's own part is another scope, and may run beside it.
    office = made["valgt"].municipality.county.office
    with django_capture_on_commit_callbacks(execute=False):
        start_export(cohort=cohort, office=office, actor=office_user(office))
    assert ArchiveExport.objects.count() == 2


def test_a_document_changed_on_disk_stops_the_export_and_names_it(
    mailoutbox, django_capture_on_commit_callbacks
):
    made = journaled_cohort(django_capture_on_commit_callbacks)
    letter = made["valgt"]
    post = JournalPost.objects.get(source_key=f"brev:{letter.pk}")
    with open(post.file.path, "ab") as handle:
        handle.write(b"endret")
    export = _export(django_capture_on_commit_callbacks, letter.cohort)
    assert export.status == ArchiveExport.Status.FAILED
    assert export.failure == (
        f"Dokumentet «{post.public_title}» (journalpost {post.year}/{post.pk}) stemmer ikke lenger "
        "med sjekksummen det ble journalført med. Uttrekket er stoppet."
    )
    assert not export.file
    assert AuditEvent.objects.get(action="archive.export_failed").after == {
        "reason": export.failure
    }
    # The failed one is over: a new one may start (and stops again at the same document).
    assert _export(django_capture_on_commit_callbacks, letter.cohort).status == "feilet"


def test_a_document_gone_from_disk_stops_the_export_and_names_it(
    mailoutbox, django_capture_on_commit_callbacks
):
    made = journaled_cohort(django_capture_on_commit_callbacks)
    letter = made["valgt"]
    post = JournalPost.objects.get(source_key=f"brev:{letter.pk}")
    post.file.storage.delete(post.file.name)
    export = _export(django_capture_on_commit_callbacks, letter.cohort)
    assert export.status == ArchiveExport.Status.FAILED
    assert export.failure == (
        f"Dokumentet «{post.public_title}» (journalpost {post.year}/{post.pk}) finnes ikke "
        "lenger på disken. Uttrekket er stoppet."
    )
