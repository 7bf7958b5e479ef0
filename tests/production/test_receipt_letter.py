import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications.models import Application
from selection.models import Letter, LetterKind
from tests.applications.factories import complete_application
from tests.factories import municipality_user
from tests.production.conftest import PRODUCTION_ENVIRONMENT
from tests.signin import sign_in

BASE_DIR = Path(__file__).resolve().parents[2]


# Real commits, so that the letter is ordered when the submission commits.
@pytest.mark.django_db(transaction=True)
def test_submitting_makes_the_receipt_letter_under_production_settings(
    migration_data, production_client
):
    application = complete_application()
    sign_in(production_client, municipality_user(application.municipality))

    response = production_client.post(
        reverse("applications:submit", args=[application.pk]), {"bekreftet": "on"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:receipt", args=[application.pk])
    application = Application.objects.get(pk=application.pk)
    letter = Letter.objects.get(kind=LetterKind.RECEIPT, application=application)
    assert (letter.status, letter.failure, letter.reference) == (
        Letter.Status.GENERATED,
        "",
        application.reference,
    )
    with letter.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert application.reference in text
    assert application.schools.get().school.name in text


def test_the_receipt_receiver_outlives_garbage_collection_in_a_production_process():
    """A fresh process started as gunicorn starts it, without the test suite's debug start."""
    script = (
        "import gc, django; django.setup(); gc.collect();"
        "from applications.models import Application;"
        "from applications.signals import application_submitted;"
        "print(application_submitted.has_listeners(Application))"
    )
    env = {
        **os.environ,
        **PRODUCTION_ENVIRONMENT,
        "DJANGO_SETTINGS_MODULE": "laeringsmiljo.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "True"
