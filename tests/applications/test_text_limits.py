"""Every free text a case officer reads has a limit: stated, counted in the page, checked."""

import html as html_lib

import pytest
from django.urls import reverse

from applications.forms import TEXT_LIMITS
from applications.models import Application
from applications.sections import EDITABLE
from tests.applications.factories import complete_application
from tests.applications.test_hostile_input import page_data
from tests.factories import municipality_user
from tests.signin import sign_in

# (part, field as posted, limit)
LIMITED = [
    ("kontakt", "postal_address", 300),
    ("motivasjon", "motivation_why", 4000),
    ("motivasjon", "motivation_goals", 4000),
    ("motivasjon", "motivation_priority", 4000),
    ("motivasjon", "skoler-0-motivation", 1500),
    ("motivasjon", "skoler-0-challenges", 1500),
    ("motivasjon", "barnehager-0-motivation", 1500),
    ("barnehager", "lenker-0-challenges", 1500),
]


@pytest.fixture
def application(db):
    return complete_application()


@pytest.fixture
def owner(client, application):
    sign_in(client, municipality_user(application.municipality))
    return client


def test_every_textarea_of_every_part_has_a_limit(application):
    textareas = {
        (slug, field.html_name)
        for slug, section in EDITABLE.items()
        for form in _forms(section.build(application))
        for field in form
        if field.widget_type == "textarea"
    }
    assert textareas == {(slug, name) for slug, name, _ in LIMITED}
    assert set(TEXT_LIMITS.values()) == {300, 1500, 4000}


def _forms(built):
    for item in built.values():
        yield from getattr(item, "forms", [item])


@pytest.mark.parametrize(("slug", "name", "limit"), LIMITED)
def test_a_text_at_its_limit_is_saved_and_one_character_more_is_refused(
    owner, application, slug, name, limit
):
    url = reverse("applications:section", args=[application.pk, slug])
    data = page_data(EDITABLE[slug].build(application))

    over = owner.post(url, {**data, name: "å" * (limit + 1)})
    page = html_lib.unescape(over.content.decode())
    assert over.status_code == 200
    shown = f"{limit:,}".replace(",", "\xa0")
    assert f"kan være på høyst {shown} tegn, men teksten har " in page
    assert "Kort den ned med 1 tegn." in page
    assert Application.objects.get(pk=application.pk).revisions == {}

    # A line break counts once, as in the page, although the browser sends two characters.
    at_limit = "å" * (limit - 11) + "\r\n" + "å" * 10
    saved = owner.post(url, {**data, name: at_limit})
    assert saved.status_code == 302
    assert Application.objects.get(pk=application.pk).revisions == {slug: 1}


@pytest.mark.parametrize(("slug", "name", "limit"), LIMITED)
def test_the_page_states_the_limit_and_gives_the_counter_its_texts(
    owner, application, slug, name, limit
):
    response = owner.get(reverse("applications:section", args=[application.pk, slug]))
    page = html_lib.unescape(response.content.decode())
    shown = f"{limit:,}".replace(",", "\xa0")
    assert f"Høyst {shown} tegn." in page
    textarea = page[page.index(f'name="{name}"') - 300 : page.index(f'name="{name}"') + 300]
    assert f'data-maxlength="{limit}"' in textarea
    assert 'data-count-text="{count} av {limit} tegn"' in textarea
    assert 'data-over-text="{count} av {limit} tegn – {over} for mange"' in textarea
    assert "maxlength=" not in textarea.replace("data-maxlength=", "")
    assert '<script src="/static/js/character-count.js"></script>' in page
