"""A decision letter's reason is assembled for the whole cohort when its letters are ordered, and
the letter made from it says exactly what assembling it alone would have said; a letter made
on another day than the one its office's name was taken from assembles it again."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from selection.letters.services import REASONED_KINDS, generate_letter, remember_reasons
from selection.models import Letter
from selection.process import decisions
from tests.selection.process.helpers import add_office, published_cohort
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


def _text(letter):
    with letter.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _published(count, callbacks):
    with callbacks(execute=True):
        return published_cohort(count, capacity=1)


def _alone(letter, day):
    return decisions.decision_reason(
        application=letter.application, language=letter.language, day=day
    )


def test_every_decision_letter_is_ordered_with_the_reason_it_would_assemble_alone(
    django_capture_on_commit_callbacks,
):
    ranked = _published(3, django_capture_on_commit_callbacks)
    letters = list(
        Letter.objects.filter(application__in=ranked, kind__in=REASONED_KINDS).select_related(
            "application__municipality__county__office", "application__decision"
        )
    )
    assert len(letters) == 3
    today = timezone.localdate()
    for letter in letters:
        assert letter.reason_date == today
        assert letter.reason == _alone(letter, today)
        assert "rangerte søknaden som nr." in letter.reason
        assert letter.status == Letter.Status.GENERATED
        # The letter made from the stored reason says it, paragraph for paragraph.
        for paragraph in letter.reason.split("\n\n"):
            assert " ".join(paragraph.split()) in _text(letter)


def test_reasons_for_a_cohort_of_two_offices_in_both_malformer(django_capture_on_commit_callbacks):
    ranked = _published(2, django_capture_on_commit_callbacks)
    cohort = ranked[0].cohort
    others = add_office(cohort, 2, capacity=1)
    for application in others:
        application.municipality.written_standard = "nn"
        application.municipality.save()
    Letter.objects.filter(cohort=cohort, kind__in=REASONED_KINDS).update(
        status=Letter.Status.PENDING, reason=""
    )
    letters = list(
        Letter.objects.filter(cohort=cohort, kind__in=REASONED_KINDS).select_related(
            "application__municipality__county__office", "application__decision"
        )
    )
    # The second office's applications have no decision: they get no letter reason.
    assert remember_reasons(letters, cohort=cohort) == 2
    today = timezone.localdate()
    for letter in Letter.objects.filter(cohort=cohort, kind__in=REASONED_KINDS).select_related(
        "application__municipality__county__office", "application__decision"
    ):
        assert letter.reason == _alone(letter, today)


def test_a_letter_made_on_another_day_assembles_its_reason_again(
    django_capture_on_commit_callbacks,
):
    ranked = _published(2, django_capture_on_commit_callbacks)
    letter = Letter.objects.get(application=ranked[0], kind__in=REASONED_KINDS)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Letter.objects.filter(pk=letter.pk).update(
        status=Letter.Status.PENDING, reason="Gammel begrunnelse.", reason_date=yesterday
    )
    letter.file.delete(save=False)
    made = generate_letter(letter_id=letter.pk)
    assert made.status == Letter.Status.GENERATED
    text = _text(made)
    assert "Gammel begrunnelse." not in text
    assert "rangerte søknaden som nr. 1 av 2 søknader." in text


def test_a_stored_reason_spares_the_ranking_when_the_letter_is_made(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    ranked = _published(2, django_capture_on_commit_callbacks)
    letter = Letter.objects.get(application=ranked[0], kind__in=REASONED_KINDS)
    stored = letter.reason
    Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.PENDING)
    letter.file.delete(save=False)
    with django_assert_num_queries(STORED_QUERIES):
        made = generate_letter(letter_id=letter.pk)
    assert made.status == Letter.Status.GENERATED
    assert stored.split("\n\n")[0] in _text(made)
    Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.PENDING, reason="")
    made.file.delete(save=False)
    with django_assert_num_queries(STORED_QUERIES + ASSEMBLY_QUERIES):
        generate_letter(letter_id=letter.pk)


# Making a decision letter with its stored reason: its count of attempts (with its savepoint);
# its lock, the letter with the rows it reads and the office's names, the template, the sender
# and the save (with theirs).
STORED_QUERIES = 11
# Assembling the reason again: the office's schedule, the ranking, the office's review, the
# score and the recommendation.
ASSEMBLY_QUERIES = 5


def test_the_stored_reason_is_shown_in_admin_and_cannot_be_edited_there(
    client, django_capture_on_commit_callbacks
):
    ranked = _published(1, django_capture_on_commit_callbacks)
    letter = Letter.objects.get(application=ranked[0], kind__in=REASONED_KINDS)
    sign_in(client, get_user_model().objects.create_superuser("rot", "rot@test.example", "x"))
    url = reverse("admin:selection_letter_change", args=[letter.pk])
    page = client.get(url).content.decode()
    assert escape(letter.reason.split("\n\n")[0]) in page
    assert 'name="reason"' not in page
    assert 'name="reason_date"' not in page
