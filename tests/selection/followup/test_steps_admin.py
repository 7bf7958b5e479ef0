"""The reminder steps of a cohort in admin: a step outside 1–90 days or a second step at the
same offset is refused with a Norwegian message, and nothing is saved."""

import pytest
from django.urls import reverse

from selection.models import ReminderStep
from tests.factories import CohortFactory, UserFactory
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("0", "Verdien må være større enn eller lik 1."),
        ("91", "Verdien må være mindre enn eller lik 90."),
        ("14", "Tidspunkt for påminnelser med denne Pulje og Dager før fristen finnes allerede."),
    ],
)
def test_a_bad_step_is_refused_in_admin(client, days, message):
    cohort = CohortFactory()
    sign_in(client, UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:selection_reminderstep_add"),
        {"cohort": cohort.pk, "days_before": days, "send_time": "09:00"},
    )
    assert response.status_code == 200
    errors = [e for errors in response.context["adminform"].form.errors.values() for e in errors]
    assert errors == [message]
    assert sorted(
        ReminderStep.objects.filter(cohort=cohort).values_list("days_before", flat=True)
    ) == [3, 14]
