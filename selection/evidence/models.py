"""Evidence: Elevundersøkelsen figures, complaint cases, supervision findings and the imports
that brought them."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laeringsmiljo.models import Municipality, School
from laeringsmiljo.times import date_and_time


def format_school_year(start):
    """2019 → «2019-20», the way Elevundersøkelsen writes a school year."""
    return f"{start}-{(start + 1) % 100:02d}"


class ImportKind(models.TextChoices):
    SURVEY = "elevundersokelsen", _("Elevundersøkelsen (mobbing)")
    COMPLAINTS = "klagesaker", _("Klagesaker (kapittel 9 A)")
    FINDINGS = "tilsyn", _("Tilsynsfunn")


class ImportRecord(models.Model):
    """One confirmed import of a file: what it was, who imported it and what it did."""

    kind = models.CharField(_("type"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("filnavn"), max_length=255)
    sha256 = models.CharField(_("sjekksum (SHA-256)"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("størrelse (byte)"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("importert av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("importert"), default=timezone.now)
    added = models.PositiveIntegerField(_("nye rader"), default=0)
    changed = models.PositiveIntegerField(_("endrede rader"), default=0)
    unchanged = models.PositiveIntegerField(_("uendrede rader"), default=0)
    rejected = models.PositiveIntegerField(_("avviste rader"), default=0)
    summary = models.JSONField(
        _("oppsummering"),
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text=_(
            "Hva importen gjorde, slik forhåndsvisningen viser det: avviste rader med grunn."
        ),
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("importer")
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.file_name} ({date_and_time(self.imported_at)})"


class PendingImport(models.Model):
    """An uploaded file waiting for its uploader to confirm the preview."""

    kind = models.CharField(_("type"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("filnavn"), max_length=255)
    sha256 = models.CharField(_("sjekksum (SHA-256)"), max_length=64)
    content = models.BinaryField(_("innhold"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lastet opp av"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("lastet opp"), default=timezone.now)
    preview = models.JSONField(_("forhåndsvisning"), default=dict, encoder=DjangoJSONEncoder)
    result = models.ForeignKey(
        ImportRecord,
        verbose_name=_("importert som"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Fylt når filen er importert: en ny bekreftelse viser da resultatet."),
    )

    class Meta:
        verbose_name = _("import til godkjenning")
        verbose_name_plural = _("importer til godkjenning")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.file_name


class SurveyFigure(models.Model):
    """Elevundersøkelsen's «mobbing på skolen» for one school, school year and grade.

    A suppressed cell keeps its raw symbol and no number: it is left out of every mean.
    """

    school = models.ForeignKey(
        School, verbose_name=_("skole"), on_delete=models.PROTECT, related_name="survey_figures"
    )
    school_year = models.PositiveSmallIntegerField(
        _("skoleår"), help_text=_("Året skoleåret begynner: 2019 for 2019-20.")
    )
    grade = models.CharField(
        _("trinn"), max_length=10, blank=True, help_text=_("Tomt betyr alle trinn samlet.")
    )
    share = models.DecimalField(
        _("andel mobbet (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    share_symbol = models.CharField(_("symbol for skjermet andel"), max_length=2, blank=True)
    respondents = models.PositiveIntegerField(_("antall svar"), null=True, blank=True)
    respondents_symbol = models.CharField(_("symbol for skjermet antall"), max_length=2, blank=True)
    suppressed = models.BooleanField(_("skjermet"), default=False)
    last_import = models.ForeignKey(
        ImportRecord,
        verbose_name=_("sist importert med"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("sist endret"), auto_now=True)

    class Meta:
        verbose_name = _("tall fra Elevundersøkelsen")
        verbose_name_plural = _("tall fra Elevundersøkelsen")
        ordering = ["school__name", "-school_year", "grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "grade"], name="one_survey_figure_per_grade"
            ),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | Q(share__gte=0, share__lte=100),
                name="survey_share_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=(
                    Q(suppressed=False, share__isnull=False, respondents__isnull=False)
                    | Q(suppressed=True) & (Q(share__isnull=True) | Q(respondents__isnull=True))
                ),
                name="survey_suppressed_means_a_missing_number",
            ),
        ]
        indexes = [models.Index(fields=["school_year", "suppressed"])]

    def __str__(self):
        return f"{self.school} {self.school_year_label}"

    @property
    def school_year_label(self):
        return format_school_year(self.school_year)


class NationalMean(models.Model):
    """The national share bullied in one school year. Udir enters its published figure, with
    its source, in admin; that is the reference criterion 1 uses. Until it is entered, the
    mean of the figures imported so far (weighted by respondents) stands in for it, as a
    provisional reference that says from how many schools and counties it is computed."""

    school_year = models.PositiveSmallIntegerField(_("skoleår"), unique=True)
    computed_share = models.DecimalField(
        _("beregnet andel (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    computed_respondents = models.PositiveIntegerField(_("antall svar i beregningen"), default=0)
    computed_schools = models.PositiveIntegerField(_("antall skoler i beregningen"), default=0)
    computed_counties = models.PositiveIntegerField(_("antall fylker i beregningen"), default=0)
    computed_at = models.DateTimeField(_("beregnet"), null=True, blank=True)
    published_share = models.DecimalField(
        _("publisert andel (%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal(0), _("Andelen må være mellom 0 og 100.")),
            MaxValueValidator(Decimal(100), _("Andelen må være mellom 0 og 100.")),
        ],
        help_text=_(
            "Udirs publiserte landstall: andelen elever som svarer at de blir mobbet, slik "
            "Udir har publisert det for skoleåret. Kriterium 1 bruker dette tallet; uten det "
            "brukes gjennomsnittet av de importerte tallene som et foreløpig tall."
        ),
    )
    published_source = models.CharField(
        _("kilde for publisert tall"),
        max_length=255,
        blank=True,
        help_text=_("Hvor tallet er publisert, for eksempel en lenke til Udirs statistikk."),
    )

    class Meta:
        verbose_name = _("landsgjennomsnitt")
        verbose_name_plural = _("landsgjennomsnitt")
        ordering = ["-school_year"]

    def __str__(self):
        return format_school_year(self.school_year)

    @property
    def school_year_label(self):
        return format_school_year(self.school_year)

    def clean(self):
        super().clean()
        self.published_source = self.published_source.strip()
        if self.published_share is not None and not self.published_source:
            raise ValidationError(
                {
                    "published_source": _(
                        "Skriv hvor det publiserte tallet står (kilde), så embetene kan se "
                        "hva kriterium 1 bygger på."
                    )
                },
                code="published_without_source",
            )
        if self.published_share is None and self.published_source:
            raise ValidationError(
                {"published_share": _("Skriv inn det publiserte tallet, eller fjern kilden.")},
                code="source_without_published",
            )

    @property
    def value(self):
        return self.published_share if self.published_share is not None else self.computed_share

    @property
    def is_published(self):
        return self.published_share is not None


class RegisteredEvidence(models.Model):
    """What the office's registered evidence shares: who registered it, or which import."""

    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrert av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_import = models.ForeignKey(
        ImportRecord,
        verbose_name=_("sist importert med"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("sist endret"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sist endret av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Counts every save and import, so that a form opened before a change is refused.
    revision = models.PositiveIntegerField(_("versjon"), default=1)

    class Meta:
        abstract = True


class ComplaintCaseCount(RegisteredEvidence):
    """How many enforcement cases under opplæringslova kapittel 9 A one school had in one
    school year. Counts only: no names, no case details."""

    school = models.ForeignKey(
        School, verbose_name=_("skole"), on_delete=models.PROTECT, related_name="complaint_cases"
    )
    school_year = models.PositiveSmallIntegerField(
        _("skoleår"), help_text=_("Året skoleåret begynner: 2019 for 2019-20.")
    )
    cases = models.PositiveSmallIntegerField(_("antall saker"))
    long_running = models.PositiveSmallIntegerField(
        _("herav langvarige eller komplekse"), default=0
    )

    class Meta:
        verbose_name = _("klagesaker")
        verbose_name_plural = _("klagesaker")
        ordering = ["school__name", "-school_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"],
                name="one_case_count_per_school_year",
                violation_error_message=_(
                    "Skolen har allerede tall for dette skoleåret. Endre dem i stedet."
                ),
            ),
            models.CheckConstraint(
                condition=Q(long_running__lte=F("cases")),
                name="long_running_cases_within_cases",
                violation_error_message=_(
                    "Antall langvarige eller komplekse saker kan ikke være større enn antall saker."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.school} {self.school_year_label}: {self.cases}"

    @property
    def school_year_label(self):
        return format_school_year(self.school_year)


class SupervisionFinding(RegisteredEvidence):
    """A deficiency found by supervision (tilsyn) of a municipality or one of its schools."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune"),
        on_delete=models.PROTECT,
        related_name="supervision_findings",
    )
    school = models.ForeignKey(
        School,
        verbose_name=_("skole"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_findings",
        help_text=_("Tomt når funnet gjelder kommunen som skoleeier."),
    )
    date = models.DateField(_("dato for tilsynsrapport"))
    topic = models.CharField(_("tema"), max_length=200)
    in_practice = models.BooleanField(_("avvik i praksis"), default=False)
    in_routines = models.BooleanField(_("avvik i rutiner"), default=False)
    in_system = models.BooleanField(_("avvik i system"), default=False)
    closed = models.BooleanField(_("lukket"), default=False)

    class Meta:
        verbose_name = _("tilsynsfunn")
        verbose_name_plural = _("tilsynsfunn")
        ordering = ["-date", "topic"]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_practice=True) | Q(in_routines=True) | Q(in_system=True),
                name="finding_has_a_kind_of_deficiency",
                violation_error_message=_(
                    "Kryss av for minst én av avvik i praksis, rutiner eller system."
                ),
            ),
            models.UniqueConstraint(
                fields=["municipality", "date", "topic"],
                condition=Q(school__isnull=True),
                name="one_municipality_finding_per_date_topic",
                violation_error_message=_(
                    "Et funn med samme dato og tema er allerede registrert for kommunen."
                ),
            ),
            models.UniqueConstraint(
                fields=["municipality", "school", "date", "topic"],
                condition=Q(school__isnull=False),
                name="one_school_finding_per_date_topic",
                violation_error_message=_(
                    "Et funn med samme dato og tema er allerede registrert for skolen."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.topic}"

    @property
    def kinds(self):
        """The kinds of deficiency, in the order the criteria name them."""
        return [
            label
            for flag, label in [
                (self.in_practice, _("praksis")),
                (self.in_routines, _("rutiner")),
                (self.in_system, _("system")),
            ]
            if flag
        ]
