import pytest
from django.core.management import call_command


@pytest.fixture
def registry(db):
    """The real 2020 counties, offices and municipalities."""
    call_command("loaddata", "registry_2020", verbosity=0)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in bokmål: a request in nynorsk must not leak into the next test."""
    from django.utils import translation

    translation.activate("nb")
    yield
    translation.activate("nb")


@pytest.fixture
def migration_data(transactional_db):
    """The rows the data migrations make (the six criteria, the default letter texts), for a
    test with real commits: a flush between such tests empties the tables the migrations
    filled. Restoring them with serialized_rollback instead leaves the content types empty
    for the browser tests that follow, and on PostgreSQL fails on rows post_migrate made."""
    from importlib import import_module

    from django.apps import apps

    from selection.followup.defaults import install as install_reminder_texts
    from selection.letters.defaults import install
    from selection.models import LetterTemplate, ReminderTemplate, SenderSettings

    import_module("selection.migrations.0002_six_criteria").create_criteria(apps, None)
    install(LetterTemplate, SenderSettings)
    install_reminder_texts(ReminderTemplate)


def pytest_collection_modifyitems(config, items):
    """Refuse serialized_rollback: on PostgreSQL it restores content types on top of the ones
    post_migrate made after an earlier flush, and leaves none for the tests after it. A test
    with real commits asks for the migration_data fixture instead."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: use the migration_data fixture instead of serialized_rollback"
            )
