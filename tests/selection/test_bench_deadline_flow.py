"""The deadline benchmark's municipality does what its user does (opens the contact part, saves
it, opens the submission page, declares the application right and sends it), so that the load
the benchmark measures cannot drift from the service unnoticed: against a live server the
application ends submitted exactly once, with no request refused."""

import pytest

from applications.models import Application
from selection.bench.deadline import _apply
from selection.bench.pages import Loopback
from tests.applications.factories import complete_application
from tests.factories import municipality_user


@pytest.mark.django_db(transaction=True)
def test_the_deadline_benchmarks_municipality_submits_its_application_once(
    live_server, client, settings
):
    # As in production behind its HTTPS proxy, which the benchmark's requests say they came
    # through.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    application = complete_application()
    client.force_login(municipality_user(application.municipality))
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    times, errors = [], []
    _apply(Loopback(live_server.thread.port), application, cookies, times, errors)
    assert errors == []
    assert len(times) == 4  # the contact part, its save, the submission page, the sending
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.submission_count == 1
