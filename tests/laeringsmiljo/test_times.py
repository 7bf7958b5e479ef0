"""Times of day are written one Norwegian way everywhere, «kl. 20.09»: on the pages, in the
e-mails, in the letters and in Django's own formats."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats, timezone, translation

from applications import services
from laeringsmiljo.times import clock_time, date_and_time, short_date
from tests.applications.factories import complete_application, oslo_time
from tests.factories import municipality_user, office_user
from tests.signin import sign_in

BASE_DIR = Path(__file__).resolve().parents[2]
# 20.09 in Oslo on 3 February 2020 (winter time, UTC+1).
AT = datetime.datetime(2020, 2, 3, 19, 9, 15, tzinfo=datetime.UTC)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_times_are_written_with_kl_and_a_full_stop_in_oslo_time(language):
    with translation.override(language):
        assert clock_time(AT) == "kl. 20.09"
        assert clock_time(AT, seconds=True) == "kl. 20.09.15"
        assert date_and_time(AT) == "3.2.2020 kl. 20.09"
        assert date_and_time(AT, "lang") == "3. februar 2020 kl. 20.09"
        assert date_and_time(None) == ""
        page = Template(
            "{% load formats %}{{ at|klokkeslett }}|{{ at|tidspunkt }}|"
            '{{ at|tidspunkt:"lang" }}|{{ at|tidspunkt:"sekunder" }}|{{ none|tidspunkt }}'
        ).render(Context({"at": AT, "none": None}))
        assert page == (
            "kl. 20.09|3.2.2020 kl. 20.09|3. februar 2020 kl. 20.09|3.2.2020 kl. 20.09.15|"
        )


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_djangos_own_formats_write_times_the_same_way(settings, language):
    local = oslo_time(2020, 2, 3, 20, 9)
    with translation.override(language):
        assert formats.date_format(local, "TIME_FORMAT") == "kl. 20.09"
        assert formats.date_format(local, "DATETIME_FORMAT") == "3. februar 2020 kl. 20.09"
        assert formats.date_format(local, "SHORT_DATETIME_FORMAT") == "3.2.2020 kl. 20.09"


@pytest.fixture
def submitted(db, django_capture_on_commit_callbacks):
    application = complete_application()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(
            application=application,
            actor=municipality_user(application.municipality),
            now=oslo_time(2020, 2, 3, 20, 9),
        )
    return application


def test_the_receipt_email_writes_the_time_as_the_pages_do(submitted, mailoutbox):
    body = mailoutbox[0].body
    assert "Sendt inn: 3.2.2020 kl. 20.09" in body
    assert "20:09" not in body


def test_the_receipt_letter_writes_the_time_as_the_pages_do(submitted):
    from selection.letters.models import Letter, LetterKind
    from selection.letters.services import _values

    letter = Letter.objects.get(kind=LetterKind.RECEIPT, application=submitted)
    assert _values(letter)["submitted_at"] == "3. februar 2020 kl. 20.09"


def test_the_pages_write_the_time_of_submission_with_kl(client, submitted):
    sign_in(client, municipality_user(submitted.municipality))
    receipt = client.get(reverse("applications:receipt", args=[submitted.pk])).content.decode()
    detail = client.get(reverse("applications:detail", args=[submitted.pk])).content.decode()
    assert "3. februar 2020 kl. 20.09" in receipt
    assert "Sendt inn 3. februar 2020 kl. 20.09." in detail
    sign_in(client, office_user(submitted.municipality.county.office))
    listing = client.get(reverse("applications:list")).content.decode()
    assert "3.2.2020 kl. 20.09" in listing
    for page in (receipt, detail, listing):
        assert "20:09" not in page


# A time written by hand: a date filter with an hour in its format, the time filter with a
# format, strftime or an f-string with %H, a Django format string with H:i or H.i.
HAND_MADE_TIME = re.compile(r'date:"[^"]*[HGhgis]|\|time:|%H|H[:.]i')


def test_no_template_or_module_writes_a_time_by_hand():
    allowed = {BASE_DIR / "laeringsmiljo" / "times.py"}
    sources = [
        *(BASE_DIR / "templates").rglob("*.html"),
        *(BASE_DIR / "templates").rglob("*.txt"),
        *(
            path
            for app in ("laeringsmiljo", "applications", "selection")
            for path in (BASE_DIR / app).rglob("*.py")
            if "migrations" not in path.parts and "formats" not in path.parts
        ),
    ]
    found = [
        f"{path.relative_to(BASE_DIR)}:{number}: {line.strip()}"
        for path in sources
        if path not in allowed
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if HAND_MADE_TIME.search(line)
    ]
    assert found == []


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_short_date_is_djangos_format_written_without_its_parser(language):
    start = datetime.datetime(2019, 12, 25, 23, 30, tzinfo=datetime.UTC)
    with translation.override(language):
        for days in range(0, 800, 7):
            value = start + datetime.timedelta(days=days)
            local = timezone.localtime(value)
            assert short_date(value) == formats.date_format(local, "j.n.Y")
            assert date_and_time(value).startswith(formats.date_format(local, "j.n.Y") + " kl. ")
