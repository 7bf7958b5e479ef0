import datetime
import io

import factory
from pypdf import PdfWriter

from applications.commitments import confirm_all
from applications.models import Application, ApplicationKindergarten, ApplicationSchool
from tests.factories import (
    CohortFactory,
    KindergartenFactory,
    MunicipalityFactory,
    OfficeScheduleFactory,
    PPTServiceFactory,
    SchoolFactory,
)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    municipality = factory.SubFactory(MunicipalityFactory)

    @factory.post_generation
    def schedule(self, create, extracted, **kwargs):
        """Give the municipality's office a schedule in the cohort, open for three weeks."""
        if create and extracted is not False:
            OfficeScheduleFactory(
                cohort=self.cohort,
                office=self.municipality.county.office,
                **(
                    {"application_deadline": extracted}
                    if isinstance(extracted, datetime.date)
                    else {}
                ),
            )


def complete_application(*, confirmed=True, **kwargs):
    """An application with every section filled in, ready to be sent; `confirmed=False`
    leaves the commitments unanswered."""
    application = ApplicationFactory(
        contact_name="Kari Nordmann",
        contact_role="Kommunalsjef oppvekst",
        contact_email="kari@kommune.example",
        contact_phone="22 33 44 55",
        postal_address="Postboks 1\n0001 Testby",
        school_owner_name="Ola Eier",
        school_owner_role="Kommunedirektør",
        school_owner_email="ola.eier@kommune.example",
        kindergarten_owner_name="Åse Eier",
        kindergarten_owner_role="Barnehagesjef",
        kindergarten_owner_email="ase.eier@kommune.example",
        ppt_leader_name="Per PPT",
        ppt_leader_role="PPT-leder",
        ppt_leader_email="per@ppt.example",
        ppt_contact_name="Pia PPT",
        ppt_contact_email="pia@ppt.example",
        motivation_why="Vi vil ha et trygt læringsmiljø.",
        motivation_goals="Arbeid mot mobbing.",
        motivation_priority="Det er satt av tid i alle enheter.",
        **kwargs,
    )
    municipality = application.municipality
    application.ppt_service = PPTServiceFactory(municipalities=[municipality])
    application.save()
    school = ApplicationSchool.objects.create(
        application=application,
        school=SchoolFactory(municipality=municipality),
        leader_name="Rita Rektor",
        leader_role="Rektor",
        leader_email="rita@skole.example",
        motivation="Skolen vil delta.",
    )
    kindergarten = ApplicationKindergarten.objects.create(
        application=application,
        kindergarten=KindergartenFactory(municipality=municipality),
        leader_name="Siri Styrer",
        leader_role="Styrer",
        leader_email="siri@barnehage.example",
        motivation="Barnehagen vil delta.",
    )
    kindergarten.feeds.add(school)
    if confirmed:
        # Every party confirms through its own request and answer, as by the link.
        confirm_all(application)
    return application


def pdf_bytes(pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def oslo_time(*args):
    """An aware datetime given as Oslo wall-clock time."""
    import zoneinfo

    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo("Europe/Oslo"))
