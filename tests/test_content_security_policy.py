"""The Content-Security-Policy on every page: each role's pages, crawled from its start page by
following links, carry the policy, and none has an inline script, event handler or style that
the policy would block (the browser tests fail on the console errors it would give)."""

import re
from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest

from tests.signin import sign_in
from tests.world import build_world

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# (who, where the crawl starts, how many pages at most)
CRAWLS = [
    (None, ["/", "/konto/logg-inn/", "/konto/passord/nullstill/"], 8),
    ("no_role", ["/"], 5),
    ("municipality", ["/"], 40),
    ("neighbour", ["/"], 25),
    ("office", ["/", "/utvelging/grunnlag/"], 50),
    ("udir", ["/"], 45),
    ("admin", ["/admin/"], 40),
]
HREF = re.compile(r"""\bhref=["']([^"'#]+)""")
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=[\"']application/json)[^>]*>")
EVENT_HANDLER = re.compile(r"<[^>]+\s on[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b", re.IGNORECASE)


def policy(response):
    """The response's Content-Security-Policy as {directive: sources}; None without one."""
    header = response.get("Content-Security-Policy")
    if header is None:
        return None
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def _links(path, html):
    for href in HREF.findall(html):
        url = urljoin(path, unescape(href))
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith("/static/"):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, start, limit):
    """(path, response) for up to `limit` pages reached from `start` by links and redirects."""
    queue, seen, pages = deque(start), set(), []
    while queue and len(pages) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        pages.append((path, response))
        if response.status_code in (301, 302):
            queue.appendleft(urljoin(path, response["Location"]))
        elif response.get("Content-Type", "").startswith("text/html"):
            queue.extend(_links(path, response.content.decode()))
    return pages


@pytest.fixture
def world(db, settings):
    # Without DEBUG, as in production: the error pages carry the policy too.
    settings.DEBUG = False
    return build_world()


@pytest.mark.parametrize(
    ("who", "start", "limit"), CRAWLS, ids=[c[0] or "anonymous" for c in CRAWLS]
)
def test_every_page_carries_the_policy_and_nothing_inline(client, world, who, start, limit):
    if who:
        sign_in(client, world.users[who])
    pages = crawl(client, start, limit)
    without = [path for path, response in pages if policy(response) != POLICY]
    assert without == []
    inline = [
        (path, pattern.pattern)
        for path, response in pages
        if response.get("Content-Type", "").startswith("text/html")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, STYLE_ATTRIBUTE, INLINE_STYLE)
        if pattern.search(response.content.decode())
    ]
    assert inline == []


def test_a_not_found_page_and_a_download_carry_the_policy(client, world):
    sign_in(client, world.users["municipality"])
    assert policy(client.get("/finnes-ikke/")) == POLICY
    draft, attachment = world.world["draft"], world.world["attachment"]
    response = client.get(f"/soknader/{draft.pk}/vedlegg/{attachment.pk}/")
    assert response.status_code == 200
    assert policy(response) == POLICY


def test_the_letter_preview_may_apply_its_own_style_and_no_other(client, world):
    import base64
    import hashlib

    from selection.models import LetterTemplate

    sign_in(client, world.users["admin"])
    template = LetterTemplate.objects.filter(kind="invitation").first()
    url = f"/admin/selection/lettertemplate/{template.pk}/forhandsvis/"
    [case, *_others] = client.get(url).context["cases"]
    response = client.get(url, {"sak": case[0]})
    html = response.content.decode()
    css = html.split("<style>", 1)[1].split("</style>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert policy(response) == {**POLICY, "style-src": ["'self'", f"'sha256-{digest}'"]}


def test_the_icon_is_found_where_browsers_look_for_it(client, db):
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, "/static/img/favicon.svg")
    from django.contrib.staticfiles import finders

    assert finders.find("img/favicon.svg") is not None
