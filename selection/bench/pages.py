"""The pages Udir and the offices live in, at national scale: through Django's test client and
through gunicorn on loopback, each interleaved with /helse/ round by round and given as a ratio
to it, so that the machine's load of the moment falls on both.

The data: the 2020 registry with the national generated schools (about 2,800, each with four
school years of survey figures), 356 submitted and scored applications in the current cohort,
and three earlier cohorts' applications that the list of applications must not show at once.
"""

import datetime
import http.client
import logging
import os
import random
import socket
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.models import Application
from laeringsmiljo.models import (
    Cohort,
    GovernorOffice,
    Membership,
    Municipality,
    OfficeSchedule,
    Role,
)
from laeringsmiljo.signin.second_factor import APP_DEVICE_NAME, PASSED
from selection.bench.cohort import _national_cohort, _national_registry
from selection.bench.timing import Samples, measure
from selection.scoring.engine import score_cohort

BASE_DIR = Path(settings.BASE_DIR)
ROUNDS = 15
BIG_OFFICE = "Fylkesmannen i Oslo og Viken"
HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def national_world():
    """The national cohort scored, with every office's schedule, and earlier cohorts."""
    _national_registry()
    cohort = _national_cohort(random.Random(1))
    if not OfficeSchedule.objects.filter(cohort=cohort).exists():
        OfficeSchedule.objects.bulk_create(
            OfficeSchedule(
                cohort=cohort,
                office=office,
                invitation_date=datetime.date(2020, 1, 10),
                application_deadline=datetime.date(2020, 3, 1),
                recommendation_deadline=datetime.date(2020, 3, 20),
                capacity=6,
            )
            for office in GovernorOffice.objects.all()
        )
        applications = list(cohort.applications.select_related("municipality"))
        for application in applications:
            application.reference = f"LMP{cohort.number}-{application.municipality.number}-1"
            application.submitted_at = timezone.now()
            application.submission_count = 1
        Application.objects.bulk_update(
            applications, ["reference", "submitted_at", "submission_count"]
        )
        score_cohort(cohort=cohort, actor=None)
        _earlier_cohorts()
    return cohort


def _earlier_cohorts(count=3):
    municipalities = list(Municipality.objects.order_by("number"))
    for number in range(count):
        cohort = Cohort.objects.create(
            number=800 + number,
            name=f"Tidligere pulje {number + 1}",
            kickoff_date=datetime.date(2016 + number, 4, 21),
            start_date=datetime.date(2016 + number, 9, 1),
            end_date=datetime.date(2018 + number, 6, 30),
        )
        Application.objects.bulk_create(
            Application(
                cohort=cohort,
                municipality=municipality,
                status=Application.Status.SUBMITTED,
                reference=f"LMP{cohort.number}-{municipality.number}-1",
                submitted_at=timezone.now(),
                submission_count=1,
            )
            for municipality in municipalities
        )


def staff_user(username, role, office=None):
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": "Måling", "last_name": role}
    )
    Membership.objects.get_or_create(user=user, role=role, office=office)
    return user


def signed_in_client(user):
    """A test client whose session holds what the password and the app's code leave in it."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)
    session = client.session
    session[PASSED] = device.persistent_id
    session.save()
    return client


def page_list(cohort):
    big = GovernorOffice.objects.get(name=BIG_OFFICE)
    udir = signed_in_client(staff_user("maling-udir", Role.UDIR))
    office = signed_in_client(staff_user("maling-embete", Role.OFFICE, big))
    national = reverse("selection:national", args=[cohort.pk])
    return [
        ("nasjonalt utvalg (Udir)", udir, national),
        (
            f"nasjonalt utvalg, {big.name.removeprefix('Fylkesmannen i ')} (Udir)",
            udir,
            f"{national}?kontor={big.pk}",
        ),
        ("søknadsliste (Udir)", udir, reverse("applications:list")),
        ("poeng for puljen (Udir)", udir, reverse("selection:cohort_scores", args=[cohort.pk])),
        ("grunnlag (Udir)", udir, reverse("selection:evidence")),
        (
            f"rangering, {big.name.removeprefix('Fylkesmannen i ')} (embetet)",
            office,
            reverse("selection:ranking", args=[cohort.pk, big.pk]),
        ),
    ]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        if db["ENGINE"] == "django.db.backends.postgresql"
        else f"sqlite:///{db['NAME']}"
    )


class Loopback:
    """Requests to a server on a loopback port, as a browser behind the HTTPS proxy sends them."""

    def __init__(self, port):
        self.port = port

    def request(self, method, path, *, cookies=None, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            sent = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", **(headers or {})}
            if cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            return response.status, response.read(), response
        finally:
            conn.close()

    def get(self, path, *, cookies=None):
        status, body, _response = self.request("GET", path, cookies=cookies)
        return status, body


class Gunicorn(Loopback):
    """gunicorn on a free loopback port with the service's production settings, against the
    benchmark's database; stopped on leaving."""

    def __init__(self, *, workers=1, threads=1):
        super().__init__(_free_port())
        self.workers = workers
        self.threads = threads

    def __enter__(self):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "laeringsmiljo.settings",
            "DATABASE_URL": database_url(),
            "PRIVATE_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "laeringsmiljo.wsgi:application",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
             "--threads", str(self.threads), "--log-level", "warning"],
            cwd=BASE_DIR,
            env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _body = self.get("/helse/")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("gunicorn startet ikke")
            time.sleep(0.2)
        return self

    def cpu(self):
        """CPU seconds spent so far by gunicorn's worker processes (Linux /proc)."""
        master = self.process.pid
        with open(f"/proc/{master}/task/{master}/children") as children:
            pids = children.read().split()
        ticks = 0
        for pid in pids:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime and stime
        return ticks / CLOCK_TICKS

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def _client_get(client, path):
    response = client.get(path, secure=True, **HTTPS)
    assert response.status_code == 200, (path, response.status_code)
    return response


def bench_pages(stdout, *, rounds=ROUNDS):
    """p50 of each page through the test client and through gunicorn, beside /helse/."""
    # Each sign-in of the benchmark's users would otherwise log a line.
    logging.getLogger("axes").setLevel(logging.WARNING)
    cohort = national_world()
    if connection.vendor == "postgresql":
        # A production database has its tables' statistics (autovacuum analyses them as they
        # fill); one filled a moment ago has none yet, and its plans would be guesses.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    pages = page_list(cohort)
    health = reverse("health")
    anonymous = Client()
    stdout.write(
        f"sider på nasjonal skala ({connection.vendor}; {cohort.applications.count()} søknader i "
        f"puljen, {Application.objects.count()} i alt), {rounds} runder vekselvis med /helse/:"
    )
    sizes, queries = {}, {}
    for name, client, path in pages:
        with CaptureQueriesContext(connection) as captured:
            response = _client_get(client, path)
        sizes[name] = len(response.content)
        queries[name] = len(captured)

    def run_side(label, health_call, calls, cpu_clock=time.process_time):
        helse, timed = Samples(), {name: Samples() for name, *_rest in pages}
        for _round in range(rounds + 1):
            for name, call in calls:
                base = measure(health_call, cpu_clock=cpu_clock)
                sample = measure(call, cpu_clock=cpu_clock)
                if _round:
                    helse.add(*base)
                    timed[name].add(*sample)
        stdout.write(f"  {label}: /helse/ {helse.spread()}")
        for name, *_rest in pages:
            samples = timed[name]
            target = 50 if name.startswith("nasjonalt utvalg") else 25
            stdout.write(
                f"    {name}: {samples.spread()}; ÷ /helse/ {samples.median / helse.median:.0f}×; "
                f"{sizes[name] // 1024} KiB, {queries[name]} spørringer (mål p50 ≤ {target} ms)"
            )

    run_side(
        "testklient",
        lambda: anonymous.get(health, secure=True, **HTTPS),
        [(name, partial(_client_get, client, path)) for name, client, path in pages],
    )
    with Gunicorn() as server:

        def fetch(cookies, path):
            status, _body = server.get(path, cookies=cookies)
            assert status == 200, (path, status)

        run_side(
            "gunicorn (1 arbeider, loopback; CPU i arbeideren)",
            lambda: fetch(None, health),
            [
                (name, partial(fetch, {k: v.value for k, v in client.cookies.items()}, path))
                for name, client, path in pages
            ],
            cpu_clock=server.cpu,
        )
