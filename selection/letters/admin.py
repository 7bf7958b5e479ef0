"""Admin for the letter texts, the sender, the batches and the letters."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from laeringsmiljo.admin import TabularInline
from laeringsmiljo.models import Cohort, Municipality
from laeringsmiljo.security import allow_own_styles
from selection.letters.models import Letter, LetterBatch, LetterTemplate, SenderSettings
from selection.letters.services import LetterError, render_letter_html


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
        """The letter as it would look for a chosen municipality (HTML, as the PDF is made)."""
        template = get_object_or_404(LetterTemplate, pk=pk)
        municipality_pk = request.GET.get("kommune")
        municipality = (
            Municipality.objects.select_related("county__office").filter(pk=municipality_pk).first()
            if municipality_pk and municipality_pk.isdigit()
            else None
        )
        if municipality is None:
            return render(
                request,
                "admin/selection/lettertemplate/preview_choose.html",
                {
                    **self.admin_site.each_context(request),
                    "template": template,
                    "municipalities": Municipality.objects.order_by("number"),
                    "opts": self.model._meta,
                    "title": _("Forhåndsvis brev"),
                },
            )
        cohort = Cohort.objects.order_by("-number").first()
        letter = Letter(
            kind=template.kind,
            cohort=cohort,
            municipality=municipality,
            reference=f"LMP{cohort.number if cohort else 0}-{municipality.number}-1",
            language=template.language,
            signer_name=request.user.get_full_name() or request.user.get_username(),
        )
        try:
            _subject, html = render_letter_html(letter)
        except (LetterError, ValidationError) as error:
            return HttpResponse(str(error), content_type="text/plain; charset=utf-8", status=400)
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


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
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
        "sent_to",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False
