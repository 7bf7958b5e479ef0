from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from laeringsmiljo.forms import hidden_number
from laeringsmiljo.numbers import points
from laeringsmiljo.validators import TypedTextMixin


class MotivationGradeForm(TypedTextMixin, forms.Form):
    grade = forms.TypedChoiceField(label=_("Karakter"), coerce=int, choices=())
    comment = forms.CharField(
        label=_("Begrunnelse"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    revision = hidden_number(min_value=0)

    def __init__(self, *args, scale, **kwargs):
        super().__init__(*args, **kwargs)
        lowest, highest = scale
        self.fields["grade"].choices = [("", "---------")] + [
            (grade, str(grade)) for grade in range(lowest, highest + 1)
        ]
        self.fields["grade"].help_text = _(
            "%(lowest)s er lavest og %(highest)s høyest. Karakteren gir poeng først når "
            "søknaden beregnes på nytt."
        ) % {"lowest": lowest, "highest": highest}


class BullyingJudgementForm(TypedTextMixin, forms.Form):
    points = forms.DecimalField(
        label=_("Poeng for kriterium 1"),
        min_value=0,
        max_digits=5,
        decimal_places=2,
        localize=True,
        error_messages={"required": _("Skriv inn poengene embetet gir for kriterium 1.")},
    )
    reason = forms.CharField(
        label=_("Begrunnelse"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    revision = hidden_number(min_value=0)

    def __init__(self, *args, highest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["points"].max_value = highest
        self.fields["points"].validators.append(MaxValueValidator(highest))
        self.fields["points"].help_text = _(
            "Fra 0 til %(highest)s, som kriteriet ellers ville gitt. Vurderingen gir poeng "
            "først når søknaden beregnes på nytt."
        ) % {"highest": points(highest)}
