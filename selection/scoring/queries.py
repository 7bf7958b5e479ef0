"""What the scoring's pages show, as queries with a fixed number of queries."""

from applications.models import Application
from selection.scoring.engine import latest_scores


def cohort_scores_of(*, cohort, office_ids, within=None):
    """The cohort's applications of the offices' counties (all for None), of those in `within`
    (the ones the user may see) if given, with their latest score, by county and name, and how
    many of them are submitted."""
    applications = (Application.objects if within is None else within).filter(cohort=cohort)
    applications = applications.select_related("municipality__county")
    if office_ids is not None:
        applications = applications.filter(municipality__county__office_id__in=office_ids)
    applications = list(applications.order_by("municipality__county__number", "municipality__name"))
    latest = latest_scores(applications, with_results=False)
    rows = [{"application": a, "score": latest.get(a.pk)} for a in applications]
    return {"rows": rows, "submitted": sum(a.is_submitted for a in applications)}
