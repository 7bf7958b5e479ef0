"""The signatories' side of the commitments, as a test drives it: the contact person sends
the requests, and each signatory answers through the link in their e-mail, in a browser of
their own, without an account."""

import re

from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

LINK = re.compile(r"https?://[^/\s]+(/soknader/forpliktelse/(\d+)/([A-Za-z0-9_-]+)/)")


def link_in(message):
    """(path, commitment pk, token) of the link in a request e-mail."""
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1), int(match.group(2)), match.group(3)


def send_requests(client, application):
    """Press «Send forespørsler»; returns the e-mails it sent."""
    before = len(mail.outbox)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("applications:request_commitments", args=[application.pk]), follow=True
        )
    assert response.status_code == 200
    return mail.outbox[before:]


def answer(message, *, confirm=True, comment="", browser=None):
    """Open the e-mail's link and answer; returns the response to the answer."""
    browser = browser or Client()
    path, _pk, _token = link_in(message)
    assert browser.get(path).status_code == 302
    page = browser.get(reverse("applications:commitment"))
    assert page.status_code == 200, page.content.decode()[:2000]
    return browser.post(
        reverse("applications:commitment"),
        {
            "answer": "bekreftet" if confirm else "avslatt",
            "comment": comment,
            "text": page.context["digest"],
        },
    )


def everyone_confirms(client, application):
    """Send the requests, and every signatory confirms."""
    messages = send_requests(client, application)
    assert messages
    for message in messages:
        response = answer(message)
        assert response.status_code == 200, response.content.decode()[-3000:]
    return messages
