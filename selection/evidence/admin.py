from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from laeringsmiljo.audit import record, snapshot
from selection.evidence.models import NationalMean


@admin.register(NationalMean)
class NationalMeanAdmin(admin.ModelAdmin):
    list_display = [
        "school_year_label",
        "computed_share",
        "computed_schools",
        "computed_counties",
        "computed_respondents",
        "published_share",
        "published_source",
    ]
    search_fields = ["school_year", "published_source"]
    list_filter = [("published_share", admin.EmptyFieldListFilter)]
    readonly_fields = [
        "computed_share",
        "computed_respondents",
        "computed_schools",
        "computed_counties",
        "computed_at",
    ]
    fields = [
        "school_year",
        "published_share",
        "published_source",
        "computed_share",
        "computed_respondents",
        "computed_schools",
        "computed_counties",
        "computed_at",
    ]

    @admin.display(description=_("skoleår"), ordering="school_year")
    def school_year_label(self, obj):
        return obj.school_year_label

    def save_model(self, request, obj, form, change):
        fields = ["school_year", "published_share", "published_source"]
        before = snapshot(NationalMean.objects.get(pk=obj.pk), fields) if change else None
        super().save_model(request, obj, form, change)
        record(
            actor=request.user,
            action="evidence.national_mean_change",
            obj=obj,
            before=before,
            after=snapshot(obj, fields),
        )
