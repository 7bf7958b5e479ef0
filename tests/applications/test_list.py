from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services
from tests.applications.factories import ApplicationFactory, complete_application
from tests.factories import MunicipalityFactory, office_user, udir_user
from tests.signin import sign_in


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("applications:list"))
    assert response.status_code == 200
    return len(queries)


# The office and Udir list an application once it has been sent in (applications.access):
# these are drafts again after a first submission, or sent.


def test_the_list_query_count_is_the_same_for_one_and_three_applications(client, db):
    first = complete_application(submission_count=1)
    office = first.municipality.county.office
    sign_in(client, office_user(office))
    with_one = _queries(client)
    for _ in range(2):
        complete_application(
            municipality=MunicipalityFactory(county=first.municipality.county), submission_count=1
        )
    with_three = _queries(client)
    assert len(client.get(reverse("applications:list")).context["applications"]) == 3
    assert with_three == with_one


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
    assert response.context["filters"].errors["county"]
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
