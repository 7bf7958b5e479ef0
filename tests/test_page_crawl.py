"""A crawl of the main pages of each role, in both languages, following the links each person
sees from their start page: every page names what it shows (a title of its own, never empty),
a nynorsk page shows no bokmål outside what is marked lang="nb" (file headers as they stand
in the files, a letter in bokmål) and the users' own data, and every table scrolls in a region
of its own (tests/e2e/test_layout.py checks the same pages in the browser at 320 px)."""

from collections import defaultdict

import pytest
from django.conf import settings
from django.utils.html import escape

from selection.models import Letter
from tests.crawl import build_world, crawl_every_role
from tests.html import tables_outside_scroll_regions, text_in_language, title
from tests.nynorsk import bokmal_words
from tests.signin import sign_in

SITE_TITLE = "Læringsmiljøprosjektet"


@pytest.fixture
def world(db):
    return build_world()


def test_every_page_of_every_role_has_a_title_of_its_own(client, world):
    pages = {}
    for language in ("nb", "nn"):
        for (_who, path), html in crawl_every_role(client, world, language).items():
            pages.setdefault(language, {}).setdefault(path, set()).add(title(html))
    for language, titles in pages.items():
        by_title = defaultdict(set)
        for path, page_titles in titles.items():
            for page_title in page_titles:
                by_title[page_title].add(path)
        empty = {
            path
            for path, page_titles in titles.items()
            for t in page_titles
            if not t or t.startswith("–") or t == SITE_TITLE
        }
        assert empty == set(), f"{language}: sider uten egen tittel: {sorted(empty)}"
        shared = {t: sorted(paths) for t, paths in by_title.items() if len(paths) > 1}
        assert shared == {}, f"{language}: sider med samme tittel:\n" + "\n".join(
            f"{t}: {' '.join(paths)}" for t, paths in sorted(shared.items())
        )
    assert len(pages["nb"]) > 40


def test_no_page_in_nynorsk_shows_bokmal_outside_what_is_marked_as_bokmal(client, world):
    found = {}
    for (who, path), html in crawl_every_role(client, world, "nn").items():
        assert '<html lang="nn">' in html
        words = bokmal_words(text_in_language(html, "nn"), ignore=world.texts)
        if words:
            found[f"{who or 'anonym'} {path}"] = words
    assert found == {}, "bokmål på nynorske sider:\n" + "\n".join(
        f"{page}: {', '.join(words)}" for page, words in sorted(found.items())
    )


def test_every_table_is_in_a_scroll_region_the_keyboard_reaches(client, world):
    unwrapped = {
        path: tables
        for (_who, path), html in crawl_every_role(client, world, "nb").items()
        if (tables := tables_outside_scroll_regions(html))
    }
    assert unwrapped == {}


def test_a_letter_in_bokmal_is_marked_as_bokmal_on_a_nynorsk_page(client, world):
    subjects = list(
        Letter.objects.filter(municipality=world.neighbour, status=Letter.Status.GENERATED)
        .order_by("pk")
        .values_list("subject", flat=True)
    )
    assert len(subjects) == 3  # two invitations and the decision
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    sign_in(client, world.users["neighbour"])
    page = client.get("/kommune/").content.decode()
    assert [f'<span lang="nb">{escape(subject)}</span>' in page for subject in subjects] == [
        True
    ] * len(subjects)
