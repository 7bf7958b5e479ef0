"""Factories for applications as the scoring sees them, and for the files the importer reads."""

import csv
import io

import factory
from openpyxl import Workbook

from applications.commitments import confirm_all
from applications.models import Application, ApplicationKindergarten, ApplicationSchool
from selection.models import SurveyFigure
from tests.applications.factories import ApplicationFactory
from tests.factories import (
    KindergartenFactory,
    SchoolFactory,
)


class SubmittedApplicationFactory(ApplicationFactory):
    """A submitted application with every commitment made, as the scoring sees it; its office
    gets no schedule unless a test makes one."""

    status = Application.Status.SUBMITTED
    school_owner_name = "Siri Skoleeier"
    school_owner_role = "Kommunalsjef"
    school_owner_email = "siri@kommune.example"
    kindergarten_owner_name = "Bjørn Barnehageeier"
    kindergarten_owner_role = "Kommunalsjef"
    kindergarten_owner_email = "bjorn@kommune.example"
    ppt_leader_name = "Per PPT"
    ppt_leader_role = "Leder"
    ppt_leader_email = "per@ppt.example"
    motivation_why = "Fordi vi vil."
    motivation_goals = "Et trygt skolemiljø."
    motivation_priority = "Det står i planen."

    @factory.post_generation
    def schedule(self, create, extracted, **kwargs):
        """No schedule: the scoring does not need one, and some tests make their own."""

    @factory.post_generation
    def commitments(self, create, extracted, **kwargs):
        """Every party confirms through its own request and answer (confirmed=False: not)."""
        if create and extracted is not False:
            confirm_all(self)


class ApplicationSchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationSchool
        skip_postgeneration_save = True

    application = factory.SubFactory(SubmittedApplicationFactory)
    school = factory.SubFactory(
        SchoolFactory, municipality=factory.SelfAttribute("..application.municipality")
    )
    leader_name = "Rita Rektor"
    leader_role = "Rektor"
    leader_email = "rita@skole.example"
    motivation = "Vi er klare."

    @factory.post_generation
    def commitments(self, create, extracted, **kwargs):
        """The unit's leader confirms (and the parties it brings), as by the link."""
        if create and extracted is not False:
            confirm_all(self.application)


class ApplicationKindergartenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationKindergarten
        skip_postgeneration_save = True

    application = factory.SubFactory(SubmittedApplicationFactory)
    kindergarten = factory.SubFactory(
        KindergartenFactory, municipality=factory.SelfAttribute("..application.municipality")
    )
    leader_name = "Stine Styrer"
    leader_role = "Styrer"
    leader_email = "stine@barnehage.example"
    motivation = "Vi er klare."

    @factory.post_generation
    def feeds(self, create, extracted, **kwargs):
        if create and extracted:
            self.feeds.set(extracted)

    @factory.post_generation
    def commitments(self, create, extracted, **kwargs):
        """The unit's leader and owner confirm (and the parties it brings), as by the link."""
        if create and extracted is not False:
            confirm_all(self.application)


def figure(school, year, share, respondents, grade=""):
    """A survey figure; a text share is a suppression symbol."""
    suppressed = share is None or respondents is None
    return SurveyFigure.objects.create(
        school=school,
        school_year=year,
        grade=grade,
        share=share if not isinstance(share, str) else None,
        share_symbol=share if isinstance(share, str) else "",
        respondents=respondents,
        suppressed=suppressed or isinstance(share, str),
    )


def xlsx_bytes(rows, *, title="Ark1", formats=None):
    """An .xlsx file with the rows on its first sheet; formats maps a cell to a number format."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, *, delimiter=";", encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)
