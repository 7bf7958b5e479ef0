import pytest
from django.core.management import call_command


@pytest.fixture
def registry(db):
    """The real 2020 counties, offices and municipalities."""
    call_command("loaddata", "registry_2020", verbosity=0)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
