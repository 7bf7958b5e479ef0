"""Letters made together: a task makes up to LETTERS_PER_TASK letters and reads what they share
once, while each letter keeps its own count of attempts, its lock and its commit; a letter whose
storage fails gets a task of its own, and the others are made."""

from unittest import mock

import pytest
from django.core.files.storage import default_storage

from selection.letters import services, tasks
from selection.letters.services import REASONED_KINDS, generate_letters
from selection.models import Letter
from tests.selection.process.helpers import published_cohort

pytestmark = pytest.mark.django_db


def _decision_letters(count, callbacks):
    with callbacks(execute=True):
        ranked = published_cohort(count, capacity=1)
    letters = Letter.objects.filter(application__in=ranked, kind__in=REASONED_KINDS)
    for letter in letters:
        letter.file.delete(save=False)
    letters.update(status=Letter.Status.PENDING, attempts=0)
    return sorted(letters.values_list("pk", flat=True))


@pytest.mark.parametrize("count", [1, 3])
def test_letters_made_together_read_what_they_share_once(
    count, django_assert_num_queries, django_capture_on_commit_callbacks
):
    ids = _decision_letters(count, django_capture_on_commit_callbacks)
    # Shared: the letters with their rows, the offices' names, each kind's template (the
    # selected and the reserves'), the sender. Each letter: its count and its made row, each
    # in its own transaction (a savepoint here), and its lock.
    templates = 1 if count == 1 else 2
    with django_assert_num_queries(3 + templates + 7 * count):
        made = list(generate_letters(letter_ids=ids))
    assert [letter_id for letter_id, _letter in made] == ids
    assert all(letter.status == Letter.Status.GENERATED for _id, letter in made)
    assert set(Letter.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == {1}


def test_a_made_letter_is_left_alone_and_a_deleted_one_is_none(django_capture_on_commit_callbacks):
    first, second, third = _decision_letters(3, django_capture_on_commit_callbacks)
    made = dict(generate_letters(letter_ids=[first]))
    Letter.objects.filter(pk=third).delete()
    again = dict(generate_letters(letter_ids=[first, second, third]))
    assert again[first].file.name == made[first].file.name  # not made twice
    assert again[second].status == Letter.Status.GENERATED
    assert again[third] is None
    assert Letter.objects.get(pk=first).attempts == 1


def test_the_letters_queued_together_go_ten_to_a_task(django_capture_on_commit_callbacks):
    ids = _decision_letters(3, django_capture_on_commit_callbacks)
    with (
        mock.patch.object(services, "LETTERS_PER_TASK", 2),
        mock.patch.object(tasks.generate_letters_task, "delay") as together,
        mock.patch.object(tasks.generate_letter_task, "delay") as alone,
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.queue_letters(ids)
    assert [call.args for call in together.call_args_list] == [(ids[:2],)]
    assert [call.args for call in alone.call_args_list] == [(ids[2],)]


def test_storage_trouble_with_one_letter_gives_it_a_task_of_its_own(
    django_capture_on_commit_callbacks,
):
    ids = _decision_letters(3, django_capture_on_commit_callbacks)
    save = default_storage.save
    failed = []

    def full_disk_once(name, content, **kwargs):
        if not failed:
            failed.append(name)
            raise OSError(28, "Ingen plass igjen på enheten")
        return save(name, content, **kwargs)

    with mock.patch.object(default_storage, "save", full_disk_once):
        # Eager here: the letter's own task runs at once (in production after its wait).
        statuses = tasks.generate_letters_task.apply(args=[ids]).get()
    assert statuses == [None, "laget", "laget"]
    assert failed
    first = Letter.objects.get(pk=ids[0])
    assert first.status == Letter.Status.GENERATED
    assert first.attempts == 2  # once with the others, once in its own task
    assert first.file and default_storage.exists(first.file.name)
