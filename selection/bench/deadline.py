"""The application deadline: signed-in municipalities each open their contact part, save it and
send the application in, all within one minute, against gunicorn on loopback with production
settings. Bounded (every request has a time-out, the whole run a limit), and checked after:
every application sent exactly once, no request refused or failed.

Beside it, how many password sign-ins per second the machine takes (the hash's cost decides
it): sign-ins through the login page by a few clients at once for a few seconds.
"""

import datetime
import random
import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from applications.completeness import problems
from applications.models import Application, ApplicationKindergarten, ApplicationSchool
from laeringsmiljo.models import GovernorOffice, Membership, OfficeSchedule, PPTService, Role
from selection.bench.cohort import _national_cohort, _national_registry
from selection.bench.pages import Gunicorn, signed_in_client
from selection.bench.timing import Samples

MUNICIPALITIES = 100
WINDOW = 60  # seconds in which they all arrive
LIMIT = 180  # seconds the whole load may take
PASSWORD = "passord-for-maling-123"
SIGNIN_SECONDS = 8
SIGNIN_CLIENTS = 4


def deadline_world(count=MUNICIPALITIES):
    """`count` complete drafts in an open cohort, each with a municipality user of its own."""
    _national_registry()
    cohort = _national_cohort(random.Random(1))
    today = timezone.localdate()
    for office in GovernorOffice.objects.all():
        OfficeSchedule.objects.update_or_create(
            cohort=cohort,
            office=office,
            defaults={
                "invitation_date": today - datetime.timedelta(days=14),
                "application_deadline": today + datetime.timedelta(days=7),
                "recommendation_deadline": today + datetime.timedelta(days=21),
                "capacity": 6,
            },
        )
    ppt = {}
    for service in PPTService.objects.prefetch_related("municipalities"):
        for municipality in service.municipalities.all():
            ppt.setdefault(municipality.pk, service.pk)
    applications = list(
        cohort.applications.select_related("municipality").order_by("municipality__number")
    )
    for application in applications:
        application.status = Application.Status.DRAFT
        application.submission_count = 0
        application.reference = ""
        application.submitted_at = None
        application.contact_name = "Kari Kontakt"
        application.contact_role = "Kommunalsjef"
        application.contact_email = "kari@kommune.example"
        application.contact_phone = "22 33 44 55"
        application.postal_address = "Postboks 1\n0001 Kommunen"
        application.ppt_service_id = ppt.get(application.municipality_id)
        application.ppt_contact_name = "Per PPT"
        application.ppt_contact_email = "per@ppt.example"
        application.motivation_why = "Vi vil bli bedre."
        application.motivation_goals = "Et trygt miljø for alle."
        application.motivation_priority = "Høyt."
    Application.objects.bulk_update(
        applications,
        [
            "status",
            "submission_count",
            "reference",
            "submitted_at",
            "contact_name",
            "contact_role",
            "contact_email",
            "contact_phone",
            "postal_address",
            "ppt_service",
            "ppt_contact_name",
            "ppt_contact_email",
            "motivation_why",
            "motivation_goals",
            "motivation_priority",
        ],
    )
    ApplicationSchool.objects.filter(application__cohort=cohort).update(motivation="Vi er klare.")
    ApplicationKindergarten.objects.filter(application__cohort=cohort).update(
        motivation="Vi er klare.", challenges="Mange nye barn."
    )
    chosen = [a for a in applications if not problems(a)][:count]
    users = []
    User = get_user_model()
    for application in chosen:
        user, _created = User.objects.get_or_create(
            username=f"frist-{application.municipality.number}"
        )
        user.set_password(PASSWORD)
        user.save()
        Membership.objects.get_or_create(
            user=user, role=Role.MUNICIPALITY, municipality=application.municipality
        )
        users.append(user)
    return chosen, users


class _Form(HTMLParser):
    """The fields a browser would post from the form whose action is `action` (the page's
    own address, for a form without one)."""

    def __init__(self, action):
        super().__init__()
        self.action, self.inside, self.fields = action, False, []
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            # A form without an action posts to the page it is on.
            self.inside = unescape(attrs.get("action") or self.action) == self.action
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file") or (
                kind in ("checkbox", "radio") and "checked" not in attrs
            ):
                return
            self.fields.append(
                (attrs["name"], attrs.get("value") or ("on" if kind == "checkbox" else ""))
            )
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            # As in a browser: the newline right after <textarea> is not part of the value.
            self.fields.append((name, value.removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def form_fields(html, action):
    parser = _Form(action)
    parser.feed(html)
    return parser.fields


class Visitor:
    """One browser: its cookies, and the wall time of each request it made."""

    def __init__(self, server, cookies, times, errors):
        self.server, self.cookies, self.times, self.errors = server, dict(cookies), times, errors

    def request(self, method, path, fields=None, expect=(200, 302)):
        body = urlencode(fields) if fields is not None else None
        headers = {"Origin": "https://127.0.0.1", "Referer": f"https://127.0.0.1{path}"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            status, content, response = self.server.request(
                method, path, cookies=self.cookies, body=body, headers=headers
            )
        except OSError as error:
            self.errors.append(f"{method} {path}: {error}")
            return None, ""
        self.times.append(time.perf_counter() - started)
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if status not in expect:
            self.errors.append(f"{method} {path}: {status}")
        return response, content.decode()


def _token(html):
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


def _apply(server, application, cookies, times, errors):
    visitor = Visitor(server, cookies, times, errors)
    section = reverse("applications:section", args=[application.pk, "kontakt"])
    _response, page = visitor.request("GET", section, expect=(200,))
    fields = form_fields(page, section) or [("csrfmiddlewaretoken", _token(page))]
    visitor.request("POST", section, fields, expect=(302,))
    # The submission page, where the contact person declares the application right and sends.
    submit = reverse("applications:submit", args=[application.pk])
    _response, page = visitor.request("GET", submit, expect=(200,))
    fields = form_fields(page, submit) + [("bekreftet", "on")]
    visitor.request("POST", submit, fields, expect=(302,))


def _sign_ins(server, users, seconds, clients):
    """Password sign-ins through the login page, `clients` at once, for `seconds`."""
    login = reverse("login")
    done, errors, lock = [], [], threading.Lock()
    stop = time.monotonic() + seconds

    def one(user):
        visitor = Visitor(server, {}, [], errors)
        _response, page = visitor.request("GET", login, expect=(200,))
        fields = [
            ("csrfmiddlewaretoken", _token(page)),
            ("username", user.username),
            ("password", PASSWORD),
        ]
        response, _page = visitor.request("POST", login, fields, expect=(302,))
        if response is not None and response.status == 302:
            with lock:
                done.append(visitor.times[-1])

    def worker(offset):
        index = offset
        while time.monotonic() < stop:
            one(users[index % len(users)])
            index += clients

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    elapsed = time.perf_counter() - started
    return len(done) / elapsed, done, errors


def bench_deadline(stdout, *, count=MUNICIPALITIES, window=WINDOW):
    """p95 of the requests of `count` municipalities saving and sending within `window` s."""
    applications, users = deadline_world(count)
    if len(applications) < count:
        stdout.write(f"frist: bare {len(applications)} komplette utkast; måler med dem")
    sessions = [{k: v.value for k, v in signed_in_client(user).cookies.items()} for user in users]
    times, errors = [], []
    with Gunicorn(workers=3) as server:
        start = time.monotonic()

        def arrive(index):
            delay = start + index * window / len(applications) - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if time.monotonic() - start < LIMIT:
                _apply(server, applications[index], sessions[index], times, errors)

        with ThreadPoolExecutor(max_workers=len(applications)) as pool:
            list(pool.map(arrive, range(len(applications))))
        elapsed = time.monotonic() - start
        rate, signin_times, signin_errors = _sign_ins(server, users, SIGNIN_SECONDS, SIGNIN_CLIENTS)
    sent = Application.objects.filter(pk__in=[a.pk for a in applications])
    once = sent.filter(status=Application.Status.SUBMITTED, submission_count=1).count()
    samples = Samples(wall=sorted(times), cpu=[0.0] * len(times))
    stdout.write(
        f"frist ({len(applications)} kommuner innen {window} s mot gunicorn med 3 arbeidere): "
        f"{len(times)} forespørsler på {elapsed:.1f} s, p50 {samples.median * 1000:.0f} ms, "
        f"p95 {samples.quantile(0.95) * 1000:.0f} ms, maks {max(times, default=0) * 1000:.0f} ms "
        f"(mål p95 ≤ 300 ms); {len(errors)} feil; sendt inn nøyaktig én gang: {once} av "
        f"{len(applications)}"
    )
    for error in errors[:5]:
        stdout.write(f"  feil: {error}")
    stdout.write(
        f"innlogging med passord ({SIGNIN_CLIENTS} samtidige, {SIGNIN_SECONDS} s): "
        f"{rate:.1f} innlogginger per sekund, median "
        f"{statistics.median(signin_times or [0]) * 1000:.0f} ms per innlogging; "
        f"{len(signin_errors)} feil"
    )
