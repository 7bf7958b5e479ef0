import pytest
from django.core.exceptions import ValidationError

from laeringsmiljo.models import AuditEvent
from selection.models import Criterion, MotivationGrade
from selection.scoring.criteria import Kind
from selection.scoring.grading import grade_motivation
from tests.factories import office_user
from tests.selection.factories import SubmittedApplicationFactory as ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return ApplicationFactory()


def test_grading_stores_the_grade_with_a_new_revision(application):
    user = office_user(application.municipality.county.office)
    first = grade_motivation(
        application=application, grade=4, comment="God", actor=user, expected_revision=0
    )
    second = grade_motivation(
        application=application, grade=5, comment="Bedre", actor=user, expected_revision=1
    )
    assert (second.pk, second.grade, second.comment, second.revision) == (first.pk, 5, "Bedre", 2)
    events = AuditEvent.objects.filter(action="scoring.motivation_grade").order_by("id")
    assert [(e.before and e.before["grade"], e.after["grade"]) for e in events] == [
        (None, 4),
        (4, 5),
    ]


def test_two_officers_grading_at_once_do_not_overwrite_each_other(application):
    office = application.municipality.county.office
    kari = office_user(office, first_name="Kari", last_name="Saksbehandler")
    ola = office_user(office)
    grade_motivation(application=application, grade=4, comment="", actor=kari, expected_revision=0)
    with pytest.raises(ValidationError) as error:
        grade_motivation(
            application=application, grade=2, comment="", actor=ola, expected_revision=0
        )
    assert error.value.code == "stale_revision"
    assert error.value.messages[0].startswith("Karakteren ble endret av Kari Saksbehandler ")
    assert MotivationGrade.objects.get().grade == 4


def test_a_grade_outside_the_scale_is_refused(application):
    Criterion.objects.filter(kind=Kind.MOTIVATION).update(
        parameters={"scale_min": 1, "scale_max": 5, "max_points": "10"}
    )
    with pytest.raises(ValidationError) as error:
        grade_motivation(
            application=application, grade=6, comment="", actor=None, expected_revision=0
        )
    assert error.value.message_dict == {"grade": ["Karakteren må være et helt tall fra 1 til 5."]}
    assert MotivationGrade.objects.count() == 0
