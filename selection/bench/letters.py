"""Benchmarks of the letters: the whole service per letter against WeasyPrint alone, and letters
per second with one and with two Celery worker processes (needs PostgreSQL and Redis)."""

import os
import statistics
import subprocess
import sys
import time
from functools import partial
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
from selection.letters.services import (
    LETTERS_PER_TASK,
    generate_letter,
    generate_letters,
    remember_reasons,
    render_letter_html,
    request_letter,
)
from selection.letters.tasks import queue_letters
from selection.process.models import Decision, Outcome

BASE_DIR = Path(settings.BASE_DIR)
ROUNDS = 20
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
    letters = [
        request_letter(
            kind=kinds[decisions[a.pk].outcome],
            cohort=cohort,
            municipality=a.municipality,
            application=a,
            reference=f"{a.reference}-{tag}",
        )[0]
        for a in applications
    ]
    # As the decision letters' batch orders them: each with its reason, assembled for the
    # whole cohort at once.
    remember_reasons(letters, cohort=cohort)
    return letters


def bench_letter_service(stdout, *, rounds=ROUNDS):
    """Time per letter of the service, making letters as its tasks do (LETTERS_PER_TASK at a
    time, generate_letters), against html_to_pdf of the same letters' HTML alone, interleaved
    task by task, with the ratio of each round.

    Every letter's HTML is rendered before the rounds, so that neither side finds the
    database or the templates warmer than the other; the side that goes first changes from
    round to round (the second finds WeasyPrint's and Pango's caches warm from the first on
    the same text). The service's time is split into its PDFs (the same call as the other
    side) and the rest: the queries, the HTML, the storage and the saves. The reasons are
    assembled when the letters are ordered, for the whole cohort at once, as the batch of
    decision letters does; that time is given per letter beside."""
    size = LETTERS_PER_TASK
    cohort, applications = _decided_applications(rounds * size + 2)
    ordered = time.perf_counter()
    letters = _fresh_letters(cohort, applications, "tjeneste")
    ordered = (time.perf_counter() - ordered) / len(letters)
    # Warm the font configuration and the templates on both sides.
    html_to_pdf(render_letter_html(letters[0])[1])
    generate_letter(letter_id=letters[1].pk)
    letters = letters[2:]
    htmls = [render_letter_html(letter)[1] for letter in letters]
    in_service = []

    def timed_pdf(html):
        started = time.perf_counter()
        result = render_pdf(html)
        in_service[-1] += time.perf_counter() - started
        return result

    def service(ids):
        in_service.append(0.0)
        made = list(generate_letters(letter_ids=ids))
        assert all(letter.status == Letter.Status.GENERATED for _id, letter in made), made

    def alone(chunk):
        for html in chunk:
            html_to_pdf(html)

    samples = {"service": Samples(), "alone": Samples()}
    with mock.patch.object(services, "render_pdf", timed_pdf):
        for index in range(rounds):
            ids = [letter.pk for letter in letters[index * size : (index + 1) * size]]
            chunk = htmls[index * size : (index + 1) * size]
            sides = [("service", partial(service, ids)), ("alone", partial(alone, chunk))]
            for name, run in sides if index % 2 == 0 else reversed(sides):
                wall, cpu = measure(run)
                samples[name].add(wall / size, cpu / size)
    ratio = ratios(samples["service"], samples["alone"])
    rest = Samples()
    for wall, pdf in zip(samples["service"].wall, in_service, strict=True):
        rest.add(wall - pdf / size, 0.0)
    stdout.write(
        f"brev ({connection.vendor}, {rounds} runder vekselvis med {size} brev i hver, tid per "
        f"brev): tjenesten {samples['service'].spread()}; WeasyPrint alene "
        f"{samples['alone'].spread()}; forhold {ratio_text(ratio)} (mål: høyst 1,10); i "
        f"tjenesten er PDF-en {statistics.median(in_service) / size * 1000:.1f} ms og resten "
        f"(spørringer, HTML, lagring) {rest.median * 1000:.1f} ms (p25–p75 "
        f"{rest.quantile(0.25) * 1000:.1f}–{rest.quantile(0.75) * 1000:.1f}); bestillingen med "
        f"begrunnelsene {ordered * 1000:.1f} ms per brev"
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
