"""Letters: their editable texts, each generated PDF, and the batches they are made in.

Imported by selection.models, so that Django registers them with the selection app.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from laeringsmiljo.models import Cohort, GovernorOffice, Municipality, WrittenStandard
from laeringsmiljo.validators import validate_orgnr
from selection.letters.placeholders import SECTION_PLACEHOLDERS, validate_placeholders

LANGUAGES = [(WrittenStandard.BOKMAAL, _("bokmål")), (WrittenStandard.NYNORSK, _("nynorsk"))]


class LetterKind(models.TextChoices):
    INVITATION = "invitation", _("Invitasjon")
    RECEIPT = "receipt", _("Kvittering")
    DECISION_SELECTED = "decision_selected", _("Vedtak: valgt")
    DECISION_RESERVE = "decision_reserve", _("Vedtak: reserve")
    DECISION_NOT_SELECTED = "decision_not_selected", _("Vedtak: ikke valgt")
    DECISION_PROMOTED = "decision_promoted", _("Vedtak: tatt opp fra reservelisten")
    ANSWER_REMINDER = "answer_reminder", _("Påminnelse om svarfristen")
    WITHDRAWAL = "withdrawal", _("Bekreftelse: kommunen deltar ikke")
    RESERVE_CLOSED = "reserve_closed", _("Reserve: plassen ble ikke ledig")


# Udir's decisions on the applications. Every kind here is sent by Udir and carries the shared
# parts of a decision letter: the reason from the facts, the section on the right to appeal (or
# why there is none), and Udir's case officer as the contact. A new decision kind joins here.
DECISION_KINDS = frozenset(
    {
        LetterKind.DECISION_SELECTED,
        LetterKind.DECISION_RESERVE,
        LetterKind.DECISION_NOT_SELECTED,
        LetterKind.DECISION_PROMOTED,
    }
)


class LetterTemplate(models.Model):
    """The text of one kind of letter in one written standard, with {placeholders}."""

    kind = models.CharField(_("brevtype"), max_length=21, choices=LetterKind.choices)
    language = models.CharField(_("målform"), max_length=2, choices=LANGUAGES)
    subject = models.CharField(_("emne"), max_length=255)
    body = models.TextField(_("tekst"), help_text=_("Avsnitt skilles med en tom linje."))
    # For the decision kinds only: what changes with the cohort's setting "vedtakene er
    # enkeltvedtak". Left empty, the default text of the målform is used.
    notice_subject = models.CharField(
        _("emne når vedtakene ikke er enkeltvedtak"),
        max_length=255,
        blank=True,
        help_text=_(
            "Bare for vedtaksbrev: emnet og tittelen når puljens vedtak ikke er enkeltvedtak, "
            "for eksempel «Melding om resultat: …». Tomt: «Melding om resultat» og emnet uten "
            "«Vedtak:»."
        ),
    )
    appeal_text = models.TextField(
        _("klagerett og innsyn"),
        blank=True,
        help_text=_(
            "Bare for vedtaksbrev: avsnittet om klagerett, klagefrist og innsyn når puljens "
            "vedtak er enkeltvedtak. Tomt: standardteksten for målformen."
        ),
    )
    no_appeal_text = models.TextField(
        _("hvorfor det ikke er klagerett"),
        blank=True,
        help_text=_(
            "Bare for vedtaksbrev: avsnittet som sier at resultatet ikke kan påklages, og hvorfor, "
            "når puljens vedtak ikke er enkeltvedtak. Tomt: standardteksten for målformen."
        ),
    )
    updated_at = models.DateTimeField(_("sist endret"), auto_now=True)

    class Meta:
        verbose_name = _("brevmal")
        verbose_name_plural = _("brevmaler")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="one_template_per_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_language_display()})"

    def clean(self):
        super().clean()
        errors = {}
        for field in ("subject", "body", "notice_subject"):
            try:
                validate_placeholders(getattr(self, field) or "", self.kind)
            except ValidationError as error:
                errors[field] = error.messages
        for field in ("appeal_text", "no_appeal_text"):
            try:
                validate_placeholders(getattr(self, field) or "", allowed=SECTION_PLACEHOLDERS)
            except ValidationError as error:
                errors[field] = error.messages
        if self.kind not in DECISION_KINDS:
            for field in ("notice_subject", "appeal_text", "no_appeal_text"):
                if getattr(self, field).strip():
                    errors[field] = [_("Bare vedtaksbrev har denne teksten. La feltet stå tomt.")]
        if errors:
            raise ValidationError(errors)


class SenderSettings(models.Model):
    """Udir as a sender: its letterhead, its signature and its written standard for neutral
    municipalities. One row."""

    name = models.CharField(_("navn"), max_length=150, default="Utdanningsdirektoratet")
    postal_address = models.TextField(
        _("postadresse"), blank=True, default="Postboks 9359 Grønland\n0135 Oslo"
    )
    email = models.EmailField(_("e-post"), blank=True, default="post@udir.no")
    organisation_number = models.CharField(
        _("organisasjonsnummer"),
        max_length=9,
        blank=True,
        default="970018131",
        validators=[validate_orgnr],
    )
    website = models.CharField(_("nettadresse"), max_length=200, blank=True, default="www.udir.no")
    appeal_body = models.CharField(
        _("klageinstans"),
        max_length=150,
        blank=True,
        default="Kunnskapsdepartementet",
        help_text=_("Den som avgjør en klage på Udirs vedtak når Udir ikke endrer vedtaket selv."),
    )
    default_written_standard = models.CharField(
        _("målform for brev til nøytrale kommuner"),
        max_length=2,
        choices=LANGUAGES,
        default=WrittenStandard.BOKMAAL,
    )

    class Meta:
        verbose_name = _("Udir som avsender")
        verbose_name_plural = _("Udir som avsender")

    def __str__(self):
        return self.name

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first() or cls()


class LetterBatch(models.Model):
    """Letters made together (an office's invitations, a selection's decisions), with a ZIP."""

    class Purpose(models.TextChoices):
        INVITATIONS = "invitations", _("Invitasjoner")
        DECISIONS = "decisions", _("Vedtak")

    purpose = models.CharField(_("formål"), max_length=11, choices=Purpose.choices)
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("pulje"), on_delete=models.CASCADE, related_name="letter_batches"
    )
    office = models.ForeignKey(
        GovernorOffice,
        verbose_name=_("embete"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letter_batches",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("startet av"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("startet"), auto_now_add=True)
    zip_file = models.FileField(_("ZIP-fil"), blank=True)
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)
    # Counts each «Lag på nytt»: the button carries the number it saw, so a second press on the
    # same page (or a double click) finds it changed and makes nothing again.
    revision = models.PositiveIntegerField(_("laget på nytt"), default=0)

    class Meta:
        verbose_name = _("brevbunke")
        verbose_name_plural = _("brevbunker")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_purpose_display()} – {self.cohort}"


def letter_path(instance, filename):
    return f"brev/{instance.cohort_id}/{uuid.uuid4().hex}.pdf"


class Letter(models.Model):
    """One letter to one municipality: made once, stored with its checksum, then e-mailed."""

    class Status(models.TextChoices):
        PENDING = "venter", _("Venter")
        GENERATED = "laget", _("Laget")
        FAILED = "feilet", _("Feilet")

    class SendStatus(models.TextChoices):
        NOT_SENT = "ikke_sendt", _("Ikke sendt")
        SENT = "sendt", _("Sendt")
        FAILED = "feilet", _("Sending feilet")
        NOT_POSSIBLE = "umulig", _("Kan ikke sendes")

    kind = models.CharField(_("brevtype"), max_length=21, choices=LetterKind.choices)
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("pulje"), on_delete=models.CASCADE, related_name="letters"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), on_delete=models.PROTECT, related_name="letters"
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("søknad"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="letters",
    )
    reference = models.CharField(_("vår referanse"), max_length=40)
    batch = models.ForeignKey(
        LetterBatch,
        verbose_name=_("bunke"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters",
    )
    language = models.CharField(_("målform"), max_length=2, choices=LANGUAGES)
    signer_name = models.CharField(_("underskriver"), max_length=200, blank=True)
    contact_email = models.EmailField(
        _("saksbehandlerens e-post"),
        blank=True,
        help_text=_("Tomt: avsenderens e-postadresse står i brevet."),
    )
    dated = models.DateField(
        _("brevets dato"),
        null=True,
        blank=True,
        help_text=_(
            "Settes når brevet lages. Embetets navn og klagefristen i brevet regnes fra denne "
            "datoen."
        ),
    )
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.PENDING
    )
    failure = models.TextField(_("feilmelding"), blank=True)
    # A decision letter's reason, assembled for the whole cohort at once when its letters are
    # ordered (one ranking per office instead of one per letter); used when the letter is
    # made with the date its office's name was taken from, assembled again otherwise.
    reason = models.TextField(
        _("begrunnelse"),
        blank=True,
        help_text=_("Vedtakets begrunnelse slik den ble satt sammen da brevet ble bestilt."),
    )
    reason_date = models.DateField(
        _("begrunnelsens dato"),
        null=True,
        blank=True,
        help_text=_("Datoen embetets navn i begrunnelsen gjelder for."),
    )
    file = models.FileField(_("PDF"), upload_to=letter_path, blank=True)
    sha256 = models.CharField(_("sjekksum (SHA-256)"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("størrelse (byte)"), null=True, blank=True)
    pages = models.PositiveSmallIntegerField(_("sider"), null=True, blank=True)
    subject = models.CharField(_("emne"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("bestilt"), auto_now_add=True)
    # What the sweep of stranded letters goes by: a letter still waiting long after its task
    # was queued has lost its task (a worker that died with it).
    queued_at = models.DateTimeField(
        _("lagt i kø"),
        null=True,
        blank=True,
        help_text=_(
            "Når brevet sist ble lagt i kø for å lages eller sendes, eller når neste forsøk skal "
            "gjøres."
        ),
    )
    attempts = models.PositiveSmallIntegerField(
        _("forsøk"),
        default=0,
        help_text=_("Hvor mange ganger en arbeider har begynt å lage brevet."),
    )
    generated_at = models.DateTimeField(_("laget"), null=True, blank=True)
    send_status = models.CharField(
        _("utsending"), max_length=10, choices=SendStatus.choices, default=SendStatus.NOT_SENT
    )
    send_error = models.TextField(_("feil ved utsending"), blank=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    sent_to = models.TextField(_("sendt til"), blank=True)
    # The outbox: a held letter is made, then waits until a person sends it.
    held = models.BooleanField(
        _("venter i utboksen"),
        default=False,
        help_text=_("Brevet sendes først når noen trykker «Send» (eller «Send alle» i bunken)."),
    )
    released_at = models.DateTimeField(_("sendt av en person"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sendt av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("erstatter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replacement",
        help_text=_("Brevet som allerede var sendt, og som dette brevet erstatter."),
    )

    class Meta:
        verbose_name = _("brev")
        verbose_name_plural = _("brev")
        ordering = ["-created_at"]
        constraints = [
            # One letter per purpose and reference: a second click or a retried task finds it.
            # A replacement shares the reference of the letter it replaces (one each, above).
            models.UniqueConstraint(
                fields=["cohort", "municipality", "kind", "reference"],
                condition=models.Q(replaces=None),
                name="one_letter_per_reference",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.municipality}"

    @property
    def waits_in_outbox(self):
        """Made, held and not yet sent by a person."""
        return self.held and self.released_at is None and self.status == self.Status.GENERATED

    @property
    def may_go(self):
        """Whether a made letter may be e-mailed: not held, or sent by a person."""
        return not self.held or self.released_at is not None


def version_path(instance, filename):
    return f"brev/{instance.letter.cohort_id}/versjoner/{uuid.uuid4().hex}.pdf"


class LetterVersion(models.Model):
    """A version of a letter that was made and then replaced before it was sent: kept with its
    checksum, and who replaced it and when. Never e-mailed."""

    class Reason(models.TextChoices):
        REMADE = "laget_paa_nytt", _("Laget på nytt")
        REDATED = "ny_dato", _("Laget på nytt med utsendingsdatoen")

    letter = models.ForeignKey(
        Letter, verbose_name=_("brev"), on_delete=models.CASCADE, related_name="versions"
    )
    file = models.FileField(_("PDF"), upload_to=version_path, blank=True)
    sha256 = models.CharField(_("sjekksum (SHA-256)"), max_length=64)
    size = models.PositiveIntegerField(_("størrelse (byte)"), null=True, blank=True)
    pages = models.PositiveSmallIntegerField(_("sider"), null=True, blank=True)
    subject = models.CharField(_("emne"), max_length=255, blank=True)
    dated = models.DateField(_("brevets dato"), null=True, blank=True)
    generated_at = models.DateTimeField(_("laget"), null=True, blank=True)
    reason = models.CharField(_("grunn"), max_length=14, choices=Reason.choices)
    replaced_at = models.DateTimeField(_("erstattet"), auto_now_add=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erstattet av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tidligere versjon av et brev")
        verbose_name_plural = _("tidligere versjoner av brev")
        ordering = ["letter", "replaced_at", "pk"]

    def __str__(self):
        return f"{self.letter} ({self.sha256[:12]})"


# The letters made one at a time, outside a batch, that go out at once unless admin turns the
# outbox on for their kind. Letters made in a batch always wait in the outbox.
SINGLE_KINDS = [
    LetterKind.DECISION_PROMOTED,
    LetterKind.WITHDRAWAL,
    LetterKind.ANSWER_REMINDER,
    LetterKind.RESERVE_CLOSED,
]


class OutboxSetting(models.Model):
    """Whether the single letters of one kind wait in the outbox until a person sends them."""

    kind = models.CharField(
        _("brevtype"),
        max_length=21,
        choices=[(kind.value, kind.label) for kind in SINGLE_KINDS],
        unique=True,
    )
    held = models.BooleanField(
        _("venter i utboksen"),
        default=True,
        help_text=_(
            "På: brev av denne typen lages, men sendes først når noen i Udir trykker «Send» på "
            "brevsiden. Av: de sendes så snart de er laget."
        ),
    )

    class Meta:
        verbose_name = _("utboks for enkeltbrev")
        verbose_name_plural = _("utboks for enkeltbrev")
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()

    @classmethod
    def holds(cls, kind):
        return cls.objects.filter(kind=kind, held=True).exists()
