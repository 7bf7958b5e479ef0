"""Admin for invitations, recommendations, decisions, publications, places and answers:
read-only; the cohorts' answer deadlines are edited here."""

from django.contrib import admin

from laeringsmiljo.admin import ReadOnlyAdmin
from selection.process.models import (
    AnswerDeadline,
    Decision,
    Invitation,
    OfficeReview,
    Participation,
    Place,
    Publication,
    Recommendation,
)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["municipality", "cohort", "was_proposed", "invited_by", "invited_at"]
    list_select_related = ["municipality", "cohort", "invited_by"]
    list_filter = ["cohort", "was_proposed", "municipality__county"]
    search_fields = ["municipality__name", "municipality__number"]


@admin.register(OfficeReview)
class OfficeReviewAdmin(ReadOnlyAdmin):
    list_display = ["office", "cohort", "sent_at", "sent_by"]
    list_select_related = ["office", "cohort", "sent_by"]
    list_filter = ["cohort", "office"]
    search_fields = ["office__name"]
    readonly_fields = ["sent_at", "sent_by"]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["application", "position", "verdict", "updated_by", "updated_at"]
    list_select_related = ["application__municipality", "application__cohort", "updated_by"]
    list_filter = ["verdict", "application__cohort"]
    search_fields = ["application__municipality__name"]
    readonly_fields = ["application", "verdict_by", "moved_by", "updated_by"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["application", "outcome", "decided_by", "decided_at"]
    list_select_related = ["application__municipality", "application__cohort", "decided_by"]
    list_filter = ["outcome", "application__cohort"]
    search_fields = ["application__municipality__name", "reason"]
    readonly_fields = ["application", "decided_by"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["cohort", "published_at", "published_by"]
    list_select_related = ["cohort", "published_by"]
    search_fields = ["cohort__name"]
    readonly_fields = ["cohort", "published_at", "published_by"]


@admin.register(AnswerDeadline)
class AnswerDeadlineAdmin(admin.ModelAdmin):
    list_display = ["cohort", "date"]
    list_select_related = ["cohort"]


@admin.register(Place)
class PlaceAdmin(ReadOnlyAdmin):
    list_display = ["cohort", "office", "status", "freed_at", "settled_by", "settled_at"]
    list_select_related = ["cohort", "office", "settled_by"]
    list_filter = ["cohort", "status", "office"]
    readonly_fields = ["cohort", "office", "settled_by"]


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ["application", "status", "promoted", "answer_by", "contact_name", "changed_at"]
    list_select_related = ["application__municipality", "application__cohort"]
    list_filter = ["status", "promoted", "place__cohort"]
    search_fields = ["application__municipality__name", "contact_name"]
    readonly_fields = ["application", "place", "changed_by"]
