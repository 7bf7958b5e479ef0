from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from laeringsmiljo.fields import ListedModelChoiceField
from laeringsmiljo.models import Cohort, County


class ApplicationFilterForm(forms.Form):
    cohort = ListedModelChoiceField(
        label=_("Pulje"),
        queryset=Cohort.objects.all(),
        required=False,
        empty_label=_("Alle puljer"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    county = ListedModelChoiceField(
        label=_("Fylke"),
        queryset=County.objects.none(),
        required=False,
        empty_label=_("Alle fylker"),
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        # Before anything is chosen the list shows the newest cohort, not every one ever run.
        self.current_cohort = Cohort.objects.order_by("-number").first()
        self.fields["cohort"].initial = self.current_cohort
        self.fields["status"].choices = [("", _("Alle statuser")), *Application.Status.choices]
        counties = County.objects.all()
        if not roles.is_udir:
            counties = counties.filter(office_id__in=roles.office_ids)
        self.fields["county"].queryset = counties
        # Plain Bootstrap selects: the list's three filters drawn without a template each.
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filter(self, queryset):
        """The applications the chosen filters let through: the newest cohort's when nothing
        is chosen yet, every cohort's when «Alle puljer» is, and all of them when a filter is
        refused (its message is shown by the field)."""
        if not self.is_bound:
            if self.current_cohort is None:
                return queryset
            return queryset.filter(cohort=self.current_cohort)
        if not self.is_valid():
            for name in self.errors:
                self.fields[name].widget.attrs.update(
                    {"class": "form-select is-invalid", "aria-describedby": f"id_{name}_feil"}
                )
            return queryset
        data = self.cleaned_data
        if data["cohort"]:
            queryset = queryset.filter(cohort=data["cohort"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["county"]:
            queryset = queryset.filter(municipality__county=data["county"])
        return queryset
