import itertools

import factory
from django.contrib.auth import get_user_model

from laeringsmiljo.generator import orgnr_check_digit
from laeringsmiljo.models import (
    Cohort,
    County,
    FeederLink,
    GovernorOffice,
    Kindergarten,
    Membership,
    Municipality,
    OfficeSchedule,
    OwnerKind,
    PPTService,
    Role,
    School,
)


def _valid_orgnrs():
    for n in itertools.count(80000000):
        first_eight = str(n)
        check = orgnr_check_digit(first_eight)
        if check is not None:
            yield f"{first_eight}{check}"


_orgnrs = _valid_orgnrs()


def next_orgnr():
    return next(_orgnrs)


class GovernorOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GovernorOffice

    code = factory.Sequence(lambda n: f"embete-{n}")
    name = factory.Sequence(lambda n: f"Fylkesmannen i Testfylke {n}")
    email = factory.LazyAttribute(lambda o: f"post@{o.code}.example")


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County

    number = factory.Sequence(lambda n: f"{60 + n % 40:02d}")
    name = factory.Sequence(lambda n: f"Testfylke {n}")
    office = factory.SubFactory(GovernorOfficeFactory)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    number = factory.Sequence(lambda n: f"{6000 + n:04d}")
    name = factory.Sequence(lambda n: f"Testkommune {n}")
    county = factory.SubFactory(CountyFactory)
    email = factory.LazyAttribute(lambda o: f"postmottak@{o.number}.kommune.example")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    organisation_number = factory.LazyFunction(next_orgnr)
    name = factory.Sequence(lambda n: f"Testskole {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    level = School.Level.PRIMARY
    pupils = 200


class KindergartenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kindergarten

    organisation_number = factory.LazyFunction(next_orgnr)
    name = factory.Sequence(lambda n: f"Testbarnehage {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    owner_kind = OwnerKind.PUBLIC
    owner_name = factory.LazyAttribute(lambda o: f"{o.municipality.name} kommune")
    children = 60


class FeederLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeederLink

    kindergarten = factory.SubFactory(KindergartenFactory)
    school = factory.SubFactory(
        SchoolFactory, municipality=factory.SelfAttribute("..kindergarten.municipality")
    )


class PPTServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PPTService
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"PPT Test {n}")
    organisation_number = factory.LazyFunction(next_orgnr)

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.set(extracted)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    number = factory.Sequence(lambda n: 100 + n)
    name = factory.Sequence(lambda n: f"Testpulje {n}")
    kickoff_date = factory.Faker("date_between", start_date="+30d", end_date="+60d")
    start_date = factory.LazyAttribute(
        lambda o: o.kickoff_date.replace(year=o.kickoff_date.year + 1)
    )
    end_date = factory.LazyAttribute(lambda o: o.start_date.replace(year=o.start_date.year + 2))


class OfficeScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeSchedule

    cohort = factory.SubFactory(CohortFactory)
    office = factory.SubFactory(GovernorOfficeFactory)
    invitation_date = factory.Faker("date_between", start_date="-14d", end_date="-7d")
    application_deadline = factory.Faker("date_between", start_date="+14d", end_date="+21d")
    recommendation_deadline = factory.Faker("date_between", start_date="+30d", end_date="+40d")
    capacity = 1


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"bruker{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Bruker {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@test.example")
    password = factory.django.Password("passord-for-test")


def municipality_user(municipality=None, **kwargs):
    user = UserFactory(**kwargs)
    Membership.objects.create(
        user=user, role=Role.MUNICIPALITY, municipality=municipality or MunicipalityFactory()
    )
    return user


def office_user(office=None, **kwargs):
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, role=Role.OFFICE, office=office or GovernorOfficeFactory())
    return user


def udir_user(**kwargs):
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, role=Role.UDIR)
    return user


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.MUNICIPALITY
    municipality = factory.SubFactory(MunicipalityFactory)
