"""The criteria, the office's motivation grade and the stored scoring runs."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from laeringsmiljo.models import Cohort
from laeringsmiljo.times import date_and_time
from selection.scoring import criteria
from selection.scoring.criteria import Kind


class Criterion(models.Model):
    """One of Udir's six criteria, as the administrator has set it."""

    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, unique=True)
    name_nb = models.CharField(_("navn (bokmål)"), max_length=200)
    name_nn = models.CharField(_("navn (nynorsk)"), max_length=200)
    help_text_nb = models.TextField(_("hjelpetekst (bokmål)"), blank=True)
    help_text_nn = models.TextField(_("hjelpetekst (nynorsk)"), blank=True)
    weight = models.DecimalField(
        _("vekt"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[
            MinValueValidator(Decimal(0), _("Vekten må være et tall fra 0 til 100.")),
            MaxValueValidator(Decimal(100), _("Vekten må være et tall fra 0 til 100.")),
        ],
        help_text=_("Poengene ganges med vekten. Gjelder ikke når kriteriet er en port."),
    )
    parameters = models.JSONField(_("parametere"), default=dict, blank=True)
    is_gate = models.BooleanField(
        _("port (må oppfylles)"),
        default=False,
        help_text=_(
            "En søknad som ikke oppfyller et portkriterium, får ingen sum og kan ikke innstilles."
        ),
    )
    active = models.BooleanField(_("aktiv"), default=True)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    updated_at = models.DateTimeField(_("sist endret"), auto_now=True)

    class Meta:
        verbose_name = _("kriterium")
        verbose_name_plural = _("kriterier")
        ordering = ["order", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100),
                name="criterion_weight_in_range",
                violation_error_message=_("Vekten må være et tall fra 0 til 100."),
            )
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    @property
    def number(self):
        return criteria.NUMBERS[self.kind]

    @property
    def name(self):
        return self.name_nn if translation.get_language() == "nn" else self.name_nb

    @property
    def help_text(self):
        return self.help_text_nn if translation.get_language() == "nn" else self.help_text_nb

    def clean(self):
        super().clean()
        if self.kind in Kind.values:
            try:
                self.parameters = criteria.clean_parameters(self.kind, self.parameters)
            except ValidationError as error:
                raise ValidationError({"parameters": error.error_list}) from None

    def snapshot(self):
        """The criterion as a scoring run records it."""
        return {
            "kind": self.kind,
            "number": self.number,
            "name_nb": self.name_nb,
            "name_nn": self.name_nn,
            "help_text_nb": self.help_text_nb,
            "help_text_nn": self.help_text_nn,
            "weight": str(self.weight),
            "parameters": criteria.clean_parameters(self.kind, self.parameters),
            "is_gate": self.is_gate,
            "active": self.active,
            "order": self.order,
        }


class MotivationGrade(models.Model):
    """The office's grade of an application's motivation (criterion 4)."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("søknad"),
        on_delete=models.CASCADE,
        related_name="motivation_grade",
    )
    grade = models.PositiveSmallIntegerField(_("karakter"))
    comment = models.TextField(_("begrunnelse"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("satt av"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    graded_at = models.DateTimeField(_("satt"), default=timezone.now)
    revision = models.PositiveIntegerField(_("versjon"), default=1)

    class Meta:
        verbose_name = _("karakter for motivasjon")
        verbose_name_plural = _("karakterer for motivasjon")

    def __str__(self):
        return f"{self.application}: {self.grade}"


class ScoringRun(models.Model):
    """One scoring of one application or of a cohort, with the criteria as they were."""

    class Scope(models.TextChoices):
        APPLICATION = "soknad", _("én søknad")
        COHORT = "pulje", _("hele puljen")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("pulje"), on_delete=models.PROTECT, related_name="scoring_runs"
    )
    scope = models.CharField(_("omfang"), max_length=6, choices=Scope.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("startet av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("beregnet"), default=timezone.now, db_index=True)
    criteria = models.JSONField(_("kriteriene slik de var"), encoder=DjangoJSONEncoder)
    application_count = models.PositiveIntegerField(_("antall søknader"), default=0)

    class Meta:
        verbose_name = _("poengberegning")
        verbose_name_plural = _("poengberegninger")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.cohort} {date_and_time(self.started_at)}"


class ApplicationScore(models.Model):
    """The stored result of scoring one application in one run.

    The criteria's results are kept as the run made them, with their explanations, so that
    the record stays what it was when the criteria are edited later.
    """

    run = models.ForeignKey(
        ScoringRun, verbose_name=_("beregning"), on_delete=models.CASCADE, related_name="scores"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("søknad"), on_delete=models.CASCADE, related_name="scores"
    )
    application_status = models.CharField(
        _("søknadens status"), max_length=6, choices=Application.Status.choices
    )
    total = models.DecimalField(_("sum"), max_digits=9, decimal_places=2, null=True, blank=True)
    partial_total = models.DecimalField(_("sum så langt"), max_digits=9, decimal_places=2)
    eligible = models.BooleanField(_("kan innstilles"), null=True)
    results = models.JSONField(_("resultat per kriterium"), encoder=DjangoJSONEncoder)
    # Read from the results by the scoring run, for the lists that show them without the
    # results (engine.lacks_grounds and engine.provisional_references).
    lacks_grounds = models.BooleanField(_("kriterium 1 mangler grunnlag"), default=False)
    provisional_references = models.JSONField(
        _("foreløpige landsgjennomsnitt i kriterium 1"), default=list, encoder=DjangoJSONEncoder
    )
    # Kept by the scoring run: the application's newest score, found by an index rather than
    # by searching the earlier runs.
    is_latest = models.BooleanField(_("nyeste"), default=False)

    class Meta:
        verbose_name = _("poeng for søknad")
        verbose_name_plural = _("poeng for søknader")
        ordering = ["-run_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "application"], name="one_score_per_run"),
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(is_latest=True),
                name="one_latest_score_per_application",
            ),
        ]

    def __str__(self):
        return f"{self.application}: {self.total}"


class BullyingJudgement(models.Model):
    """The office's judgement of criterion 1 for an application whose participating schools'
    survey figures are all suppressed: the points it gives instead of a computed share, and
    why. Without it criterion 1 lacks grounds (mangler grunnlag), as a missing grade does."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("søknad"),
        on_delete=models.CASCADE,
        related_name="bullying_judgement",
    )
    points = models.DecimalField(_("poeng"), max_digits=5, decimal_places=2)
    reason = models.TextField(_("begrunnelse"))
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vurdert av"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    judged_at = models.DateTimeField(_("vurdert"), default=timezone.now)
    revision = models.PositiveIntegerField(_("versjon"), default=1)

    class Meta:
        verbose_name = _("vurdering av kriterium 1")
        verbose_name_plural = _("vurderinger av kriterium 1")

    def __str__(self):
        return f"{self.application}: {self.points}"
