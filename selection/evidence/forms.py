from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laeringsmiljo.forms import hidden_number
from laeringsmiljo.validators import TypedTextMixin
from selection.evidence.models import format_school_year
from selection.evidence.tables import MAX_UPLOAD_BYTES


class RevisionForm(forms.Form):
    """The revision a page was opened with, for a button that changes what the page shows."""

    revision = hidden_number(min_value=0)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fil"),
        help_text=_("Excel (.xlsx) eller CSV (.csv) med semikolon eller komma, høyst 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Filen er større enn %(limit)s MB. Del den opp i mindre filer."),
                code="too_large",
                params={"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        if not upload.name.lower().endswith((".xlsx", ".csv", ".txt")):
            raise forms.ValidationError(
                _("Bare .xlsx- og .csv-filer kan importeres."), code="wrong_type"
            )
        return upload


def school_year_choices(*, today=None):
    today = today or timezone.localdate()
    latest = today.year if today.month >= 8 else today.year - 1
    return [(year, format_school_year(year)) for year in range(latest, latest - 10, -1)]


class ComplaintCasesForm(TypedTextMixin, forms.Form):
    school = forms.ModelChoiceField(queryset=None, label=_("Skole"))
    school_year = forms.TypedChoiceField(label=_("Skoleår"), coerce=int, choices=())
    cases = forms.IntegerField(
        label=_("Antall saker"),
        min_value=0,
        max_value=10000,
        help_text=_("Håndhevingssaker etter opplæringsloven kapittel 9 A. Bare tall, ingen navn."),
        error_messages={"min_value": _("Antallet kan ikke være negativt.")},
    )
    long_running = forms.IntegerField(
        label=_("Herav langvarige eller komplekse"),
        min_value=0,
        max_value=10000,
        initial=0,
        error_messages={"min_value": _("Antallet kan ikke være negativt.")},
    )
    # Required when correcting: the revision of the counts the page was opened with.
    revision = hidden_number(min_value=0, required=False)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = municipality.schools.order_by("name")
        choices = school_year_choices()
        year = self.initial.get("school_year")
        if year is not None and year not in dict(choices):
            choices.append((year, format_school_year(year)))
        self.fields["school_year"].choices = choices

    def clean(self):
        data = super().clean()
        cases, long_running = data.get("cases"), data.get("long_running")
        if cases is not None and long_running is not None and long_running > cases:
            self.add_error(
                "long_running",
                _("Antall langvarige eller komplekse saker kan ikke være større enn antall saker."),
            )
        return data


class FindingForm(TypedTextMixin, forms.Form):
    school = forms.ModelChoiceField(
        queryset=None,
        label=_("Skole"),
        required=False,
        empty_label=_("Kommunen som skoleeier"),
        help_text=_("La stå tomt når funnet gjelder kommunen som skoleeier."),
    )
    date = forms.DateField(
        label=_("Dato for tilsynsrapport"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    topic = forms.CharField(label=_("Tema"), max_length=200)
    in_practice = forms.BooleanField(label=_("Avvik i praksis"), required=False)
    in_routines = forms.BooleanField(label=_("Avvik i rutiner"), required=False)
    in_system = forms.BooleanField(label=_("Avvik i system"), required=False)
    closed = forms.BooleanField(label=_("Avviket er lukket"), required=False)
    # Required when correcting: the revision of the finding the page was opened with.
    revision = hidden_number(min_value=0, required=False)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = municipality.schools.order_by("name")

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("Datoen kan ikke være fram i tid."), code="future")
        return date

    def clean(self):
        data = super().clean()
        if not (data.get("in_practice") or data.get("in_routines") or data.get("in_system")):
            self.add_error(
                "in_practice", _("Kryss av for minst én av avvik i praksis, rutiner eller system.")
            )
        return data
