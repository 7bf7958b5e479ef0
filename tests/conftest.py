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
