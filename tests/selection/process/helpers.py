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


def published_cohort(count=3, *, capacity=1, answer_in_days=10, actor=None):
    """A published cohort with one office and `count` applications in its ranking: the first
    `capacity` selected, the rest reserves, with an answer deadline `answer_in_days` from today.
    Returns the applications in ranked order."""
    import datetime

    from django.utils import timezone

    from selection.process import decisions
    from selection.process.models import AnswerDeadline
    from tests.factories import udir_user

    actor = actor or udir_user(first_name="Una", last_name="Udir")
    applications = submitted_applications(count, capacity=capacity)
    cohort = applications[0].cohort
    office = applications[0].municipality.county.office
    ranked = [row.application for row in decisions.ranking(cohort=cohort, office_ids=[office.pk])]
    for index, application in enumerate(ranked):
        decisions.recommend(
            application=application,
            verdict="anbefalt" if index < capacity else "reserve",
            justification="Begrunnet.",
            actor=None,
        )
    decisions.send_to_udir(cohort=cohort, office=office, justification="Samlet.", actor=None)
    for index, application in enumerate(ranked):
        decisions.decide(
            application=application,
            outcome="valgt" if index < capacity else "reserve",
            reason="Vedtak.",
            deviation_reason="",
            actor=actor,
        )
    AnswerDeadline.objects.create(
        cohort=cohort, date=timezone.localdate() + datetime.timedelta(days=answer_in_days)
    )
    decisions.publish(cohort=cohort, actor=actor)
    return ranked


def fail_gate(application):
    """The application's latest score fails the participation gate (criterion 6)."""
    from selection.scoring.models import ApplicationScore

    score = ApplicationScore.objects.filter(application=application).order_by("-run_id").first()
    score.eligible = False
    score.save(update_fields=["eligible"])
