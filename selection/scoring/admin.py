from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from laeringsmiljo.audit import record, snapshot
from selection.scoring import criteria
from selection.scoring.models import Criterion

CRITERION_FIELDS = [
    "kind",
    "name_nb",
    "name_nn",
    "help_text_nb",
    "help_text_nn",
    "weight",
    "parameters",
    "is_gate",
    "active",
    "order",
]


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = CRITERION_FIELDS
        widgets = {"parameters": forms.Textarea(attrs={"rows": 6, "cols": 60})}


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    form = CriterionForm
    list_display = ["number_display", "name_nb", "weight", "is_gate", "active", "order"]
    list_display_links = ["number_display", "name_nb"]
    list_filter = ["is_gate", "active"]
    search_fields = ["name_nb", "name_nn", "help_text_nb", "help_text_nn"]
    ordering = ["order", "kind"]
    readonly_fields = ["parameter_help", "updated_at"]
    fieldsets = [
        (None, {"fields": ["kind", "order", "active", "is_gate", "weight"]}),
        (_("Tekster"), {"fields": ["name_nb", "name_nn", "help_text_nb", "help_text_nn"]}),
        (_("Parametere"), {"fields": ["parameters", "parameter_help"]}),
        (None, {"fields": ["updated_at"]}),
    ]

    @admin.display(description=_("nr."), ordering="kind")
    def number_display(self, obj):
        return obj.number

    @admin.display(description=_("tillatte parametere"))
    def parameter_help(self, obj):
        if obj is None or obj.kind not in criteria.Kind.values:
            return _("Lagre kriteriet først; da vises parameterne for typen.")
        return format_html_join(
            "",
            "<p><code>{}</code>: {} ({}–{}, standard {})</p>",
            (
                (p["name"], p["label"], p["minimum"], p["maximum"], p["default"])
                for p in criteria.describe_parameters(obj.kind)
            ),
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("kind")  # the kind decides the rule; it never changes
        return fields

    def has_delete_permission(self, request, obj=None):
        # Switch a criterion off instead: stored scoring runs keep their own copy anyway.
        return False

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            before = snapshot(Criterion.objects.get(pk=obj.pk), CRITERION_FIELDS)
        super().save_model(request, obj, form, change)
        obj.refresh_from_db()  # the values as stored, for the record
        record(
            actor=request.user,
            action="criteria.change" if change else "criteria.create",
            obj=obj,
            before=before,
            after=snapshot(obj, CRITERION_FIELDS),
        )
