"""Fixtures of the browser tests: Chromium through Playwright's sync API, the live server with
its static files, the cohort's people, and a Celery worker where CI provides a broker.

Without Chromium the tests fail and say which package is missing; SKIP_E2E=1 skips them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.browser import (
    DEFAULT_CHROMIUM,
    MISSING_CHROMIUM,
    SKIP_VARIABLE,
    chromium_path,
    launch,
    skip_requested,
)
from tests.e2e.cohort import PASSWORD, build_scenario
from tests.e2e.pages import ARTEFACTS, Site

BASE_DIR = Path(__file__).resolve().parents[2]
REPORT_KEY = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(REPORT_KEY, {})[report.when] = report
    return report


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all the browser tests."""
    if skip_requested():
        pytest.skip(f"{SKIP_VARIABLE} er satt: nettlesertestene hoppes over")
    if chromium_path() is None:
        pytest.fail(
            MISSING_CHROMIUM.format(path=os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM),
            pytrace=False,
        )
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an event loop marked as running in this thread, and
        # Django then refuses ORM calls here. Nothing in these tests is async: allow them.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright = sync_playwright().start()
        try:
            chromium = launch(playwright)
            yield chromium
            chromium.close()
        finally:
            playwright.stop()


@pytest.fixture
def page(browser, request):
    """A fresh browser tab with its own cookies, in Norwegian. A JavaScript error, an error in
    the console (a violation of the Content-Security-Policy is one) or a server error (5xx) on
    any page fails the test; a failing test leaves a screenshot of where it stopped."""
    context = browser.new_context(
        locale="nb-NO", viewport={"width": 1280, "height": 900}, timezone_id="Europe/Oslo"
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(f"{tab.url}: {error}"))
    # Pages a test opens to see their 403 or 404: Chromium logs the status in the console too.
    refused_pages = set()

    def server_error(response):
        if response.status >= 500:
            errors.append(f"{response.request.method} {response.url}: {response.status}")
        elif response.status >= 400 and response.request.resource_type == "document":
            refused_pages.add(response.url)

    def console_error(message):
        if message.type != "error":
            return
        if message.text.startswith("Failed to load resource") and (
            message.location.get("url") in refused_pages
        ):
            return
        where = message.location.get("url") or tab.url
        errors.append(f"{tab.url}: konsollen: {message.text} ({where})")

    tab.on("response", server_error)
    tab.on("console", console_error)
    yield tab
    reports = request.node.stash.get(REPORT_KEY, {})
    if "call" in reports and reports["call"].failed:
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=ARTEFACTS / f"feil-{request.node.name}.png", full_page=True)
    context.close()
    assert errors == [], "Feil i nettleseren eller på tjeneren:\n" + "\n".join(errors)


@pytest.fixture
def scenario(transactional_db):
    return build_scenario()


@pytest.fixture
def site(page, live_server, scenario):
    """The service as its users meet it, served by the live server (static files included).
    site.log_in_as(who) logs in as one of the scenario's people."""
    return Site(
        page,
        live_server.url,
        user_texts=scenario.texts,
        people={who: (user.username, PASSWORD) for who, user in scenario.users.items()},
    )


@pytest.fixture
def task_worker(scenario, settings):
    """A real Celery worker against the test database when CI provides Redis and PostgreSQL
    (CELERY_BROKER_URL and DATABASE_URL); otherwise tasks run eagerly in the live server, and
    this is None. Either way, what a task does is in the database when it has run."""
    broker = os.environ.get("CELERY_BROKER_URL")
    db = settings.DATABASES["default"]
    if not broker or db["ENGINE"] != "django.db.backends.postgresql":
        yield None
        return
    from laeringsmiljo.celery import app

    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "laeringsmiljo.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": (
            f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "DATABASE_CONN_MAX_AGE": "0",
        "PRIVATE_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "--quiet",
            "--app",
            "laeringsmiljo",
            "worker",
            "--pool",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "WARNING",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    for _ in range(60):
        if worker.poll() is not None:
            pytest.fail(f"Celery-arbeideren stoppet med kode {worker.returncode}", pytrace=False)
        if app.control.ping(timeout=0.5):
            break
    else:
        worker.kill()
        worker.wait()
        pytest.fail("Celery-arbeideren svarte ikke innen 30 sekunder", pytrace=False)
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield worker
    finally:
        app.conf.task_always_eager = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
