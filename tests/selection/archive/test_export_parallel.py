"""Two orders of the same extract at the same moment, each with its own PostgreSQL connection:
one runs, the other is told, and only one extract is made."""

import time

from django.db import transaction

from selection.archive.exports import ExportRefused, start_export
from selection.models import ArchiveExport
from tests.factories import udir_user
from tests.parallel import at_once, needs_postgresql
from tests.selection.archive.test_views import _posts

pytestmark = needs_postgresql


def test_two_orders_at_once_make_one_extract_and_the_other_is_told():
    # Enough documents that the first extract is still running when the second looks.
    cohort, _office, _ = _posts(30)
    user = udir_user()

    def order():
        with transaction.atomic():
            try:
                start_export(cohort=cohort, office=None, actor=user)
            except ExportRefused as refused:
                return str(refused)
            # Hold the cohort's lock a moment, so that the other order truly waits on it.
            time.sleep(0.5)
        return "bestilt"

    results = at_once(order, order)
    assert results.count("bestilt") == 1
    (told,) = [result for result in results if result != "bestilt"]
    assert told.startswith("Et arkivuttrekk av hele puljen pågår allerede")
    assert ArchiveExport.objects.count() == 1
