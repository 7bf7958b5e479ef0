"""The journal's and the extracts' pages: who sees them, the public journal and its CSV, the
extract ordered, followed and downloaded, and the refusals told in Norwegian."""

import csv
import hashlib
import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from selection.models import ArchiveExport, CaseFile, JournalPost
from tests.factories import (
    CohortFactory,
    GovernorOfficeFactory,
    MunicipalityFactory,
    municipality_user,
    office_user,
    udir_user,
)
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


def _posts(count, *, cohort=None, office=None, name=None):
    """`count` journal posts, one case file each, of one office's municipalities."""
    cohort = cohort or CohortFactory()
    municipality = MunicipalityFactory(**({"name": name} if name else {}))
    office = office or municipality.county.office
    now = timezone.now()
    posts = []
    for index in range(count):
        if index:
            municipality = MunicipalityFactory(county=municipality.county)
        case_file = CaseFile.objects.create(
            cohort=cohort,
            municipality=municipality,
            office=office,
            year=now.year,
            title="Sak",
            public_title="Sak",
            created_at=now,
        )
        content = b"%PDF-1.7\n" + str(index).encode()
        name_on_disk = default_storage.save(f"journal/test/{index}.pdf", ContentFile(content))
        post = JournalPost(
            case_file=case_file,
            source_key=f"brev:{cohort.pk}-{index}",
            source=JournalPost.Source.LETTER,
            letter_kind="invitation",
            direction=JournalPost.Direction.OUTGOING,
            number=1,
            year=now.year,
            journal_date=now.date(),
            document_date=now.date(),
            correspondent=municipality,
            file=name_on_disk,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            created_at=now,
        )
        post.public_title = post.title = post.public_title_now()
        post.save()
        posts.append(post)
    return cohort, office, posts


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("who", ["office", "municipality"])
def test_the_public_journal_is_for_udir(client, who):
    cohort, office, _ = _posts(1)
    user = office_user(office) if who == "office" else municipality_user()
    sign_in(client, user)
    assert client.get(reverse("selection:journal", args=[cohort.pk])).status_code == 403
    assert client.get(reverse("selection:journal_csv", args=[cohort.pk])).status_code == 403


def test_udir_sees_the_public_journal_in_nynorsk_too(client):
    cohort, _office, posts = _posts(2)
    sign_in(client, udir_user())
    page = client.get(reverse("selection:journal", args=[cohort.pk])).content.decode()
    assert f"<h1>Offentlig journal for {cohort.name}</h1>" in page
    for post in posts:
        assert f"<td>Invitasjon til {post.correspondent.name}</td>" in page
        assert f"<td>{post.journal_number}</td>" in page
    client.cookies["django_language"] = "nn"
    page = client.get(reverse("selection:journal", args=[cohort.pk]), HTTP_ACCEPT_LANGUAGE="nn")
    assert f"Offentleg journal for {cohort.name}" in page.content.decode()


@pytest.mark.parametrize("count", [2, 50])
def test_the_public_journal_takes_the_same_queries_for_2_and_50_posts(
    client, django_assert_num_queries, count
):
    cohort, _office, _ = _posts(count)
    sign_in(client, udir_user())
    url = reverse("selection:journal", args=[cohort.pk])
    client.get(url)
    with django_assert_num_queries(QUERIES):
        response = client.get(url)
    assert response.content.decode().count("<td>Invitasjon til ") == count


QUERIES = 5


def test_the_csv_has_the_pages_columns_and_runs_no_formula(client):
    cohort, _office, posts = _posts(1, name='=HYPERLINK("x")')
    sign_in(client, udir_user())
    response = client.get(reverse("selection:journal_csv", args=[cohort.pk]))
    assert response["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Journalpost",
        "Journaldato",
        "Inn/ut",
        "Sak",
        "Offentlig tittel",
        "Avsender/mottaker",
    ]
    assert rows[1][0] == posts[0].journal_number
    assert rows[1][2] == "Utgående"
    assert rows[1][4] == 'Invitasjon til =HYPERLINK("x")'
    assert rows[1][5] == '\'=HYPERLINK("x")'


def test_udir_orders_an_extract_follows_it_and_downloads_it(
    client, django_capture_on_commit_callbacks
):
    cohort, _office, _ = _posts(2)
    sign_in(client, udir_user())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("selection:archive_export_start", args=[cohort.pk]))
    export = ArchiveExport.objects.get()
    assert response.url == reverse("selection:archive_export", args=[export.pk])
    page = client.get(response.url).content.decode()
    assert "<strong>Ferdig.</strong> 2 av 2 dokumenter er ferdige." in page
    download = client.get(reverse("selection:archive_export_zip", args=[export.pk]))
    assert download["Cache-Control"] == "private, no-store"
    export.refresh_from_db()
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == export.sha256
    progress = client.get(response.url, HTTP_ACCEPT="application/json").json()
    assert progress == {"done": 2, "total": 2, "finished": True}


def test_an_extract_ordered_twice_at_once_is_refused_with_a_message(
    client, django_capture_on_commit_callbacks
):
    cohort, _office, _ = _posts(1)
    sign_in(client, udir_user())
    url = reverse("selection:archive_export_start", args=[cohort.pk])
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url)
        second = client.post(url)
    assert second.url == reverse("selection:archive_exports", args=[cohort.pk])
    assert _messages(second)[-1].startswith("Et arkivuttrekk av hele puljen pågår allerede")
    assert ArchiveExport.objects.count() == 1
    # The first one waits for its worker: its page shows how far it has come.
    page = client.get(reverse("selection:archive_export", args=[ArchiveExport.objects.get().pk]))
    assert "<strong>Pågår.</strong> 0 av 1 dokumenter er ferdige." in page.content.decode()


def test_an_office_orders_its_own_part_and_no_other(client, django_capture_on_commit_callbacks):
    cohort, office, _ = _posts(1)
    user = office_user(office)
    sign_in(client, user)
    url = reverse("selection:archive_export_start", args=[cohort.pk])
    assert client.post(url).status_code == 403  # the whole cohort is Udir's
    assert client.post(url, {"embete": GovernorOfficeFactory().pk}).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"embete": office.pk})
    export = ArchiveExport.objects.get()
    assert (export.office, export.status) == (office, ArchiveExport.Status.DONE)
    assert client.get(response.url).status_code == 200
    # Another office's staff do not find it; a municipality is refused.
    client.logout()
    sign_in(client, office_user(GovernorOfficeFactory()))
    assert client.get(response.url).status_code == 404
    assert client.get(reverse("selection:archive_export_zip", args=[export.pk])).status_code == 404
    client.logout()
    sign_in(client, municipality_user())
    assert client.get(response.url).status_code == 403


def test_udir_may_not_order_an_offices_part(client):
    cohort, office, _ = _posts(1)
    sign_in(client, udir_user())
    url = reverse("selection:archive_export_start", args=[cohort.pk])
    assert client.post(url, {"embete": office.pk}).status_code == 403
    assert not ArchiveExport.objects.exists()


@pytest.mark.parametrize("count", [2, 50])
def test_the_extracts_page_takes_the_same_queries_for_2_and_50_extracts(
    client, django_assert_num_queries, count
):
    cohort, _office, _ = _posts(1)
    user = udir_user()
    for index in range(count):
        ArchiveExport.objects.create(
            cohort=cohort,
            office=GovernorOfficeFactory(),
            scope=f"{cohort.pk}/x{index}",
            status=ArchiveExport.Status.DONE,
            requested_by=user,
        )
    sign_in(client, user)
    url = reverse("selection:archive_exports", args=[cohort.pk])
    client.get(url)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.content.decode().count(": ferdig</li>") == count
