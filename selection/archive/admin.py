"""Admin for the journal and the extracts: read only, since a journal post is never changed."""

from django.contrib import admin

from laeringsmiljo.admin import ReadOnlyAdmin
from selection.archive.models import ArchiveExport, CaseFile, JournalPost


@admin.register(CaseFile)
class CaseFileAdmin(ReadOnlyAdmin):
    list_display = ["case_number", "public_title", "cohort", "office", "created_at"]
    list_filter = ["cohort", "office"]
    list_select_related = ["cohort", "office"]
    search_fields = ["municipality__name", "municipality__number"]
    readonly_fields = [field.name for field in CaseFile._meta.fields]

    @admin.display(description="saksnummer")
    def case_number(self, obj):
        return obj.case_number


@admin.register(JournalPost)
class JournalPostAdmin(ReadOnlyAdmin):
    list_display = ["journal_number", "journal_date", "direction", "public_title", "sha256"]
    list_filter = ["direction", "source", "case_file__cohort"]
    list_select_related = ["case_file", "correspondent"]
    search_fields = ["public_title", "title", "correspondent__name", "reference"]
    readonly_fields = [field.name for field in JournalPost._meta.fields]

    @admin.display(description="journalpost")
    def journal_number(self, obj):
        return obj.journal_number


@admin.register(ArchiveExport)
class ArchiveExportAdmin(ReadOnlyAdmin):
    list_display = ["cohort", "office", "status", "done", "total", "created_at", "finished_at"]
    list_filter = ["status", "cohort"]
    list_select_related = ["cohort", "office"]
    readonly_fields = [field.name for field in ArchiveExport._meta.fields]
