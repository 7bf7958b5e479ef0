from django.contrib import admin

from applications.models import (
    AccessLink,
    Application,
    ApplicationKindergarten,
    ApplicationSchool,
    Attachment,
    ContactPerson,
    OfficeQuestion,
)
from laeringsmiljo.admin import ReadOnlyAdmin, TabularInline


class ApplicationSchoolInline(TabularInline):
    model = ApplicationSchool
    extra = 0
    autocomplete_fields = ["school"]
    fields = ["school", "leader_name", "leader_role", "leader_email"]


class ApplicationKindergartenInline(TabularInline):
    model = ApplicationKindergarten
    extra = 0
    autocomplete_fields = ["kindergarten"]
    fields = ["kindergarten", "leader_name", "leader_email", "owner_contact_email"]


class AttachmentInline(TabularInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "size", "sha256", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class OfficeQuestionInline(TabularInline):
    """The office's questions and the municipality's answers, as the services recorded them."""

    model = OfficeQuestion
    fk_name = "application"
    extra = 0
    fields = ["text", "asked_by", "asked_at", "answer", "answered_by", "answered_at", "closed_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["municipality", "cohort", "status", "reference", "submitted_at"]
    list_select_related = ["municipality", "cohort"]
    list_filter = ["status", "cohort", "municipality__county"]
    search_fields = ["municipality__name", "municipality__number", "reference", "contact_name"]
    autocomplete_fields = ["municipality", "ppt_service"]
    readonly_fields = ["reference", "submission_count", "submitted_at", "submitted_by", "revisions"]
    inlines = [
        ApplicationSchoolInline,
        ApplicationKindergartenInline,
        AttachmentInline,
        OfficeQuestionInline,
    ]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "application", "size", "uploaded_at"]
    list_select_related = ["application__municipality", "application__cohort"]
    search_fields = ["original_name", "application__municipality__name"]
    readonly_fields = ["file", "original_name", "size", "sha256", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False


@admin.register(AccessLink)
class AccessLinkAdmin(ReadOnlyAdmin):
    """The links sent to take on the contact role; the office sends and replaces them."""

    list_display = ["municipality", "cohort", "kind", "email", "sent_at", "expires_at", "used_at"]
    list_select_related = ["municipality", "cohort"]
    list_filter = ["cohort"]
    search_fields = ["municipality__name", "email"]
    exclude = ["token_hash"]


@admin.register(ContactPerson)
class ContactPersonAdmin(ReadOnlyAdmin):
    """Who leads each application; set by the access link or handed over in the service."""

    list_display = ["municipality", "cohort", "user", "since"]
    list_select_related = ["municipality", "cohort", "user"]
    list_filter = ["cohort"]
    search_fields = ["municipality__name", "user__email"]
