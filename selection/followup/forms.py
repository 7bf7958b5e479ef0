"""The follow-up board's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from selection.followup.board import SORTS, STATES


class BoardForm(forms.Form):
    """The board's filter and order, from the query string."""

    status = forms.ChoiceField(
        label=_("Vis"),
        required=False,
        choices=[("", _("Alle"))] + list(STATES.items()),
        error_messages={"invalid_choice": _("Velg en av statusene på listen.")},
    )
    sorter = forms.ChoiceField(
        label=_("Sorter etter"),
        required=False,
        choices=list(SORTS.items()),
        error_messages={"invalid_choice": _("Velg en av måtene å sortere på.")},
    )


class RemindForm(forms.Form):
    """One click on «Send påminnelse»: the number of reminders the board showed."""

    seen = forms.IntegerField(
        min_value=0,
        max_value=10_000,
        error_messages={
            "required": _("Siden var ikke oppdatert. Last den inn på nytt og prøv igjen."),
            "invalid": _("Siden var ikke oppdatert. Last den inn på nytt og prøv igjen."),
            "min_value": _("Siden var ikke oppdatert. Last den inn på nytt og prøv igjen."),
            "max_value": _("Siden var ikke oppdatert. Last den inn på nytt og prøv igjen."),
        },
    )
