"""Demo data: the 2020 registry, generated units, pulje 5, a practice cohort and demo users."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from laeringsmiljo.generator import generate_registry
from laeringsmiljo.models import (
    Cohort,
    GovernorOffice,
    Membership,
    Municipality,
    OfficeSchedule,
    Role,
    School,
)

DEMO_PASSWORD = "demo-laeringsmiljo"
PRACTICE_COHORT_NUMBER = 90


@dataclass(frozen=True)
class DemoLogin:
    username: str
    description: str


DEMO_LOGINS = [
    DemoLogin("kommune", "kommunebruker for 5001 Trondheim"),
    DemoLogin("trondelag", "saksbehandler hos Fylkesmannen i Trøndelag"),
    DemoLogin("nordland", "saksbehandler hos Fylkesmannen i Nordland"),
    DemoLogin("udir", "saksbehandler i Udir"),
    DemoLogin("admin", "administrator (Django admin)"),
]


def ensure_registry():
    """Load the real 2020 counties, offices and municipalities unless they are there."""
    if not Municipality.objects.exists():
        call_command("loaddata", "registry_2020", verbosity=0)


def create_pulje_5():
    """Pulje 5 (2020–2022) with its real 2020 schedule; a record, its deadlines have passed."""
    cohort, created = Cohort.objects.get_or_create(
        number=5,
        defaults={
            "name": "Pulje 5 (2020–2022)",
            "kickoff_date": datetime.date(2020, 4, 21),
            "start_date": datetime.date(2020, 9, 1),
            "end_date": datetime.date(2022, 6, 30),
            "semesters": 4,
        },
    )
    if created:
        special_deadlines = {
            "trondelag": datetime.date(2020, 2, 1),
            "nordland": datetime.date(2020, 2, 14),
        }
        OfficeSchedule.objects.bulk_create(
            OfficeSchedule(
                cohort=cohort,
                office=office,
                invitation_date=datetime.date(2019, 12, 2),
                application_deadline=special_deadlines.get(office.code, datetime.date(2020, 2, 1)),
                recommendation_deadline=datetime.date(2020, 3, 2),
                capacity=1,
            )
            for office in GovernorOffice.objects.all()
        )
    return cohort


def create_practice_cohort(today=None):
    """A cohort of pulje 5's shape, dated from today so that every step can be tried."""
    today = today or timezone.localdate()
    cohort, created = Cohort.objects.get_or_create(
        number=PRACTICE_COHORT_NUMBER,
        defaults={
            "name": "Øvingspulje",
            "kickoff_date": today + datetime.timedelta(days=70),
            "start_date": today + datetime.timedelta(days=140),
            "end_date": today + datetime.timedelta(days=140 + 660),
            "semesters": 4,
            "is_practice": True,
        },
    )
    if created:
        OfficeSchedule.objects.bulk_create(
            OfficeSchedule(
                cohort=cohort,
                office=office,
                invitation_date=today - datetime.timedelta(days=7),
                application_deadline=today + datetime.timedelta(days=21),
                recommendation_deadline=today + datetime.timedelta(days=42),
                capacity=1,
            )
            for office in GovernorOffice.objects.all()
        )
    return cohort


def fill_demo_contact_details():
    """Give offices and municipalities without contact details addresses on example domains."""
    for office in GovernorOffice.objects.filter(email=""):
        office.email = f"postmottak@{office.code}.statsforvalteren.example"
        office.postal_address = f"{office.name}\nPostboks 1\n0001 Eksempelby"
        office.save(update_fields=["email", "postal_address"])
    for municipality in Municipality.objects.filter(email=""):
        municipality.email = f"postmottak@{municipality.number}.kommune.example"
        municipality.postal_address = (
            f"{municipality.name} kommune\nPostboks 1\n0001 {municipality.name}"
        )
        municipality.save(update_fields=["email", "postal_address"])


def create_demo_users():
    """One user per role; existing users are left as they are."""
    User = get_user_model()
    trondheim = Municipality.objects.get(number="5001")
    offices = {office.code: office for office in GovernorOffice.objects.all()}
    specs = {
        "kommune": ("Kari", "Kommune", Role.MUNICIPALITY, trondheim, None),
        "trondelag": ("Tor", "Trøndelag", Role.OFFICE, None, offices["trondelag"]),
        "nordland": ("Nora", "Nordland", Role.OFFICE, None, offices["nordland"]),
        "udir": ("Ulla", "Udir", Role.UDIR, None, None),
    }
    for username, (first, last, role, municipality, office) in specs.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.example"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            Membership.objects.create(
                user=user, role=role, municipality=municipality, office=office
            )
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@demo.example", DEMO_PASSWORD)
    for username in STAFF_USERNAMES:
        enrol_demo_app(User.objects.get(username=username))


# The demo's staff must give a code after the password, as every office, Udir and admin user
# signed in with a password must: `manage.py demo_code USERNAME` prints the one their app
# would show.
STAFF_USERNAMES = ("trondelag", "nordland", "udir", "admin")


def enrol_demo_app(user):
    """Give a demo staff user an authenticator app, set up already, unless the user has one."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from laeringsmiljo.signin.second_factor import APP_DEVICE_NAME

    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)


@transaction.atomic
def setup_demo(*, seed=2020):
    """Make the registry, cohorts and users of the demo once; run again, it keeps whatever is
    there. Returns the practice cohort."""
    ensure_registry()
    if not School.objects.exists():
        generate_registry(seed=seed, scale="demo")
    create_pulje_5()
    practice = create_practice_cohort()
    fill_demo_contact_details()
    create_demo_users()
    return practice
