"""Form fields the project's forms share."""

from django import forms
from django.core.exceptions import ValidationError

# The largest id a database column holds (a 64-bit integer).
LARGEST_ID = 2**63 - 1


class ModelMultipleIdChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several rows by id that refuses an id no column can hold, as a choice that
    is not offered: SQLite fails on such a number in a query instead of finding nothing."""

    def _check_values(self, value):
        for pk in value:
            try:
                too_large = abs(int(pk)) > LARGEST_ID
            except (TypeError, ValueError):
                continue  # not a number: Django's own check names it
            if too_large:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices of a short list from one plain query. Django's own iterator reads them
    through QuerySet.iterator(), which on PostgreSQL opens a server-side cursor for them: three
    round trips (declare, fetch, close) where one does."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A choice of one row of a short list (a filter's cohorts or counties)."""

    iterator = ListedChoiceIterator
