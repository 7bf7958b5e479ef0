"""Two «Send inn» at the same moment (a double click, or two people of the municipality), each
request in its own thread with its own database connection, with real commits: on SQLite (a
file, as the embedded default) and, where DATABASE_URL is set, on PostgreSQL."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from applications.models import Application
from applications.signals import application_submitted
from laeringsmiljo.models import AuditEvent
from tests.applications.factories import complete_application
from tests.factories import municipality_user
from tests.signin import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("migration_data")]


def test_two_simultaneous_submissions_send_once_and_the_other_is_told(settings):
    assert "memory" not in connections["default"].settings_dict["NAME"]
    application = complete_application()
    user = municipality_user(application.municipality)
    clients = [Client(raise_request_exception=False) for _ in range(2)]
    for client in clients:
        sign_in(client, user)
    url = reverse("applications:submit", args=[application.pk])
    start = threading.Barrier(2)
    answered = threading.Event()
    pages = [None, None]
    landed = [None, None]

    def hold_open(sender, application, **kwargs):
        # The first submission keeps its transaction open until the other request has had its
        # answer (or for three seconds if it waits for the lock), so the two truly overlap.
        answered.wait(timeout=3)

    def click(index):
        try:
            start.wait()
            response = clients[index].post(url, {"bekreftet": "on"}, follow=True)
            pages[index] = (response.status_code, response.content.decode())
            landed[index] = response.redirect_chain[-1][0] if response.redirect_chain else None
        finally:
            answered.set()
            connections.close_all()

    application_submitted.connect(hold_open, weak=False, dispatch_uid="test.hold_open")
    try:
        threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        application_submitted.disconnect(dispatch_uid="test.hold_open")

    application = Application.objects.get(pk=application.pk)
    assert [status for status, _ in pages] == [200, 200]
    assert landed == [reverse("applications:receipt", args=[application.pk])] * 2
    sent = [html for _, html in pages if "Søknaden er sendt inn." in html]
    told = [
        html
        for _, html in pages
        if f"Søknaden er allerede sendt inn med referanse {application.reference}." in html
    ]
    assert (len(sent), len(told)) == (1, 1)
    assert (application.status, application.submission_count) == ("sendt", 1)
    assert AuditEvent.objects.filter(action="application.submitted").count() == 1
