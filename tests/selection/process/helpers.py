from applications import services as application_services
from selection.scoring.engine import score_cohort
from selection.scoring.grading import grade_motivation
from tests.applications.factories import complete_application
from tests.factories import MunicipalityFactory, OfficeScheduleFactory


def submitted_applications(count, *, cohort=None, office=None, capacity=1):
    """`count` complete, submitted, graded and scored applications of one office's counties."""
    first = complete_application(**({"cohort": cohort} if cohort else {}))
    cohort = first.cohort
    county = first.municipality.county
    if office is not None:
        county.office = office
        county.save()
    office = county.office
    applications = [application_services.submit(application=first, actor=None)]
    for _ in range(count - 1):
        application = complete_application(
            cohort=cohort, municipality=MunicipalityFactory(county=county), schedule=False
        )
        applications.append(application_services.submit(application=application, actor=None))
    from laeringsmiljo.models import OfficeSchedule

    OfficeSchedule.objects.filter(cohort=cohort, office=office).update(capacity=capacity)
    for application in applications:
        grade_motivation(
            application=application,
            grade=4,
            comment="God motivasjon.",
            actor=None,
            expected_revision=0,
        )
    score_cohort(cohort=cohort, actor=None)
    return applications


def add_office(cohort, count, *, capacity=1):
    """Another office with its own submitted applications in the same cohort."""
    first = complete_application(cohort=cohort, schedule=False)
    OfficeScheduleFactory(cohort=cohort, office=first.municipality.county.office, capacity=capacity)
    applications = [application_services.submit(application=first, actor=None)]
    for _ in range(count - 1):
        application = complete_application(
            cohort=cohort,
            municipality=MunicipalityFactory(county=first.municipality.county),
            schedule=False,
        )
        applications.append(application_services.submit(application=application, actor=None))
    for application in applications:
        grade_motivation(
            application=application, grade=3, comment="Ok.", actor=None, expected_revision=0
        )
    score_cohort(cohort=cohort, actor=None)
    return applications
