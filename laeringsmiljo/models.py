"""The registry, cohorts and their schedules, memberships and the audit log."""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laeringsmiljo.times import date_and_time
from laeringsmiljo.validators import (
    validate_county_number,
    validate_municipality_number,
    validate_orgnr,
)


class WrittenStandard(models.TextChoices):
    BOKMAAL = "nb", _("bokmål")
    NYNORSK = "nn", _("nynorsk")
    NEUTRAL = "noytral", _("nøytral")


class OwnerKind(models.TextChoices):
    PUBLIC = "offentlig", _("offentlig")
    PRIVATE = "privat", _("privat")


class NumberedManager(models.Manager):
    """Looks rows up by their public number, so fixtures can refer to them by natural key."""

    def get_by_natural_key(self, number):
        return self.get(number=number)


class County(models.Model):
    number = models.CharField(
        _("fylkesnummer"), max_length=2, unique=True, validators=[validate_county_number]
    )
    name = models.CharField(_("navn"), max_length=100)
    office = models.ForeignKey(
        "GovernorOffice",
        verbose_name=_("embete"),
        on_delete=models.PROTECT,
        related_name="counties",
    )

    objects = NumberedManager()

    class Meta:
        verbose_name = _("fylke")
        verbose_name_plural = _("fylker")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} {self.name}"

    def natural_key(self):
        return (self.number,)

    natural_key.dependencies = ["laeringsmiljo.governoroffice"]


class GovernorOfficeManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class GovernorOffice(models.Model):
    code = models.SlugField(
        _("kode"), max_length=40, unique=True, help_text=_("Kort, fast kode for embetet.")
    )
    name = models.CharField(
        _("navn"),
        max_length=150,
        unique=True,
        help_text=_("Navnet brukes der embetet ikke har et datert navn for dagen (se navn i tid)."),
    )
    email = models.EmailField(_("e-post"), blank=True)
    postal_address = models.TextField(_("postadresse"), blank=True)
    organisation_number = models.CharField(
        _("organisasjonsnummer"), max_length=9, blank=True, validators=[validate_orgnr]
    )
    website = models.CharField(_("nettadresse"), max_length=200, blank=True)
    default_written_standard = models.CharField(
        _("målform for brev til nøytrale kommuner"),
        max_length=7,
        choices=[(WrittenStandard.BOKMAAL, _("bokmål")), (WrittenStandard.NYNORSK, _("nynorsk"))],
        default=WrittenStandard.BOKMAAL,
    )

    objects = GovernorOfficeManager()

    class Meta:
        verbose_name = _("embete")
        verbose_name_plural = _("embeter")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def name_on(self, day):
        """The office's name in force on the day: Fylkesmannen i … until 31 December 2020,
        Statsforvalteren i … from 1 January 2021, as its dated names say; its name otherwise."""
        for dated in self.names.all():
            if (dated.valid_from is None or dated.valid_from <= day) and (
                dated.valid_until is None or day <= dated.valid_until
            ):
                return dated.name
        return self.name


class OfficeNameManager(models.Manager):
    def get_by_natural_key(self, office_code, valid_from):
        return self.get(office__code=office_code, valid_from=valid_from)


class OfficeName(models.Model):
    """A name an office has borne for a time, so that a letter gets the name of its date."""

    office = models.ForeignKey(
        GovernorOffice, verbose_name=_("embete"), on_delete=models.CASCADE, related_name="names"
    )
    name = models.CharField(_("navn"), max_length=150)
    valid_from = models.DateField(
        _("gjelder fra"), null=True, blank=True, help_text=_("Tomt: fra før registeret.")
    )
    valid_until = models.DateField(
        _("gjelder til og med"), null=True, blank=True, help_text=_("Tomt: gjelder fortsatt.")
    )

    objects = OfficeNameManager()

    class Meta:
        verbose_name = _("navn i tid")
        verbose_name_plural = _("navn i tid")
        ordering = ["office", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["office", "valid_from"], name="one_name_per_start")
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.office.code, self.valid_from)

    natural_key.dependencies = ["laeringsmiljo.governoroffice"]

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("Sluttdatoen kan ikke være før startdatoen.")})
        if self.office_id is None:
            return
        others = OfficeName.objects.filter(office_id=self.office_id).exclude(pk=self.pk)
        for other in others:
            starts_before_other_ends = (
                other.valid_until is None
                or self.valid_from is None
                or self.valid_from <= other.valid_until
            )
            ends_after_other_starts = (
                self.valid_until is None
                or other.valid_from is None
                or other.valid_from <= self.valid_until
            )
            if starts_before_other_ends and ends_after_other_starts:
                raise ValidationError(
                    _("Perioden overlapper med navnet «%(name)s».") % {"name": other.name}
                )


class MunicipalityQuerySet(models.QuerySet):
    def covered_by(self, office_ids):
        """The municipalities an office covers: those of its counties (Oslo og Viken covers
        two). None means every office's, as Udir sees them. The one place this is decided;
        Municipality.office_id says the same of one municipality."""
        if office_ids is None:
            return self
        return self.filter(county__office_id__in=office_ids)


class Municipality(models.Model):
    number = models.CharField(
        _("kommunenummer"),
        max_length=4,
        unique=True,
        validators=[validate_municipality_number],
        help_text=_("Fire siffer, med innledende null (0301 Oslo)."),
    )
    name = models.CharField(_("navn"), max_length=150)
    county = models.ForeignKey(
        County, verbose_name=_("fylke"), on_delete=models.PROTECT, related_name="municipalities"
    )
    written_standard = models.CharField(
        _("målform"),
        max_length=7,
        choices=WrittenStandard.choices,
        default=WrittenStandard.NEUTRAL,
        help_text=_(
            "Kommunens vedtatte målform. Opplysningen fra 2020-registeret er ikke verifisert."
        ),
    )
    organisation_number = models.CharField(
        _("organisasjonsnummer"), max_length=9, blank=True, validators=[validate_orgnr]
    )
    postal_address = models.TextField(_("postadresse"), blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    website = models.CharField(_("nettsted"), max_length=200, blank=True)

    objects = NumberedManager.from_queryset(MunicipalityQuerySet)()

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__regex=r"^[0-9]{4}$"), name="municipality_number_four_digits"
            )
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    def natural_key(self):
        return (self.number,)

    natural_key.dependencies = ["laeringsmiljo.county"]

    @property
    def office(self):
        return self.county.office

    @property
    def office_id(self):
        """The office that covers the municipality (MunicipalityQuerySet.covered_by)."""
        return self.county.office_id

    def letter_language(self, sender_default=None):
        """The language to write to the municipality in: its målform, or for a neutral
        municipality the sender's default (the office's unless another is given)."""
        if self.written_standard in (WrittenStandard.BOKMAAL, WrittenStandard.NYNORSK):
            return self.written_standard
        return sender_default or self.county.office.default_written_standard


class Unit(models.Model):
    """What schools and kindergartens share: an identity in Udir's registers (NSR/NBR)."""

    organisation_number = models.CharField(
        _("organisasjonsnummer"), max_length=9, unique=True, validators=[validate_orgnr]
    )
    name = models.CharField(_("navn"), max_length=200)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), on_delete=models.PROTECT
    )
    owner_kind = models.CharField(
        _("eierform"), max_length=9, choices=OwnerKind.choices, default=OwnerKind.PUBLIC
    )
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class School(Unit):
    class Level(models.TextChoices):
        PRIMARY = "barneskole", _("barneskole")
        LOWER_SECONDARY = "ungdomsskole", _("ungdomsskole")
        COMBINED = "kombinert", _("kombinert barne- og ungdomsskole")

    level = models.CharField(_("skoleslag"), max_length=12, choices=Level.choices)
    pupils = models.PositiveIntegerField(_("antall elever"), null=True, blank=True)

    class Meta(Unit.Meta):
        verbose_name = _("skole")
        verbose_name_plural = _("skoler")
        default_related_name = "schools"
        indexes = [models.Index(fields=["municipality", "name"])]


class Kindergarten(Unit):
    owner_name = models.CharField(_("eiers navn"), max_length=200, blank=True)
    owner_organisation_number = models.CharField(
        _("eiers organisasjonsnummer"), max_length=9, blank=True, validators=[validate_orgnr]
    )
    children = models.PositiveIntegerField(_("antall barn"), null=True, blank=True)
    feeds = models.ManyToManyField(
        School,
        verbose_name=_("sender barn til"),
        through="FeederLink",
        related_name="feeder_kindergartens",
        blank=True,
    )

    class Meta(Unit.Meta):
        verbose_name = _("barnehage")
        verbose_name_plural = _("barnehager")
        default_related_name = "kindergartens"
        indexes = [models.Index(fields=["municipality", "name"])]

    def clean(self):
        super().clean()
        if self.owner_kind == OwnerKind.PRIVATE and not self.owner_name:
            raise ValidationError(
                {"owner_name": _("En privat barnehage må ha eierens navn.")}, code="owner_missing"
            )


class FeederLink(models.Model):
    """A kindergarten that sends children to a school (in the registry, not per application)."""

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("barnehage"), on_delete=models.CASCADE
    )
    school = models.ForeignKey(School, verbose_name=_("skole"), on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("overgang barnehage–skole")
        verbose_name_plural = _("overganger barnehage–skole")
        constraints = [
            models.UniqueConstraint(fields=["kindergarten", "school"], name="unique_feeder_link")
        ]

    def __str__(self):
        return f"{self.kindergarten} → {self.school}"


class PPTService(models.Model):
    name = models.CharField(_("navn"), max_length=200)
    organisation_number = models.CharField(
        _("organisasjonsnummer"), max_length=9, unique=True, validators=[validate_orgnr]
    )
    email = models.EmailField(_("e-post"), blank=True)
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("kommuner den tjener"), related_name="ppt_services"
    )

    class Meta:
        verbose_name = _("PP-tjeneste")
        verbose_name_plural = _("PP-tjenester")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Cohort(models.Model):
    number = models.PositiveSmallIntegerField(_("puljenummer"), unique=True)
    name = models.CharField(_("navn"), max_length=150)
    kickoff_date = models.DateField(_("oppstartssamling"))
    start_date = models.DateField(_("formell oppstart"))
    end_date = models.DateField(_("avslutning"))
    semesters = models.PositiveSmallIntegerField(_("antall semestre"), default=4)
    decisions_are_individual = models.BooleanField(
        _("vedtakene er enkeltvedtak"),
        default=True,
        help_text=_(
            "Kryss av når Udir har bestemt at utvalget er enkeltvedtak etter forvaltningsloven: "
            "vedtaksbrevene får da avsnittet om klagerett og innsyn. Uten kryss heter brevene "
            "«Melding om resultat» og sier hvorfor resultatet ikke kan påklages."
        ),
    )
    is_practice = models.BooleanField(
        _("øvingspulje"),
        default=False,
        help_text=_("En pulje for opplæring og prøving, ikke en ekte tildeling."),
    )

    class Meta:
        verbose_name = _("pulje")
        verbose_name_plural = _("puljer")
        ordering = ["-number"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError(
                {"end_date": _("Avslutningen må komme etter formell oppstart.")}, code="dates"
            )


class OfficeSchedule(models.Model):
    """One office's dates and capacity within one cohort."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("pulje"), on_delete=models.CASCADE, related_name="schedules"
    )
    office = models.ForeignKey(
        GovernorOffice, verbose_name=_("embete"), on_delete=models.PROTECT, related_name="schedules"
    )
    invitation_date = models.DateField(_("invitasjonsdato"))
    application_deadline = models.DateField(
        _("søknadsfrist"), help_text=_("Hele fristdagen regnes med (norsk tid).")
    )
    recommendation_deadline = models.DateField(_("frist for innstilling"))
    capacity = models.PositiveSmallIntegerField(
        _("kapasitet"),
        default=1,
        help_text=_("Hvor mange kommuner embetets veilederkorps kan ta inn."),
    )

    class Meta:
        verbose_name = _("embetets tidsplan")
        verbose_name_plural = _("embetenes tidsplaner")
        ordering = ["cohort", "office__name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "office"], name="unique_office_schedule")
        ]

    def __str__(self):
        return f"{self.cohort} – {self.office}"

    def clean(self):
        super().clean()
        if (
            self.invitation_date
            and self.application_deadline
            and self.application_deadline < self.invitation_date
        ):
            raise ValidationError(
                {"application_deadline": _("Søknadsfristen kan ikke være før invitasjonsdatoen.")},
                code="dates",
            )
        if (
            self.application_deadline
            and self.recommendation_deadline
            and self.recommendation_deadline < self.application_deadline
        ):
            raise ValidationError(
                {
                    "recommendation_deadline": _(
                        "Innstillingsfristen kan ikke være før søknadsfristen."
                    )
                },
                code="dates",
            )

    @property
    def application_closes_at(self):
        """The first instant after the deadline day, in Norwegian time."""
        return deadline_end(self.application_deadline)


def deadline_end(day):
    """The moment a deadline given as a date has passed: midnight after it, Oslo time."""
    oslo = zoneinfo.ZoneInfo("Europe/Oslo")
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), oslo)


class Role(models.TextChoices):
    MUNICIPALITY = "kommune", _("Kommune")
    OFFICE = "embete", _("Statsforvalteren")
    UDIR = "udir", _("Udir")


class Membership(models.Model):
    """Ties a user to one municipality, one office or Udir. A user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruker"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("rolle"), max_length=7, choices=Role.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    office = models.ForeignKey(
        GovernorOffice,
        verbose_name=_("embete"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="kommune", municipality__isnull=False, office__isnull=True)
                    | Q(role="embete", municipality__isnull=True, office__isnull=False)
                    | Q(role="udir", municipality__isnull=True, office__isnull=True)
                ),
                name="membership_target_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "municipality"],
                condition=Q(role="kommune"),
                name="unique_municipality_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "office"],
                condition=Q(role="embete"),
                name="unique_office_membership",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(role="udir"), name="unique_udir_membership"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}: {self.target or 'Udir'}"

    @property
    def target(self):
        return self.municipality or self.office

    def clean(self):
        super().clean()
        if self.role == Role.MUNICIPALITY and (not self.municipality_id or self.office_id):
            raise ValidationError(_("En kommunebruker skal ha en kommune og ikke noe embete."))
        if self.role == Role.OFFICE and (not self.office_id or self.municipality_id):
            raise ValidationError(_("En embetsbruker skal ha et embete og ikke noen kommune."))
        if self.role == Role.UDIR and (self.office_id or self.municipality_id):
            raise ValidationError(_("En Udir-bruker skal verken ha kommune eller embete."))


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Revisjonsloggen kan ikke endres.")

    def delete(self):
        raise PermissionError("Revisjonsloggen kan ikke slettes.")


class AuditEvent(models.Model):
    """One entry in the append-only audit log. Write through laeringsmiljo.audit.record()."""

    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utført av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("handling"), max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("objekttype"), null=True, blank=True, on_delete=models.PROTECT
    )
    object_id = models.CharField(_("objekt-id"), max_length=64, blank=True)
    object_repr = models.CharField(_("objekt"), max_length=255, blank=True)
    before = models.JSONField(_("før"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("etter"), null=True, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("revisjonshendelse")
        verbose_name_plural = _("revisjonslogg")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{date_and_time(self.at)} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Revisjonsloggen kan ikke endres.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Revisjonsloggen kan ikke slettes.")


class EmailKind(models.TextChoices):
    ACCESS = "access", _("Lenke til postmottaket: bli kontaktperson")
    COLLEAGUE = "colleague", _("Invitasjon til en kollega: medredaktør")
    COMMITMENT = "commitment", _("Forespørsel om å bekrefte deltakelsen")
    RECEIPT = "receipt", _("Kvittering for søknaden på e-post")
    OFFICE_QUESTION = "office_question", _("Spørsmål fra embetet om en innsendt søknad")
    STAFF_INVITATION = "staff_invitation", _("Invitasjon til å logge inn som ansatt")


class EditableText(models.Model):
    """A text edited in admin per kind and written standard, whose {placeholders} are those of
    its kind (allowed_placeholders), checked when it is saved."""

    language = models.CharField(
        _("målform"),
        max_length=2,
        choices=[(WrittenStandard.BOKMAAL, _("bokmål")), (WrittenStandard.NYNORSK, _("nynorsk"))],
    )
    subject = models.CharField(_("emne"), max_length=255)
    body = models.TextField(_("tekst"))
    updated_at = models.DateTimeField(_("sist endret"), auto_now=True)

    # What a text of a kind that has no placeholders (none chosen) is told.
    unknown_kind_message = None

    class Meta:
        abstract = True
        ordering = ["kind", "language"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_language_display()})"

    def allowed_placeholders(self):
        """The placeholders of the text's kind, by name, or None for a kind that has none."""
        raise NotImplementedError

    def clean(self):
        from laeringsmiljo.placeholders import validate_placeholders

        super().clean()
        allowed = self.allowed_placeholders()
        errors = {}
        for field in ("subject", "body"):
            if allowed is None:
                errors[field] = [self.unknown_kind_message]
                continue
            try:
                validate_placeholders(getattr(self, field) or "", allowed)
            except ValidationError as error:
                errors[field] = error.messages
        if errors:
            raise ValidationError(errors)


class EmailTemplate(EditableText):
    """The text of one kind of e-mail (not a letter) in one written standard, with
    {placeholders} (laeringsmiljo.emails)."""

    kind = models.CharField(_("e-post"), max_length=20, choices=EmailKind.choices)

    class Meta(EditableText.Meta):
        verbose_name = _("e-posttekst")
        verbose_name_plural = _("e-posttekster")
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="one_email_text_per_kind")
        ]

    def allowed_placeholders(self):
        from laeringsmiljo.emails import PLACEHOLDERS

        return PLACEHOLDERS.get(self.kind, {})


class ExternalIdentity(models.Model):
    """A person's identity at an identity provider, tied to one user: the ID-porten `pid` kept
    only as a keyed hash (laeringsmiljo/signin/oidc.py), or the staff provider's stable subject.
    Made through an invitation link or by an administrator, never matched by name or e-mail."""

    class Provider(models.TextChoices):
        IDPORTEN = "idporten", "ID-porten"
        STAFF = "staff", _("Ansattes identitetsleverandør")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruker"),
        on_delete=models.CASCADE,
        related_name="external_identities",
    )
    provider = models.CharField(_("innloggingstjeneste"), max_length=10, choices=Provider.choices)
    subject = models.CharField(
        _("identitet"),
        max_length=255,
        help_text=_(
            "For ID-porten en nøkkelhash av fødselsnummeret, aldri nummeret selv; for de "
            "ansattes innlogging leverandørens faste id (sub eller oid)."
        ),
    )
    created_at = models.DateTimeField(_("knyttet"), auto_now_add=True)

    class Meta:
        verbose_name = _("ekstern identitet")
        verbose_name_plural = _("eksterne identiteter")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="unique_external_identity"
            ),
            models.UniqueConstraint(
                fields=["user", "provider"], name="one_external_identity_per_provider"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_provider_display()}"
