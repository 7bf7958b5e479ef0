"""Admin for the reminder texts, the cohorts' reminder steps and the reminders sent."""

from django.contrib import admin

from laeringsmiljo.admin import EditableTextAdmin, ReadOnlyAdmin
from selection.followup.models import Reminder, ReminderStep, ReminderTemplate


@admin.register(ReminderTemplate)
class ReminderTemplateAdmin(EditableTextAdmin):
    pass


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
