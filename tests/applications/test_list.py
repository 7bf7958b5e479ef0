import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services
from applications.views import LIST_PAGE_SIZE
from tests.applications.factories import ApplicationFactory, complete_application
from tests.factories import CohortFactory, MunicipalityFactory, office_user, udir_user
from tests.signin import sign_in


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("applications:list"))
    assert response.status_code == 200
    return len(queries)


# The office and Udir list an application once it has been sent in (applications.access):
# these are drafts again after a first submission, or sent.


LIST_QUERIES = 8


@pytest.mark.parametrize("count", [1, 40])
def test_the_list_takes_the_same_queries_for_1_and_40_applications(
    client, db, django_assert_num_queries, count
):
    first = complete_application(submission_count=1)
    for _ in range(count - 1):
        ApplicationFactory(
            cohort=first.cohort,
            municipality=MunicipalityFactory(county=first.municipality.county),
            submission_count=1,
            schedule=False,
        )
    sign_in(client, office_user(first.municipality.county.office))
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("applications:list"))
    assert len(response.context["applications"]) == count


def test_the_list_shows_the_newest_cohort_until_another_or_all_are_chosen(client, db):
    older = ApplicationFactory(submission_count=1, cohort=CohortFactory(number=1))
    newer = ApplicationFactory(submission_count=1, cohort=CohortFactory(number=2))
    sign_in(client, udir_user())
    first = client.get(reverse("applications:list"))
    assert [a.pk for a in first.context["applications"]] == [newer.pk]
    assert f'<option value="{newer.cohort.pk}" selected>' in first.content.decode()
    chosen = client.get(reverse("applications:list"), {"cohort": older.cohort.pk})
    assert [a.pk for a in chosen.context["applications"]] == [older.pk]
    every = client.get(reverse("applications:list"), {"cohort": ""})
    assert [a.pk for a in every.context["applications"]] == [newer.pk, older.pk]


def test_the_list_shows_a_page_of_applications_at_a_time(client, db):
    first = ApplicationFactory(submission_count=1)
    for _ in range(LIST_PAGE_SIZE):
        ApplicationFactory(
            cohort=first.cohort,
            municipality=MunicipalityFactory(county=first.municipality.county),
            submission_count=1,
            schedule=False,
        )
    sign_in(client, udir_user())
    page = client.get(reverse("applications:list"))
    assert len(page.context["applications"]) == LIST_PAGE_SIZE
    html = " ".join(page.content.decode().split())
    assert f"{LIST_PAGE_SIZE + 1} søknader, viser 1–{LIST_PAGE_SIZE}" in html
    assert '<a class="page-link" href="?side=2">Neste side</a>' in html
    second = client.get(reverse("applications:list"), {"side": 2, "status": ""})
    assert len(second.context["applications"]) == 1
    # A page past the end, or not a number, shows the last or the first page.
    assert client.get(reverse("applications:list"), {"side": 99}).context["page"].number == 2
    assert client.get(reverse("applications:list"), {"side": "x"}).context["page"].number == 1


def test_the_list_filters_by_status_and_county(client, db):
    sent = complete_application()
    services.submit(application=sent, actor=None)
    draft = ApplicationFactory(submission_count=1)
    sign_in(client, udir_user())
    by_status = client.get(reverse("applications:list"), {"status": "sendt"}).context[
        "applications"
    ]
    assert [a.pk for a in by_status] == [sent.pk]
    by_county = client.get(
        reverse("applications:list"), {"county": draft.municipality.county.pk}
    ).context["applications"]
    assert [a.pk for a in by_county] == [draft.pk]


def test_an_office_cannot_filter_on_another_offices_county(client, db):
    mine = ApplicationFactory(submission_count=1)
    theirs = ApplicationFactory(submission_count=1)
    sign_in(client, office_user(mine.municipality.county.office))
    response = client.get(reverse("applications:list"), {"county": theirs.municipality.county.pk})
    (message,) = response.context["filters"].errors["county"]
    html = response.content.decode()
    assert 'class="form-select is-invalid" aria-describedby="id_county_feil"' in html
    assert f'<div class="invalid-feedback d-block" id="id_county_feil">{message}</div>' in html
    assert [a.pk for a in response.context["applications"]] == [mine.pk]


def _receipt_queries(client, application):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("applications:receipt", args=[application.pk])).status_code == 200
    return len(queries)


def test_the_receipt_page_query_count_does_not_grow_with_the_kindergartens(client, db):
    from applications.models import ApplicationKindergarten
    from tests.factories import KindergartenFactory, municipality_user

    application = services.submit(application=complete_application(), actor=None)
    sign_in(client, municipality_user(application.municipality))
    with_one = _receipt_queries(client, application)
    school = application.schools.get()
    for _ in range(2):
        unit = ApplicationKindergarten.objects.create(
            application=application,
            kindergarten=KindergartenFactory(municipality=application.municipality),
        )
        unit.feeds.add(school)
    assert _receipt_queries(client, application) == with_one
