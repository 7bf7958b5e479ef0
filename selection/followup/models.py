"""The follow-up of the invited municipalities: the reminder texts, the steps of the schedule
per cohort, and each reminder sent.

Imported by selection.models, so that Django registers them with the selection app.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laeringsmiljo.models import Cohort, EditableText, Municipality
from laeringsmiljo.times import clock_time
from selection.letters.models import LANGUAGES

# The steps every new cohort starts with: 14 and 3 days before the deadline, at 09:00 Oslo time.
DEFAULT_DAYS_BEFORE = (14, 3)
DEFAULT_SEND_TIME = datetime.time(9, 0)


class ReminderKind(models.TextChoices):
    APPLICATION = "soknad", _("Til kommunen: søknaden er ikke sendt inn")
    SIGNATORY = "bekreftelse", _("Til den som skal bekrefte: ikke svart")


class ReminderTemplate(EditableText):
    """The text of one kind of reminder e-mail in one written standard, with {placeholders}."""

    kind = models.CharField(_("påminnelse"), max_length=11, choices=ReminderKind.choices)
    body = models.TextField(_("tekst"), help_text=_("Avsnitt skilles med en tom linje."))

    unknown_kind_message = _("Velg hva slags påminnelse.")

    class Meta(EditableText.Meta):
        verbose_name = _("mal for påminnelse")
        verbose_name_plural = _("maler for påminnelser")
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="one_reminder_template")
        ]

    def allowed_placeholders(self):
        # Imported here: the placeholders of a kind are defined with the reminders' values.
        from selection.followup.placeholders import REMINDER_PLACEHOLDERS

        return REMINDER_PLACEHOLDERS.get(self.kind)


class ReminderStep(models.Model):
    """When the scheduled reminders of a cohort go out: so many days before the deadline (the
    office's, or a reopened application's own), at a time of day in Oslo."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("pulje"), on_delete=models.CASCADE, related_name="reminder_steps"
    )
    days_before = models.PositiveSmallIntegerField(
        _("dager før fristen"), validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    send_time = models.TimeField(_("klokkeslett (norsk tid)"), default=DEFAULT_SEND_TIME)

    class Meta:
        verbose_name = _("tidspunkt for påminnelser")
        verbose_name_plural = _("tidspunkter for påminnelser")
        ordering = ["cohort", "-days_before"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "days_before"], name="one_step_per_offset")
        ]

    def __str__(self):
        return _("%(days)s dager før fristen %(time)s") % {
            "days": self.days_before,
            "time": clock_time(self.send_time),
        }


class Reminder(models.Model):
    """One reminder e-mail to a municipality or to the signatories of its application, with
    the text as sent. A scheduled one is made once per municipality, kind, step and deadline
    round (a constraint, so two beats or a restarted worker never make it twice); one sent by
    hand from the board has no step."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("pulje"), on_delete=models.CASCADE, related_name="reminders"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune"),
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    kind = models.CharField(_("påminnelse"), max_length=11, choices=ReminderKind.choices)
    days_before = models.PositiveSmallIntegerField(
        _("dager før fristen"),
        null=True,
        blank=True,
        help_text=_("Tomt: sendt for hånd fra oppfølgingssiden."),
    )
    own_deadline = models.BooleanField(
        _("for søknadens egen frist"),
        default=False,
        help_text=_("Satt når påminnelsen gjelder fristen embetet ga da det gjenåpnet søknaden."),
    )
    deadline = models.DateField(_("fristen den minner om"))
    language = models.CharField(_("målform"), max_length=2, choices=LANGUAGES)
    recipients = models.TextField(_("mottakere"), help_text=_("Én adresse per linje."))
    subject = models.CharField(_("emne"), max_length=255)
    body = models.TextField(_("tekst"))
    missing = models.TextField(_("det som manglet"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sendt av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("bestilt"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    failure = models.TextField(_("hvorfor den venter"), blank=True)

    class Meta:
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["cohort", "municipality"])]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "municipality", "kind", "days_before", "own_deadline"],
                condition=Q(days_before__isnull=False),
                name="one_scheduled_reminder_per_step",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.municipality}"

    @property
    def recipient_list(self):
        return [line for line in self.recipients.splitlines() if line.strip()]
