from django import forms
from django.utils.translation import gettext_lazy as _

from laeringsmiljo.fields import ModelMultipleIdChoiceField
from laeringsmiljo.forms import hidden_number
from laeringsmiljo.models import Municipality
from laeringsmiljo.validators import TypedTextMixin
from selection.process.models import Outcome, Verdict


class InvitationForm(forms.Form):
    municipalities = ModelMultipleIdChoiceField(
        label=_("Kommuner som inviteres"),
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": _("Kommunen med id %(value)s hører ikke til embetets fylker.")
        },
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = municipalities


class MoveForm(TypedTextMixin, forms.Form):
    direction = forms.ChoiceField(choices=[("opp", _("opp")), ("ned", _("ned"))])
    reason = forms.CharField(
        label=_("Hvorfor flyttes søknaden?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv hvorfor søknaden flyttes.")},
    )
    # Where the page showed the application and its neighbours: a move is refused when they
    # have changed since.
    position = hidden_number(min_value=1)
    above = hidden_number(required=False)
    below = hidden_number(required=False)

    def neighbour(self):
        """The id of the application the page showed in the chosen direction, or None."""
        data = self.cleaned_data
        return data["above"] if data["direction"] == "opp" else data["below"]


class RecommendForm(TypedTextMixin, forms.Form):
    verdict = forms.ChoiceField(label=_("Innstilling"), choices=Verdict.choices)
    justification = forms.CharField(
        label=_("Begrunnelse"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv en begrunnelse for innstillingen.")},
    )
    revision = hidden_number(min_value=0)


class SendForm(TypedTextMixin, forms.Form):
    justification = forms.CharField(
        label=_("Samlet begrunnelse for innstillingen"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv en begrunnelse for innstillingen.")},
    )


class DecideForm(TypedTextMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Vedtak"), choices=Outcome.choices)
    reason = forms.CharField(
        label=_("Begrunnelse (kommer med i vedtaksbrevet)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv en begrunnelse for vedtaket.")},
    )
    deviation_reason = forms.CharField(
        label=_("Begrunnelse for avvik"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Når vedtaket avviker fra forslaget, går over kapasiteten eller kommer før innstillingen."
        ),
    )
    revision = hidden_number(min_value=0)


class RegisteredEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Postmottak"),
        required=False,
        error_messages={
            "invalid": _("Skriv en gyldig e-postadresse, for eksempel postmottak@kommune.no.")
        },
    )


class ResendForm(forms.Form):
    replaces = forms.IntegerField(required=False)


class ConfirmPlaceForm(TypedTextMixin, forms.Form):
    contact_name = forms.CharField(
        label=_("Kontaktperson i veiledningsperioden"),
        max_length=200,
        error_messages={
            "required": _("Skriv navnet på kommunens kontaktperson i veiledningsperioden.")
        },
    )
    contact_email = forms.EmailField(
        label=_("Kontaktpersonens e-post"),
        required=False,
        error_messages={
            "invalid": _("Skriv en gyldig e-postadresse, for eksempel navn@kommune.no.")
        },
    )
    contact_phone = forms.CharField(
        label=_("Kontaktpersonens telefon"), max_length=40, required=False
    )


class ReasonForm(TypedTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv en begrunnelse.")},
    )


class WithdrawForm(ReasonForm):
    left_on = forms.DateField(
        label=_("Dato kommunen trakk seg"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Skriv datoen kommunen trakk seg."),
            "invalid": _("Skriv datoen som dd.mm.åååå, for eksempel 15.05.2020."),
        },
    )


class PromoteForm(ReasonForm):
    application = forms.IntegerField(
        label=_("Reserve"),
        min_value=1,
        max_value=2**31 - 1,
        error_messages={
            "required": _("Velg reserven som skal tas opp."),
            "invalid": _("Velg reserven som skal tas opp."),
            "min_value": _("Velg en av reservene på listen."),
            "max_value": _("Velg en av reservene på listen."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = False
        self.fields["reason"].label = _("Begrunnelse når du velger en annen enn den foreslåtte")
