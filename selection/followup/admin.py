"""Admin for the reminder texts, the cohorts' reminder steps and the reminders sent."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from laeringsmiljo.admin import ReadOnlyAdmin
from selection.followup.models import Reminder, ReminderStep, ReminderTemplate
from selection.followup.placeholders import REMINDER_PLACEHOLDERS


@admin.register(ReminderTemplate)
class ReminderTemplateAdmin(admin.ModelAdmin):
    list_display = ["kind", "language", "subject", "updated_at"]
    list_filter = ["kind", "language"]
    search_fields = ["subject", "body"]
    readonly_fields = ["allowed_placeholders"]

    @admin.display(description=_("plassholdere"))
    def allowed_placeholders(self, obj):
        allowed = REMINDER_PLACEHOLDERS.get(obj.kind, {}) if obj and obj.kind else {}
        return "; ".join(f"{{{name}}}: {text}" for name, text in sorted(allowed.items()))


@admin.register(ReminderStep)
class ReminderStepAdmin(admin.ModelAdmin):
    list_display = ["cohort", "days_before", "send_time"]
    list_filter = ["cohort"]
    list_select_related = ["cohort"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["municipality", "cohort", "kind", "days_before", "created_at", "sent_at"]
    list_filter = ["cohort", "kind"]
    list_select_related = ["municipality", "cohort"]
    search_fields = ["municipality__name", "municipality__number", "recipients"]
    readonly_fields = [field.name for field in Reminder._meta.fields]
