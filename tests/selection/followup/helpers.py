"""A cohort for the follow-up tests: one office, its schedule, and invited municipalities in
every state the board knows."""

import datetime

from django.utils import timezone

from applications import services
from applications.models import Application
from selection.models import Invitation
from tests.applications.factories import ApplicationFactory, complete_application
from tests.factories import (
    CohortFactory,
    GovernorOfficeFactory,
    MunicipalityFactory,
    OfficeScheduleFactory,
    UserFactory,
)


def follow_up_cohort(*, deadline=None):
    """A cohort with one office whose deadline is three weeks away (or `deadline`)."""
    office = GovernorOfficeFactory(name="Fylkesmannen i Testland", email="post@testland.example")
    cohort = CohortFactory(name="Pulje 9", number=9)
    today = timezone.localdate()
    schedule = OfficeScheduleFactory(
        cohort=cohort,
        office=office,
        invitation_date=today - datetime.timedelta(days=7),
        application_deadline=deadline or today + datetime.timedelta(days=21),
        recommendation_deadline=(deadline or today) + datetime.timedelta(days=40),
    )
    return cohort, office, schedule


def invited(cohort, office, name, **kwargs):
    municipality = MunicipalityFactory(name=name, county__office=office, **kwargs)
    Invitation.objects.create(cohort=cohort, municipality=municipality)
    return municipality


def draft(cohort, municipality, **kwargs):
    """A draft with only its contact details: every other part lacks something."""
    return ApplicationFactory(
        cohort=cohort,
        municipality=municipality,
        schedule=False,
        contact_name="Dina Utkast",
        contact_role="Rådgiver",
        contact_email="dina@utkast.example",
        contact_phone="22 33 44 55",
        postal_address="Postboks 2",
        **kwargs,
    )


def submitted(cohort, municipality, actor=None):
    application = complete_application(cohort=cohort, municipality=municipality, schedule=False)
    return services.submit(application=application, actor=actor or UserFactory())


def reopened(cohort, municipality, officer, new_deadline):
    application = submitted(cohort, municipality)
    return services.reopen(application=application, actor=officer, new_deadline=new_deadline)


def withdrawn(cohort, municipality):
    application = submitted(cohort, municipality)
    return services.withdraw(application=application, actor=UserFactory())


def refreshed(application):
    return Application.objects.get(pk=application.pk)
