import pytest
from django.core.exceptions import ValidationError

from laeringsmiljo.fields import ModelMultipleIdChoiceField
from laeringsmiljo.models import Municipality
from tests.factories import MunicipalityFactory


@pytest.mark.parametrize("value", ["9" * 30, "-" + "9" * 20, str(2**63)])
def test_an_id_no_column_holds_is_a_choice_not_offered(db, value):
    municipality = MunicipalityFactory()
    field = ModelMultipleIdChoiceField(queryset=Municipality.objects.all())
    field.error_messages["invalid_choice"] = "Kommunen med id %(value)s finnes ikke."
    with pytest.raises(ValidationError) as raised:
        field.clean([str(municipality.pk), value])
    assert raised.value.messages == [f"Kommunen med id {value} finnes ikke."]
    assert list(field.clean([str(municipality.pk)])) == [municipality]
