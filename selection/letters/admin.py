"""Admin for the letter texts, the sender, the batches and the letters."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from laeringsmiljo.admin import TabularInline
from laeringsmiljo.security import allow_own_styles
from selection.letters.models import (
    Letter,
    LetterBatch,
    LetterTemplate,
    LetterVersion,
    OutboxSetting,
    SenderSettings,
)
from selection.letters.services import (
    LetterError,
    preview_cases,
    preview_letter,
    render_letter_html,
)


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ["kind", "language", "subject", "updated_at", "preview_link"]
    list_filter = ["kind", "language"]
    search_fields = ["subject", "body"]

    @admin.display(description=_("forhåndsvisning"))
    def preview_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:selection_lettertemplate_preview", args=[obj.pk]),
            _("Forhåndsvis"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/forhandsvis/",
                self.admin_site.admin_view(self.preview_view),
                name="selection_lettertemplate_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        """The letter as it would look in a case chosen from those that have what the kind
        needs (HTML, as the PDF is made)."""
        template = get_object_or_404(LetterTemplate, pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "template": template,
            "opts": self.model._meta,
            "title": _("Forhåndsvis brev"),
        }
        key = request.GET.get("sak", "")
        letter = key and preview_letter(
            template.kind,
            template.language,
            key,
            signer_name=request.user.get_full_name() or request.user.get_username(),
        )
        if not letter:
            context["cases"] = preview_cases(template.kind)
            context["unknown"] = bool(key)
            return render(request, "admin/selection/lettertemplate/preview_choose.html", context)
        try:
            _subject, html = render_letter_html(letter)
        except (LetterError, ValidationError) as error:
            context["cases"] = preview_cases(template.kind)
            context["error"] = error.messages if isinstance(error, ValidationError) else [error]
            return render(
                request, "admin/selection/lettertemplate/preview_choose.html", context, status=400
            )
        # The letter's own <style> holds its page rules for the PDF.
        return allow_own_styles(HttpResponse(html), html)


@admin.register(SenderSettings)
class SenderSettingsAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "default_written_standard"]

    def has_add_permission(self, request):
        return not SenderSettings.objects.exists()


class LetterInline(TabularInline):
    model = Letter
    extra = 0
    fields = ["municipality", "kind", "status", "send_status", "failure"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LetterBatch)
class LetterBatchAdmin(admin.ModelAdmin):
    list_display = ["purpose", "cohort", "office", "created_by", "created_at", "finished_at"]
    list_select_related = ["cohort", "office", "created_by"]
    list_filter = ["purpose", "cohort", "office"]
    search_fields = ["office__name", "cohort__name"]
    readonly_fields = ["purpose", "cohort", "office", "created_by", "zip_file", "finished_at"]
    inlines = [LetterInline]

    def has_add_permission(self, request):
        return False


@admin.register(OutboxSetting)
class OutboxSettingAdmin(admin.ModelAdmin):
    list_display = ["kind", "held"]
    list_editable = ["held"]


class LetterVersionInline(TabularInline):
    model = LetterVersion
    extra = 0
    fields = ["generated_at", "dated", "sha256", "reason", "replaced_at", "replaced_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    inlines = [LetterVersionInline]
    list_display = [
        "municipality",
        "kind",
        "language",
        "reference",
        "status",
        "send_status",
        "created_at",
    ]
    list_select_related = ["municipality", "cohort"]
    list_filter = ["kind", "status", "send_status", "language", "cohort"]
    search_fields = ["municipality__name", "municipality__number", "reference", "subject"]
    readonly_fields = [
        "kind", "cohort", "municipality", "application", "reference", "batch", "language",
        "signer_name", "status", "failure", "file", "sha256", "size", "pages", "subject",
        "queued_at", "attempts", "generated_at", "send_status", "send_error", "sent_at",
        "sent_to", "held", "released_at", "released_by", "replaces", "reason", "reason_date",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False
