"""Benchmarks of the letters: the whole service per letter against WeasyPrint alone, and letters
per second with one and with two Celery worker processes (needs PostgreSQL and Redis)."""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.db import connection
from django.utils import timezone

from applications.models import Application
from laeringsmiljo.celery import app
from selection.bench.pages import national_world
from selection.bench.timing import Samples, measure, ratio_text, ratios
from selection.letters import services
from selection.letters.models import Letter, LetterKind
from selection.letters.pdf import html_to_pdf, render_pdf
from selection.letters.services import generate_letter, render_letter_html, request_letter
from selection.letters.tasks import queue_letters
from selection.process.models import Decision, Outcome

BASE_DIR = Path(settings.BASE_DIR)
ROUNDS = 30
BATCH = 100


def _decided_applications(count):
    # Scored, with every office's schedule: a decision letter's reason tells its place in
    # its office's ranking, as at a real publication.
    cohort = national_world()
    applications = list(
        cohort.applications.select_related("municipality").order_by("municipality__number")[:count]
    )
    outcomes = [Outcome.SELECTED, Outcome.RESERVE, Outcome.NOT_SELECTED]
    for index, application in enumerate(applications):
        application.reference = f"LMP{cohort.number}-{application.municipality.number}-1"
        application.submitted_at = timezone.now()
        Decision.objects.get_or_create(
            application=application,
            defaults={"outcome": outcomes[index % 3], "reason": "Vurdert etter kriteriene."},
        )
    Application.objects.bulk_update(applications, ["reference", "submitted_at"])
    return cohort, applications


def _fresh_letters(cohort, applications, tag):
    Letter.objects.filter(cohort=cohort).delete()
    kinds = {
        Outcome.SELECTED: LetterKind.DECISION_SELECTED,
        Outcome.RESERVE: LetterKind.DECISION_RESERVE,
        Outcome.NOT_SELECTED: LetterKind.DECISION_NOT_SELECTED,
    }
    decisions = {d.application_id: d for d in Decision.objects.filter(application__in=applications)}
    return [
        request_letter(
            kind=kinds[decisions[a.pk].outcome],
            cohort=cohort,
            municipality=a.municipality,
            application=a,
            reference=f"{a.reference}-{tag}",
        )[0]
        for a in applications
    ]


def bench_letter_service(stdout, *, rounds=ROUNDS):
    """Time per letter of generate_letter against html_to_pdf of the same letter's HTML alone,
    interleaved letter by letter, with the ratio of each round.

    Every letter's HTML is rendered before the rounds, so that neither side finds the
    database or the templates warmer than the other; the side that goes first changes from
    round to round (the second finds WeasyPrint's and Pango's caches warm from the first on
    the same text). The service's time is split into its PDF (the same call as the other
    side) and the rest: the queries, the HTML, the storage and the save."""
    cohort, applications = _decided_applications(rounds + 2)
    letters = _fresh_letters(cohort, applications, "tjeneste")
    # Warm the font configuration and the templates on both sides.
    html_to_pdf(render_letter_html(letters[0])[1])
    generate_letter(letter_id=letters[1].pk)
    letters = letters[2:]
    htmls = [render_letter_html(letter)[1] for letter in letters]
    in_service = []

    def timed_pdf(html):
        started = time.perf_counter()
        result = render_pdf(html)
        in_service.append(time.perf_counter() - started)
        return result

    samples = {"service": Samples(), "alone": Samples()}
    with mock.patch.object(services, "render_pdf", timed_pdf):
        for index, (letter, html) in enumerate(zip(letters, htmls, strict=True)):
            sides = [
                ("service", lambda letter=letter: generate_letter(letter_id=letter.pk)),
                ("alone", lambda html=html: html_to_pdf(html)),
            ]
            for name, run in sides if index % 2 == 0 else reversed(sides):
                samples[name].add(*measure(run))
    ratio = ratios(samples["service"], samples["alone"])
    rest = Samples()
    for wall, pdf in zip(samples["service"].wall, in_service, strict=True):
        rest.add(wall - pdf, 0.0)
    stdout.write(
        f"brev ({connection.vendor}, {rounds} runder vekselvis): tjenesten "
        f"{samples['service'].spread()}; WeasyPrint alene {samples['alone'].spread()}; "
        f"forhold {ratio_text(ratio)} (mål: høyst 1,10); i tjenesten er PDF-en "
        f"{statistics.median(in_service) * 1000:.1f} ms og resten (spørringer, HTML, lagring) "
        f"{rest.median * 1000:.1f} ms (p25–p75 {rest.quantile(0.25) * 1000:.1f}–"
        f"{rest.quantile(0.75) * 1000:.1f})"
    )


def _worker(concurrency, env):
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "--quiet", "--app", "laeringsmiljo",
         "worker", "--concurrency", str(concurrency), "--without-gossip", "--without-mingle",
         "--loglevel", "WARNING"],
        cwd=BASE_DIR,
        env=env,
    )  # fmt: skip


def bench_letter_workers(stdout):
    """Letters per second for 100 decision letters with one and with two worker processes."""

    db = connection.settings_dict
    if not os.environ.get("CELERY_BROKER_URL") or db["ENGINE"] != "django.db.backends.postgresql":
        stdout.write(
            "brev per sekund: hoppet over; krever DATABASE_URL (PostgreSQL) og "
            "CELERY_BROKER_URL (Redis), slik .ci/run setter dem"
        )
        return
    cohort, applications = _decided_applications(BATCH)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "laeringsmiljo.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PRIVATE_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        for processes in (1, 2):
            app.control.purge()  # nothing left over from an earlier run
            letters = _fresh_letters(cohort, applications, f"p{processes}")
            worker = _worker(processes, env)
            try:
                while not app.control.ping(timeout=0.5):
                    time.sleep(0.2)
                started = time.perf_counter()
                ids = [letter.pk for letter in letters]
                queue_letters(ids)  # outside a transaction: queued at once
                while Letter.objects.filter(pk__in=ids, status=Letter.Status.PENDING).exists():
                    time.sleep(0.1)
                elapsed = time.perf_counter() - started
            finally:
                worker.terminate()
                worker.wait(timeout=60)
            made = Letter.objects.filter(pk__in=ids, status=Letter.Status.GENERATED).count()
            stdout.write(
                f"vedtaksbrev med {processes} arbeiderprosess(er): {made} brev på {elapsed:.1f} s, "
                f"{made / elapsed:.1f} brev per sekund"
            )
    finally:
        app.conf.task_always_eager = previous
