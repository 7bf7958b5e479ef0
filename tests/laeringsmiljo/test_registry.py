import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from stdnum.no import orgnr

from laeringsmiljo.generator import generate_registry
from laeringsmiljo.models import (
    County,
    FeederLink,
    GovernorOffice,
    Kindergarten,
    Municipality,
    PPTService,
    School,
)
from tests.factories import MunicipalityFactory, SchoolFactory


def test_fixture_has_the_2020_registry(registry):
    assert County.objects.count() == 11
    assert Municipality.objects.count() == 356
    assert GovernorOffice.objects.count() == 10


def test_oslo_og_viken_covers_two_counties(registry):
    office = GovernorOffice.objects.get(name="Fylkesmannen i Oslo og Viken")
    assert sorted(office.counties.values_list("number", flat=True)) == ["03", "30"]


def test_oslo_keeps_its_leading_zero(registry):
    oslo = Municipality.objects.get(name="Oslo")
    assert oslo.number == "0301"
    assert oslo.county.number == "03"
    assert oslo.office.name == "Fylkesmannen i Oslo og Viken"


def test_fixture_loads_twice_without_duplicates(registry):
    from django.core.management import call_command

    Municipality.objects.filter(number="5001").update(written_standard="nn")
    call_command("loaddata", "registry_2020", verbosity=0)
    assert Municipality.objects.count() == 356
    assert County.objects.count() == 11


def test_municipality_counts_per_county_match_the_source(registry):
    counts = {c.number: c.municipalities.count() for c in County.objects.all()}
    assert counts == {
        "03": 1, "11": 23, "15": 26, "18": 41, "30": 51, "34": 46,
        "38": 23, "42": 25, "46": 43, "50": 38, "54": 39,
    }  # fmt: skip


def _snapshot():
    return (
        list(School.objects.order_by("organisation_number").values_list(
            "organisation_number", "name", "municipality__number", "level", "owner_kind", "pupils"
        )),
        list(Kindergarten.objects.order_by("organisation_number").values_list(
            "organisation_number", "name", "municipality__number", "owner_kind", "owner_name",
            "owner_organisation_number",
        )),
        sorted(FeederLink.objects.values_list(
            "kindergarten__organisation_number", "school__organisation_number"
        )),
        sorted(PPTService.objects.values_list("name", "organisation_number")),
    )  # fmt: skip


def _wipe_generated():
    FeederLink.objects.all().delete()
    Kindergarten.objects.all().delete()
    School.objects.all().delete()
    PPTService.objects.all().delete()


def test_generator_gives_the_same_data_for_the_same_seed(registry):
    generate_registry(seed=7, scale="demo")
    first = _snapshot()
    _wipe_generated()
    generate_registry(seed=7, scale="demo")
    assert _snapshot() == first
    _wipe_generated()
    generate_registry(seed=8, scale="demo")
    assert _snapshot() != first


def test_national_scale_has_the_national_numbers_with_valid_unique_orgnrs(registry):
    counts = generate_registry(seed=1, scale="national")
    assert (counts.schools, counts.kindergartens) == (2800, 5700)
    numbers = list(School.objects.values_list("organisation_number", flat=True))
    numbers += list(Kindergarten.objects.values_list("organisation_number", flat=True))
    numbers += list(PPTService.objects.values_list("organisation_number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert all(orgnr.is_valid(number) for number in numbers)
    owners = Kindergarten.objects.exclude(owner_organisation_number="").values_list(
        "owner_organisation_number", flat=True
    )
    assert all(orgnr.is_valid(number) for number in owners)
    # Every municipality has at least one school and kindergarten, and a PPT service.
    assert not Municipality.objects.filter(schools__isnull=True).exists()
    assert not Municipality.objects.filter(kindergartens__isnull=True).exists()
    assert not Municipality.objects.filter(ppt_services__isnull=True).exists()
    # Feeder links stay within the municipality.
    cross = [
        link
        for link in FeederLink.objects.select_related("kindergarten", "school")
        if link.kindergarten.municipality_id != link.school.municipality_id
    ]
    assert cross == []


def test_generator_refuses_to_add_to_municipalities_with_units(registry):
    generate_registry(seed=1, scale="demo")
    with pytest.raises(ValueError, match="har allerede skoler"):
        generate_registry(seed=1, scale="demo")


@pytest.mark.parametrize("value", ["123456789", "12345678", "98765432X", "9876543210", ""])
def test_a_malformed_orgnr_is_refused_by_validation(db, value):
    school = SchoolFactory.build(organisation_number=value, municipality=MunicipalityFactory())
    with pytest.raises(ValidationError) as excinfo:
        school.full_clean()
    assert "organisation_number" in excinfo.value.message_dict


@pytest.mark.parametrize("value", ["301", "03011", "03a1", ""])
def test_a_municipality_number_must_be_four_digits(db, value):
    municipality = MunicipalityFactory.build(number=value, county=MunicipalityFactory().county)
    with pytest.raises(ValidationError) as excinfo:
        municipality.full_clean()
    assert "number" in excinfo.value.message_dict


def test_the_database_refuses_a_three_digit_municipality_number(db):
    county = MunicipalityFactory().county
    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.create(number="301", name="Oslo", county=county)


def test_a_private_kindergarten_needs_its_owner(db):
    from tests.factories import KindergartenFactory

    kindergarten = KindergartenFactory.build(
        municipality=MunicipalityFactory(), owner_kind="privat", owner_name=""
    )
    with pytest.raises(ValidationError) as excinfo:
        kindergarten.full_clean()
    assert excinfo.value.message_dict["owner_name"] == ["En privat barnehage må ha eierens navn."]
