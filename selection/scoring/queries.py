"""What the scoring's pages show, as queries with a fixed number of queries."""

from django.core.paginator import Paginator

from applications.models import Application
from selection.scoring.engine import latest_scores

SCORES_PAGE_SIZE = 50


def cohort_scores_of(*, cohort, office_ids, within=None, page=None):
    """A page (by its number, the first when None or not a page) of the cohort's applications
    of the offices' counties (all for None), of those in `within` (the ones the user may see)
    if given, with their latest score, by county and name, and how many of them are
    submitted."""
    applications = (Application.objects if within is None else within).filter(cohort=cohort)
    if office_ids is not None:
        applications = applications.filter(municipality__county__office_id__in=office_ids)
    shown = Paginator(
        applications.select_related("municipality__county").order_by(
            "municipality__county__number", "municipality__name"
        ),
        SCORES_PAGE_SIZE,
    ).get_page(page)
    latest = latest_scores(shown.object_list, with_results=False)
    rows = [{"application": a, "score": latest.get(a.pk)} for a in shown.object_list]
    submitted = applications.filter(status=Application.Status.SUBMITTED).count()
    return {"rows": rows, "page": shown, "submitted": submitted}
