import pytest
from django.urls import reverse

from selection.models import Invitation
from tests.factories import MunicipalityFactory, OfficeScheduleFactory, office_user
from tests.signin import sign_in


@pytest.mark.parametrize("value", ["9" * 30, "other"])
def test_an_id_the_office_does_not_cover_is_refused_and_nothing_changes(client, db, value):
    schedule = OfficeScheduleFactory()
    own = MunicipalityFactory(county__office=schedule.office)
    elsewhere = MunicipalityFactory()
    value = str(elsewhere.pk) if value == "other" else value
    sign_in(client, office_user(schedule.office))
    response = client.post(
        reverse("selection:invitations", args=[schedule.cohort.pk, schedule.office.pk]),
        {"municipalities": [str(own.pk), value]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["municipalities"] == [
        f"Kommunen med id {value} hører ikke til embetets fylker."
    ]
    assert not Invitation.objects.exists()
