from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.forms.formsets import INITIAL_FORM_COUNT
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from laeringsmiljo.models import (
    AuditEvent,
    Cohort,
    County,
    EmailTemplate,
    ExternalIdentity,
    FeederLink,
    GovernorOffice,
    Kindergarten,
    Membership,
    Municipality,
    OfficeName,
    OfficeSchedule,
    PPTService,
    School,
)

admin.site.site_header = _("Læringsmiljø – administrasjon")
admin.site.site_title = _("Læringsmiljø")
admin.site.index_title = _("Administrasjon")


class RowsOnceFormSet(BaseInlineFormSet):
    """Refuses a row sent twice, and a count of saved rows that is not the page's: with either,
    Django would save one object with another form's values, or the saved rows as new ones,
    and fail on a unique constraint instead of saying so."""

    def clean(self):
        super().clean()
        initial = self.management_form.cleaned_data.get(INITIAL_FORM_COUNT, 0)
        if not 0 <= initial <= self.get_queryset().count():
            raise ValidationError(
                _("Skjemaet stemmer ikke med det som er lagret. Last siden på nytt og prøv igjen."),
                code="stale_management_form",
            )
        seen = set()
        for form in self.forms:
            row = form.cleaned_data.get("id") if hasattr(form, "cleaned_data") else None
            if row is None:
                continue
            if row.pk in seen:
                raise ValidationError(
                    _("Den samme raden er sendt to ganger. Last siden på nytt og prøv igjen."),
                    code="row_twice",
                )
            seen.add(row.pk)


class TabularInline(admin.TabularInline):
    """The project's inlines: a row can be sent only once."""

    formset = RowsOnceFormSet


class CountyInline(TabularInline):
    model = County
    extra = 0
    fields = ["number", "name"]


class OfficeNameInline(TabularInline):
    """The office's names in time: a letter uses the one in force on its date."""

    model = OfficeName
    extra = 0
    fields = ["name", "valid_from", "valid_until"]


@admin.register(GovernorOffice)
class GovernorOfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "email", "organisation_number", "default_written_standard"]
    search_fields = ["name", "code", "email", "names__name"]
    list_filter = ["default_written_standard"]
    inlines = [OfficeNameInline, CountyInline]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "office"]
    list_select_related = ["office"]
    search_fields = ["number", "name"]
    list_filter = ["office"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "county", "written_standard", "email"]
    list_select_related = ["county"]
    list_filter = ["county", "written_standard"]
    search_fields = ["number", "name", "organisation_number"]
    list_editable = ["written_standard"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_number", "municipality", "level", "owner_kind", "active"]
    list_select_related = ["municipality"]
    list_filter = ["level", "owner_kind", "active", "municipality__county"]
    search_fields = ["name", "organisation_number", "municipality__name", "municipality__number"]
    autocomplete_fields = ["municipality"]


class FeederLinkInline(TabularInline):
    model = FeederLink
    extra = 0
    autocomplete_fields = ["school"]


@admin.register(Kindergarten)
class KindergartenAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_number", "municipality", "owner_kind", "owner_name"]
    list_select_related = ["municipality"]
    list_filter = ["owner_kind", "active", "municipality__county"]
    search_fields = ["name", "organisation_number", "owner_name", "municipality__name"]
    autocomplete_fields = ["municipality"]
    inlines = [FeederLinkInline]


@admin.register(FeederLink)
class FeederLinkAdmin(admin.ModelAdmin):
    list_display = ["kindergarten", "school"]
    list_select_related = ["kindergarten", "school"]
    search_fields = ["kindergarten__name", "school__name"]
    list_filter = ["school__municipality__county"]
    autocomplete_fields = ["kindergarten", "school"]


@admin.register(PPTService)
class PPTServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_number", "email"]
    search_fields = ["name", "organisation_number", "municipalities__name"]
    list_filter = ["municipalities__county"]
    autocomplete_fields = ["municipalities"]


class OfficeScheduleInline(TabularInline):
    model = OfficeSchedule
    extra = 0


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "name",
        "kickoff_date",
        "start_date",
        "end_date",
        "decisions_are_individual",
        "is_practice",
    ]
    list_filter = ["is_practice", "decisions_are_individual"]
    search_fields = ["name"]
    inlines = [OfficeScheduleInline]


@admin.register(OfficeSchedule)
class OfficeScheduleAdmin(admin.ModelAdmin):
    list_display = [
        "cohort",
        "office",
        "invitation_date",
        "application_deadline",
        "recommendation_deadline",
        "capacity",
    ]
    list_select_related = ["cohort", "office"]
    list_filter = ["cohort", "office"]
    search_fields = ["office__name", "cohort__name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "municipality", "office"]
    list_select_related = ["user", "municipality", "office"]
    list_filter = ["role", "office"]
    search_fields = ["user__username", "user__email", "municipality__name", "office__name"]
    autocomplete_fields = ["user", "municipality", "office"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: what the service records itself (it locks and audits every
    change), and the audit log."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the log is append-only, and not even a superuser changes it."""

    list_display = ["at", "actor", "action", "content_type", "object_repr"]
    list_select_related = ["actor", "content_type"]
    list_filter = ["action", "content_type"]
    search_fields = ["action", "object_repr", "actor__username", "object_id"]
    date_hierarchy = "at"


class MembershipInline(TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["municipality", "office"]


class ExternalIdentityForm(forms.ModelForm):
    """An administrator ties an identity to the user: for ID-porten by the national identity
    number, which is kept only as its keyed hash (the field is never shown filled in); for
    the staff's provider by its stable id (sub, or oid for Entra ID)."""

    identity = forms.CharField(
        label=_("Fødselsnummer (ID-porten) eller fast id (ansatt)"),
        required=False,
        max_length=255,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Fødselsnummeret lagres aldri, bare en nøkkelhash av det."),
    )

    class Meta:
        model = ExternalIdentity
        fields = ["provider"]

    def clean(self):
        cleaned = super().clean()
        value = (cleaned.get("identity") or "").strip()
        if self.instance.pk is None and not value:
            self.add_error("identity", _("Skriv inn identiteten som skal knyttes til brukeren."))
            return cleaned
        if value and cleaned.get("provider") == ExternalIdentity.Provider.IDPORTEN:
            from stdnum.no import fodselsnummer

            if not settings.PID_HMAC_KEY:
                self.add_error(None, _("ID-porten er ikke satt opp (PID_HMAC_KEY mangler)."))
                return cleaned
            if not fodselsnummer.is_valid(value):
                self.add_error("identity", _("Fødselsnummeret er ikke gyldig."))
                return cleaned
            from laeringsmiljo.signin.oidc import pid_hash

            self.instance.subject = pid_hash(fodselsnummer.compact(value))
        elif value:
            self.instance.subject = value
        return cleaned


class ExternalIdentityInline(TabularInline):
    model = ExternalIdentity
    form = ExternalIdentityForm
    extra = 0
    fields = ["provider", "identity", "created_at"]
    readonly_fields = ["created_at"]


admin.site.unregister(User)


@admin.register(User)
class UserWithRolesAdmin(UserAdmin):
    inlines = [MembershipInline, ExternalIdentityInline]
    actions = ["send_staff_invitation"]

    @admin.action(description=_("Send invitasjon til å logge inn som ansatt"))
    def send_staff_invitation(self, request, queryset):
        """E-mail each chosen staff user a personal link that ties their sign-in at the staff's
        identity provider to the user; say who was not invited and why."""
        from laeringsmiljo.signin.staff_invitations import InvitationError, invite_staff

        sent = []
        for user in queryset.order_by("username"):
            try:
                invite_staff(user=user, actor=request.user)
            except InvitationError as error:
                self.message_user(
                    request,
                    _("%(user)s fikk ingen invitasjon: %(reason)s")
                    % {"user": user.get_username(), "reason": error.message},
                    messages.WARNING,
                )
            except OSError:
                self.message_user(
                    request,
                    _(
                        "Invitasjonen til %(user)s kunne ikke sendes (e-posttjenesten svarte "
                        "ikke). Prøv igjen om litt."
                    )
                    % {"user": user.get_username()},
                    messages.ERROR,
                )
            else:
                sent.append(user.get_username())
        if sent:
            self.message_user(
                request,
                _("Invitasjon sendt til %(users)s.") % {"users": ", ".join(sent)},
                messages.SUCCESS,
            )


class EditableTextAdmin(admin.ModelAdmin):
    """Admin for the texts edited per kind and written standard, with the placeholders their
    kind allows shown on the form."""

    list_display = ["kind", "language", "subject", "updated_at"]
    list_filter = ["kind", "language"]
    search_fields = ["subject", "body"]
    readonly_fields = ["allowed_placeholders"]

    @admin.display(description=_("plassholdere"))
    def allowed_placeholders(self, obj):
        allowed = (obj.allowed_placeholders() or {}) if obj and obj.kind else {}
        return "; ".join(f"{{{name}}}: {text}" for name, text in sorted(allowed.items()))


@admin.register(EmailTemplate)
class EmailTemplateAdmin(EditableTextAdmin):
    def has_delete_permission(self, request, obj=None):
        return False
