"""The main pages of each role, found the way a person finds them: from their start page,
following the links they see. A world of two cohorts, stored scoring runs, several complaint
cases and findings, letter batches and files waiting for confirmation makes the pages that look
alike. Used by the title and language checks and by the browser's layout checks."""

import datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils import timezone

from applications import services as application_services
from laeringsmiljo.models import OfficeSchedule
from selection.evidence.imports import SURVEY_COLUMNS, preview_import
from selection.letters.batches import start_decision_letters, start_invitation_letters
from selection.letters.services import generate_letter, keep_version
from selection.models import (
    ComplaintCaseCount,
    Invitation,
    Letter,
    LetterBatch,
    LetterVersion,
    ScoringRun,
    SupervisionFinding,
)
from selection.process import decisions
from selection.scoring.engine import score_cohort
from selection.scoring.grading import grade_motivation
from tests.applications.factories import ApplicationFactory, complete_application
from tests.e2e.cohort import build_scenario
from tests.factories import CohortFactory, OfficeScheduleFactory, UserFactory
from tests.selection.factories import xlsx_bytes
from tests.signin import sign_in

# Not pages: files, the admin, and links that sign out or change the language.
NOT_PAGES = ("/admin/", "/konto/logg-ut/", "/sprak/", "/helse/")
FILES = (".xlsx", ".csv", ".pdf", "/zip/")
MAX_PAGES = 400


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links(html, base):
    parser = Links()
    parser.feed(html)
    for href in parser.hrefs:
        parts = urlsplit(urljoin(base, href))
        if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(NOT_PAGES) or parts.path.endswith(FILES):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, starts):
    """{path: html} of every HTML page reached by GET from the starts through links. A page is
    its path; a query string (a filter of a list) is the same page."""
    seen, pages, queue = set(), {}, list(starts)
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in seen:
            continue
        seen.add(path)
        response = client.get(url, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        final = response.redirect_chain[-1][0] if response.redirect_chain else url
        html = response.content.decode()
        pages[urlsplit(final).path] = html
        queue.extend(links(html, final))
    return pages


def build_world():
    """The browser tests' cohort, with a second cohort of the same office, both municipalities
    invited to both; in the first, both have applied, been scored twice, graded, recommended and
    decided, and the invitation and decision letters are made (Fjordvik's in nynorsk, Nabovik's
    in bokmål); in the second, one draft."""
    scenario = build_scenario()
    first = scenario.cohort
    second = CohortFactory(number=7, name="Pulje 7 (2028–2030)")
    today = datetime.date.today()
    OfficeScheduleFactory(
        cohort=second,
        office=scenario.office,
        invitation_date=today - datetime.timedelta(days=3),
        application_deadline=today + datetime.timedelta(days=30),
    )
    for cohort in (first, second):
        for municipality in (scenario.municipality, scenario.neighbour):
            Invitation.objects.create(cohort=cohort, municipality=municipality)
    applications = [
        application_services.submit(
            application=complete_application(
                cohort=first, municipality=municipality, schedule=False
            ),
            actor=None,
        )
        for municipality in (scenario.municipality, scenario.neighbour)
    ]
    ApplicationFactory(cohort=second, municipality=scenario.municipality, schedule=False)
    office_user, udir = scenario.users["office"], scenario.users["udir"]
    for application in applications:
        grade_motivation(
            application=application, grade=4, comment="God.", actor=office_user, expected_revision=0
        )
    score_cohort(cohort=first, actor=office_user)
    ScoringRun.objects.update(started_at=timezone.now() - datetime.timedelta(days=1))
    score_cohort(cohort=first, actor=office_user)
    for school in scenario.schools[:2]:
        for year in (2018, 2019):
            ComplaintCaseCount.objects.create(
                school=school, school_year=year, cases=2, long_running=1
            )
    for topic in ("Skolemiljø", "Internkontroll"):
        SupervisionFinding.objects.create(
            municipality=scenario.municipality,
            date=datetime.date(2019, 3, 1),
            topic=topic,
            in_system=True,
        )
    for application in applications:
        decisions.recommend(
            application=application, verdict="anbefalt", justification="Sterk.", actor=office_user
        )
    decisions.send_to_udir(
        cohort=first, office=scenario.office, justification="Samlet.", actor=office_user
    )
    for cohort in (first, second):
        start_invitation_letters(cohort=cohort, office=scenario.office, actor=office_user)
    overview = decisions.national_overview(cohort=first)
    for row in overview["offices"][0]["rows"]:
        decisions.decide(
            application=row["ranked"].application,
            outcome=row["proposed"].outcome,
            reason=row["proposed"].reason,
            deviation_reason="",
            actor=udir,
        )
    decisions.publish(cohort=first, actor=udir)
    start_decision_letters(cohort=first, actor=udir)
    # What the workers do once the batches are committed (the tests' transaction never is).
    for letter in Letter.objects.order_by("pk"):
        generate_letter(letter_id=letter.pk)
    # One letter made again after a template fix: its history page has a version.
    remade = Letter.objects.filter(kind="invitation").order_by("pk").first()
    keep_version(letter=remade, reason=LetterVersion.Reason.REMADE, actor=office_user)
    # «Send alle» pressed for every batch but the second cohort's invitations, which wait in
    # the outbox (one of them to Fjordvik; Nabovik's is sent on its own).
    waiting = LetterBatch.objects.get(cohort=second, purpose="invitations")
    now = timezone.now()
    Letter.objects.exclude(batch=waiting, municipality=scenario.municipality).update(
        released_at=now, send_status=Letter.SendStatus.SENT, sent_at=now
    )
    header = [column.label for column in SURVEY_COLUMNS]
    row = [scenario.schools[0].organisation_number, "", "", "2019-20", "", "7,5", "40"]
    scenario.pending_imports = [
        preview_import(
            kind="elevundersokelsen",
            file_name=file_name,
            content=xlsx_bytes([header, row]),
            actor=office_user,
            scope=None,
        )
        for file_name in ("fjordfylke.xlsx", "fjordfylke-2.xlsx")
    ]
    assert OfficeSchedule.objects.filter(office=scenario.office).count() == 2
    return scenario


def starts(world):
    """Where each person starts, and the pages reached only through a form: the preview of an
    uploaded file, the password pages, the page for a user without a role."""
    signed_in = ["/", "/konto/passord/endre/", "/konto/passord/endre/ferdig/"]
    previews = [
        f"/utvelging/grunnlag/import/forhandsvisning/{pending.pk}/"
        for pending in world.pending_imports
    ]
    return {
        None: [
            "/konto/logg-inn/",
            "/konto/passord/nullstill/sendt/",
            "/konto/passord/nullstill/ferdig/",
        ],
        "municipality": signed_in,
        "neighbour": signed_in,
        "office": [*signed_in, *previews],
        "other_office": signed_in,
        "udir": signed_in,
        "no_role": signed_in,
    }


def crawl_every_role(client, world, language):
    """{(who, path): html} of the pages each person reaches, in the language."""
    if "no_role" not in world.users:
        world.users["no_role"] = UserFactory(username="ingen")
    pages = {}
    for who, paths in starts(world).items():
        client.logout()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        if who:
            sign_in(client, world.users[who])
        for path, html in crawl(client, paths).items():
            pages[who, path] = html
    return pages
