from django.contrib.auth import get_user_model
from django.core.management import call_command

from laeringsmiljo.models import Cohort, Membership, Municipality, OfficeSchedule, School


def test_setup_demo_makes_everything_once(db, capsys):
    call_command("setup_demo")
    first = capsys.readouterr().out
    counts = (School.objects.count(), Cohort.objects.count(), get_user_model().objects.count())
    Municipality.objects.filter(number="5001").update(written_standard="nn")
    call_command("setup_demo")
    assert (
        School.objects.count(),
        Cohort.objects.count(),
        get_user_model().objects.count(),
    ) == counts
    assert Municipality.objects.get(number="5001").written_standard == "nn"
    assert "kommune" in first and "udir" in first and "passord" in first


def test_demo_has_pulje_5_with_its_real_schedule(db):
    call_command("setup_demo")
    pulje = Cohort.objects.get(number=5)
    assert str(pulje.kickoff_date) == "2020-04-21"
    assert pulje.semesters == 4
    deadlines = dict(
        OfficeSchedule.objects.filter(cohort=pulje).values_list(
            "office__code", "application_deadline"
        )
    )
    assert str(deadlines["trondelag"]) == "2020-02-01"
    assert str(deadlines["nordland"]) == "2020-02-14"
    assert len(deadlines) == 10
    assert set(OfficeSchedule.objects.filter(cohort=pulje).values_list("capacity", flat=True)) == {
        1
    }


def test_demo_has_one_user_per_role(db):
    call_command("setup_demo")
    roles = set(Membership.objects.values_list("user__username", "role"))
    assert roles == {
        ("kommune", "kommune"),
        ("trondelag", "embete"),
        ("nordland", "embete"),
        ("udir", "udir"),
    }
    assert get_user_model().objects.get(username="admin").is_superuser
