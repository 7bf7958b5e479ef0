from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from laeringsmiljo.models import Cohort, County


class ApplicationFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("Pulje"),
        queryset=Cohort.objects.all(),
        required=False,
        empty_label=_("Alle puljer"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    county = forms.ModelChoiceField(
        label=_("Fylke"),
        queryset=County.objects.none(),
        required=False,
        empty_label=_("Alle fylker"),
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Alle statuser")), *Application.Status.choices]
        counties = County.objects.all()
        if not roles.is_udir:
            counties = counties.filter(office_id__in=roles.office_ids)
        self.fields["county"].queryset = counties

    def filter(self, queryset):
        if not self.is_bound or not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["cohort"]:
            queryset = queryset.filter(cohort=data["cohort"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["county"]:
            queryset = queryset.filter(municipality__county=data["county"])
        return queryset
