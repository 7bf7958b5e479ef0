"""The municipality's application for one cohort, with its schools, kindergartens and files."""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laeringsmiljo.models import (
    Cohort,
    Kindergarten,
    Municipality,
    OfficeSchedule,
    PPTService,
    School,
    deadline_end,
)

phone_validator = RegexValidator(
    r"^\+?[0-9 ]{8,15}$",
    _("Skriv telefonnummeret med siffer, for eksempel 22 33 44 55 eller +47 22 33 44 55."),
    code="invalid_phone",
)


class ApplicationQuerySet(models.QuerySet):
    def for_list(self):
        """The columns of the case officers' list, with a fixed number of queries."""
        # A counting subquery per unit kind, not a join of both: joined, every school would
        # be repeated once per kindergarten before the counts.
        return self.select_related("cohort", "municipality__county").annotate(
            school_count=_unit_count(ApplicationSchool),
            kindergarten_count=_unit_count(ApplicationKindergarten),
        )


def _unit_count(model):
    units = (
        model.objects.filter(application=models.OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(count=models.Count("pk"))
        .values("count")
    )
    return Coalesce(models.Subquery(units), 0)


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "utkast", _("Utkast")
        SUBMITTED = "sendt", _("Sendt inn")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("pulje"), on_delete=models.PROTECT, related_name="applications"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.DRAFT
    )
    reference = models.CharField(_("referansenummer"), max_length=40, blank=True)
    submission_count = models.PositiveSmallIntegerField(_("antall innsendinger"), default=0)
    submitted_at = models.DateTimeField(_("sendt inn"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sendt inn av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deadline_override = models.DateField(
        _("utsatt frist"),
        null=True,
        blank=True,
        help_text=_("Settes når embetet gjenåpner søknaden; gjelder bare denne kommunen."),
    )
    receipt_sent_for = models.CharField(
        _("kvittering sendt for referanse"), max_length=40, blank=True, editable=False
    )
    revisions = models.JSONField(_("versjoner per del"), default=dict, blank=True)
    help_requested_at = models.DateTimeField(
        _("bedt embetet om hjelp"),
        null=True,
        blank=True,
        help_text=_(
            "Satt mens kommunen ber embetet om hjelp: da kan embetet lese utkastet før det er "
            "sendt inn."
        ),
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sist endret"), auto_now=True)

    # 1. Contact person and address
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_role = models.CharField(_("stilling"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-post"), blank=True)
    contact_phone = models.CharField(
        _("telefon"), max_length=20, blank=True, validators=[phone_validator]
    )
    postal_address = models.TextField(_("kommunens postadresse"), blank=True)

    # 4. PPT
    ppt_service = models.ForeignKey(
        PPTService,
        verbose_name=_("PP-tjeneste"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    ppt_contact_name = models.CharField(_("kontaktperson i PPT"), max_length=200, blank=True)
    ppt_contact_email = models.EmailField(_("e-post til kontaktpersonen i PPT"), blank=True)
    ppt_contact_phone = models.CharField(
        _("telefon til kontaktpersonen i PPT"),
        max_length=20,
        blank=True,
        validators=[phone_validator],
    )

    # 5. Commitments of the owners and PPT (leaders' are on each unit)
    # Who commits for each (the commitment itself is a Commitment, answered by link).
    school_owner_name = models.CharField(_("navn"), max_length=200, blank=True)
    school_owner_role = models.CharField(_("stilling"), max_length=200, blank=True)
    school_owner_email = models.EmailField(_("e-post"), blank=True)
    kindergarten_owner_name = models.CharField(_("navn"), max_length=200, blank=True)
    kindergarten_owner_role = models.CharField(_("stilling"), max_length=200, blank=True)
    kindergarten_owner_email = models.EmailField(_("e-post"), blank=True)
    ppt_leader_name = models.CharField(_("navn"), max_length=200, blank=True)
    ppt_leader_role = models.CharField(_("stilling"), max_length=200, blank=True)
    ppt_leader_email = models.EmailField(_("e-post"), blank=True)

    # 6. Motivation
    motivation_why = models.TextField(_("hvorfor kommunen søker"), blank=True)
    motivation_goals = models.TextField(_("hva kommunen vil arbeide med"), blank=True)
    motivation_priority = models.TextField(
        _("hvordan kommunen vil prioritere arbeidet"), blank=True
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("søknad")
        verbose_name_plural = _("søknader")
        ordering = ["cohort", "municipality__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "municipality"], name="one_application_per_cohort"
            ),
            models.UniqueConstraint(
                fields=["reference"],
                condition=~models.Q(reference=""),
                name="unique_application_reference",
            ),
        ]

    def __str__(self):
        return f"{self.cohort} – {self.municipality}"

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED

    def schedule(self):
        return OfficeSchedule.objects.filter(
            cohort_id=self.cohort_id, office_id=self.municipality.county.office_id
        ).first()

    def deadline(self, schedule=None):
        """The last day to submit: the office's deadline, or the one set when reopened."""
        if self.deadline_override:
            return self.deadline_override
        schedule = schedule or self.schedule()
        return schedule.application_deadline if schedule else None

    def closes_at(self, schedule=None):
        day = self.deadline(schedule)
        return deadline_end(day) if day else None

    def is_closed(self, now=None, schedule=None):
        """Whether the municipality's deadline has passed (or it has none), so that the
        application can no longer be changed or sent; reopening gives it a later deadline."""
        closes_at = self.closes_at(schedule)
        return closes_at is None or (now or timezone.now()) >= closes_at


class ApplicationSchool(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("søknad"), on_delete=models.CASCADE, related_name="schools"
    )
    school = models.ForeignKey(
        School, verbose_name=_("skole"), on_delete=models.PROTECT, related_name="+"
    )
    motivation = models.TextField(_("kort motivasjon"), blank=True)
    challenges = models.TextField(_("kjente utfordringer"), blank=True)
    leader_name = models.CharField(_("rektors navn"), max_length=200, blank=True)
    leader_role = models.CharField(_("stilling"), max_length=200, blank=True, default="Rektor")
    leader_email = models.EmailField(_("rektors e-post"), blank=True)

    class Meta:
        verbose_name = _("deltakende skole")
        verbose_name_plural = _("deltakende skoler")
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "school"], name="school_once_per_application"
            )
        ]

    def __str__(self):
        return str(self.school)


class ApplicationKindergarten(models.Model):
    application = models.ForeignKey(
        Application,
        verbose_name=_("søknad"),
        on_delete=models.CASCADE,
        related_name="kindergartens",
    )
    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("barnehage"), on_delete=models.PROTECT, related_name="+"
    )
    feeds = models.ManyToManyField(
        ApplicationSchool,
        verbose_name=_("sender barn til"),
        blank=True,
        related_name="feeder_kindergartens",
    )
    motivation = models.TextField(_("kort motivasjon"), blank=True)
    challenges = models.TextField(_("kjente utfordringer"), blank=True)
    leader_name = models.CharField(_("styrers navn"), max_length=200, blank=True)
    leader_role = models.CharField(_("stilling"), max_length=200, blank=True, default="Styrer")
    leader_email = models.EmailField(_("styrers e-post"), blank=True)
    owner_contact_name = models.CharField(_("navn"), max_length=200, blank=True)
    owner_contact_role = models.CharField(_("stilling"), max_length=200, blank=True)
    owner_contact_email = models.EmailField(_("e-post"), blank=True)

    class Meta:
        verbose_name = _("deltakende barnehage")
        verbose_name_plural = _("deltakende barnehager")
        ordering = ["kindergarten__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kindergarten"], name="kindergarten_once_per_application"
            )
        ]

    def __str__(self):
        return str(self.kindergarten)


def attachment_path(instance, filename):
    return f"vedlegg/{instance.application_id}/{uuid.uuid4().hex}.pdf"


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("søknad"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("fil"), upload_to=attachment_path)
    original_name = models.CharField(_("filnavn"), max_length=255)
    size = models.PositiveIntegerField(_("størrelse (byte)"))
    sha256 = models.CharField(_("sjekksum (SHA-256)"), max_length=64)
    description = models.CharField(_("beskrivelse"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lastet opp av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("lastet opp"), auto_now_add=True)

    class Meta:
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class AccessLink(models.Model):
    """A personal link, e-mailed to the municipality's registered address, to take on the role
    of contact person for one cohort. Only the sha256 of its token is kept; the token itself
    exists only in the e-mail. Made when the office asks, sent (and its token drawn) by the
    background job, used once."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("pulje"), on_delete=models.CASCADE, related_name="access_links"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune"),
        on_delete=models.CASCADE,
        related_name="access_links",
    )

    class Kind(models.TextChoices):
        CONTACT = "kontakt", _("Kontaktperson")
        COLLEAGUE = "kollega", _("Medredaktør")

    kind = models.CharField(
        _("gir tilgang som"), max_length=7, choices=Kind.choices, default=Kind.CONTACT
    )
    email = models.EmailField(_("sendt til"), blank=True)
    token_hash = models.CharField(
        _("sjekksum av lenken"), max_length=64, blank=True, editable=False
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bestilt av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("bestilt"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    expires_at = models.DateTimeField(_("utløper"), null=True, blank=True)
    used_at = models.DateTimeField(_("brukt"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("brukt av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    voided_at = models.DateTimeField(_("ugyldiggjort"), null=True, blank=True)

    class Meta:
        verbose_name = _("tilgangslenke")
        verbose_name_plural = _("tilgangslenker")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["cohort", "municipality"])]
        constraints = [
            models.UniqueConstraint(
                fields=["token_hash"],
                condition=~models.Q(token_hash=""),
                name="unique_access_link_token_hash",
            )
        ]

    def __str__(self):
        return f"{self.cohort} – {self.municipality}"


class ContactPerson(models.Model):
    """The one member of a municipality who leads its application for a cohort: submits,
    withdraws and hands the role over. Set by the access link from the invitation (or a hand
    over); the other members of the municipality are co-editors. A municipality without one
    (accounts made in admin) lets each member lead."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("pulje"), on_delete=models.CASCADE, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune"),
        on_delete=models.CASCADE,
        related_name="contact_persons",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kontaktperson"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    since = models.DateTimeField(_("siden"), auto_now=True)

    class Meta:
        verbose_name = _("kontaktperson for søknaden")
        verbose_name_plural = _("kontaktpersoner for søknadene")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "municipality"], name="one_contact_person_per_application"
            )
        ]

    def __str__(self):
        return f"{self.cohort} – {self.municipality}: {self.user}"


class Commitment(models.Model):
    """A request to one signatory (a school's or kindergarten's leader, a private owner, the
    school owner, the municipality as kindergarten owner, the PPT service) to confirm that
    their unit takes part, and their answer. The signatory gets a personal expiring link, no
    account needed; only the sha256 of its token is kept. The answer keeps who gave it, when,
    and a copy of the text they saw. Changing the unit's signatory or removing the unit voids
    it; only an answer of an open (not voided) request counts."""

    class Kind(models.TextChoices):
        SCHOOL_OWNER = "skoleeier", _("Skoleeier")
        KINDERGARTEN_OWNER = "barnehageeier", _("Kommunen som barnehageeier")
        PPT = "ppt", _("PP-tjenesten")
        SCHOOL = "skole", _("Rektor")
        KINDERGARTEN = "barnehage", _("Styrer")
        PRIVATE_OWNER = "privat_eier", _("Privat barnehageeier")

    class Answer(models.TextChoices):
        NONE = "", _("ikke svart")
        CONFIRMED = "bekreftet", _("bekreftet")
        DECLINED = "avslatt", _("avslått")

    application = models.ForeignKey(
        Application, verbose_name=_("søknad"), on_delete=models.CASCADE, related_name="commitments"
    )
    kind = models.CharField(_("part"), max_length=13, choices=Kind.choices)
    school = models.ForeignKey(
        ApplicationSchool,
        verbose_name=_("skole"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    kindergarten = models.ForeignKey(
        ApplicationKindergarten,
        verbose_name=_("barnehage"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    name = models.CharField(_("navn"), max_length=200)
    role = models.CharField(_("stilling"), max_length=200)
    email = models.EmailField(_("e-post"))
    round = models.PositiveSmallIntegerField(_("utsending nr."), default=1)
    token_hash = models.CharField(
        _("sjekksum av lenken"), max_length=64, blank=True, editable=False
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sendt av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("bestilt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    expires_at = models.DateTimeField(_("utløper"), null=True, blank=True)
    answer = models.CharField(
        _("svar"), max_length=9, choices=Answer.choices, blank=True, default=Answer.NONE
    )
    answered_at = models.DateTimeField(_("svart"), null=True, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    text_seen = models.TextField(_("teksten som ble bekreftet"), blank=True)
    voided_at = models.DateTimeField(_("ugyldiggjort"), null=True, blank=True)

    class Meta:
        verbose_name = _("forpliktelse")
        verbose_name_plural = _("forpliktelser")
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["token_hash"],
                condition=~models.Q(token_hash=""),
                name="unique_commitment_token_hash",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"

    @property
    def slot(self):
        return (self.kind, self.school_id, self.kindergarten_id)


class OfficeQuestion(models.Model):
    """A case officer's question to the municipality about its application after it was sent
    in, and the municipality's answer: asked and answered on the application page without the
    application going back to draft. The office may mark a question answered (by telephone,
    say) or ask again, which closes the earlier one and follows it."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("søknad"),
        on_delete=models.CASCADE,
        related_name="office_questions",
    )
    text = models.TextField(_("spørsmål"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("spurt av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("spurt"), default=timezone.now)
    follows = models.ForeignKey(
        "self",
        verbose_name=_("spør igjen etter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    answer = models.TextField(_("svar"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("svart av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("svart"), null=True, blank=True)
    closed_at = models.DateTimeField(_("markert besvart"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("markert besvart av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("spørsmål til kommunen")
        verbose_name_plural = _("spørsmål til kommunene")
        ordering = ["application", "asked_at", "pk"]

    def __str__(self):
        return f"{self.application}: {self.text[:60]}"

    @property
    def is_open(self):
        """Waiting for the municipality: neither answered nor marked answered."""
        return not self.answered_at and not self.closed_at
