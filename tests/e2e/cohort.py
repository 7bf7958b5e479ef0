"""The people and places of one cohort for the browser tests: one office, its county with two
municipalities (not yet invited), their schools, kindergartens and PPT, a user for every role and
a second office that sees none of it; and the rows a real installation has from its data
migrations (the six criteria, the letter texts)."""

import datetime
import importlib
from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone

from laeringsmiljo.models import Cohort, GovernorOffice, Municipality, OfficeSchedule, OwnerKind
from selection.letters import defaults as letter_defaults
from selection.models import Invitation, LetterTemplate, SenderSettings
from tests.factories import (
    CohortFactory,
    CountyFactory,
    GovernorOfficeFactory,
    KindergartenFactory,
    MunicipalityFactory,
    OfficeScheduleFactory,
    PPTServiceFactory,
    SchoolFactory,
    municipality_user,
    office_user,
    udir_user,
)

# The factories' password for every user.
PASSWORD = "passord-for-test"


@dataclass
class Scenario:
    cohort: Cohort
    office: GovernorOffice
    schedule: OfficeSchedule
    municipality: Municipality
    neighbour: Municipality
    schools: list
    kindergartens: list
    ppt: object
    users: dict = field(default_factory=dict)
    texts: set = field(default_factory=set)

    def username(self, who):
        return self.users[who].username

    def invite(self):
        """The office has invited Fjordvik, as it does on its invitation page."""
        return Invitation.objects.create(cohort=self.cohort, municipality=self.municipality)

    def close_applications(self):
        """Move the office's deadline to yesterday."""
        self.schedule.application_deadline = timezone.localdate() - datetime.timedelta(days=1)
        self.schedule.save(update_fields=["application_deadline"])


def install_defaults():
    """The six criteria and the letter texts, as the data migrations make them: transactional
    tests empty every table, those rows included."""
    criteria = importlib.import_module("selection.migrations.0002_six_criteria")
    criteria.create_criteria(apps, None)
    letter_defaults.install(LetterTemplate, SenderSettings)


def build_scenario():
    install_defaults()
    today = timezone.localdate()
    office = GovernorOfficeFactory(code="fjordfylke", name="Statsforvalteren i Fjordfylke")
    county = CountyFactory(number="60", name="Fjordfylke", office=office)
    cohort = CohortFactory(number=6, name="Pulje 6 (2026–2028)")
    schedule = OfficeScheduleFactory(
        cohort=cohort,
        office=office,
        invitation_date=today - datetime.timedelta(days=7),
        application_deadline=today + datetime.timedelta(days=21),
        recommendation_deadline=today + datetime.timedelta(days=42),
    )
    municipality = MunicipalityFactory(
        number="6001",
        name="Fjordvik",
        county=county,
        written_standard="nn",
        postal_address="Fjordvik kommune\nPostboks 1\n6001 Fjordvik",
        email="postmottak@fjordvik.kommune.example",
    )
    neighbour = MunicipalityFactory(
        number="6002",
        name="Nabovik",
        county=county,
        postal_address="Nabovik kommune\nPostboks 2\n6002 Nabovik",
        email="postmottak@nabovik.kommune.example",
    )
    schools = [
        SchoolFactory(municipality=municipality, name=name)
        for name in ["Fjordvik skule", "Strand skule", "Berg ungdomsskule"]
    ]
    kindergartens = [
        KindergartenFactory(municipality=municipality, name="Solsikken barnehage"),
        KindergartenFactory(
            municipality=municipality,
            name="Maurtua barnehage",
            owner_kind=OwnerKind.PRIVATE,
            owner_name="Maurtua barnehage SA",
        ),
    ]
    SchoolFactory(municipality=neighbour, name="Nabovik skule")
    KindergartenFactory(municipality=neighbour, name="Nabovik barnehage")
    ppt = PPTServiceFactory(
        name="PPT for Fjordvik og Nabovik", municipalities=[municipality, neighbour]
    )
    other_office = GovernorOfficeFactory(code="austfylke", name="Statsforvalteren i Austfylke")
    CountyFactory(number="61", name="Austfylke", office=other_office)
    users = {
        "municipality": municipality_user(
            municipality,
            username="kari",
            first_name="Kari",
            last_name="Fjordvik",
            email="kari.fjordvik@fjordvik.kommune.example",
        ),
        "neighbour": municipality_user(
            neighbour, username="nils", first_name="Nils", last_name="Nabovik"
        ),
        "office": office_user(office, username="tor", first_name="Tor", last_name="Fjordfylke"),
        "other_office": office_user(
            other_office, username="aud", first_name="Aud", last_name="Austfylke"
        ),
        "udir": udir_user(username="ulla", first_name="Ulla", last_name="Udir"),
    }
    scenario = Scenario(
        cohort=cohort,
        office=office,
        schedule=schedule,
        municipality=municipality,
        neighbour=neighbour,
        schools=schools,
        kindergartens=kindergartens,
        ppt=ppt,
        users=users,
    )
    scenario.texts |= {
        cohort.name,
        office.name,
        other_office.name,
        county.name,
        municipality.name,
        neighbour.name,
        municipality.postal_address,
        municipality.email,
        ppt.name,
        *(unit.name for unit in [*schools, *kindergartens]),
        "Maurtua barnehage SA",
        "Nabovik skule",
        "Nabovik barnehage",
        *(user.get_full_name() for user in users.values()),
        *(user.email for user in users.values()),
    }
    return scenario
