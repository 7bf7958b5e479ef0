"""Invitations, the offices' ranking and recommendation, and Udir's decisions.

Imported by selection.models, so that Django registers them with the selection app.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from laeringsmiljo.models import Cohort, GovernorOffice, Municipality
from selection.process import proposal


class Invitation(models.Model):
    """A municipality the office has invited to apply for a cohort."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("pulje"), on_delete=models.CASCADE, related_name="invitations"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    was_proposed = models.BooleanField(_("foreslått ut fra kriteriene"), default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invitert av"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invitert"), default=timezone.now)

    class Meta:
        verbose_name = _("invitasjon")
        verbose_name_plural = _("invitasjoner")
        ordering = ["cohort", "municipality__number"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "municipality"], name="invited_once")
        ]

    def __str__(self):
        return f"{self.cohort} – {self.municipality}"


class Verdict(models.TextChoices):
    RECOMMENDED = "anbefalt", _("Innstilt")
    RESERVE = "reserve", _("Reserve")
    NOT_RECOMMENDED = "ikke_anbefalt", _("Ikke innstilt")


class OfficeReview(models.Model):
    """One office's ranking and recommendation in a cohort: open while the office works,
    locked when it is sent to Udir; only Udir can unlock it."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("pulje"), on_delete=models.CASCADE, related_name="office_reviews"
    )
    office = models.ForeignKey(
        GovernorOffice, verbose_name=_("embete"), on_delete=models.PROTECT, related_name="reviews"
    )
    justification = models.TextField(_("begrunnelse for innstillingen"), blank=True)
    sent_at = models.DateTimeField(_("sendt til Udir"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sendt av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("embetets innstilling")
        verbose_name_plural = _("embetenes innstillinger")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "office"], name="one_review_per_office")
        ]

    def __str__(self):
        return f"{self.cohort} – {self.office}"

    @property
    def is_sent(self):
        return self.sent_at is not None


class Recommendation(models.Model):
    """The office's place and verdict for one application."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("søknad"),
        on_delete=models.CASCADE,
        related_name="recommendation",
    )
    position = models.PositiveSmallIntegerField(_("plass i rangeringen"))
    moved_reason = models.TextField(
        _("begrunnelse for flytting"),
        blank=True,
        help_text=_("Påkrevd når plassen avviker fra rekkefølgen etter poengsum."),
    )
    verdict = models.CharField(_("innstilling"), max_length=13, choices=Verdict.choices, blank=True)
    justification = models.TextField(_("begrunnelse"), blank=True)
    # The verdict and the place are changed apart, each with who did it last: a stale form
    # is refused only for what it changes.
    revision = models.PositiveIntegerField(
        _("versjon av innstillingen"), default=0, help_text=_("0 før innstillingen er satt.")
    )
    verdict_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("innstilt av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verdict_at = models.DateTimeField(_("innstilt"), null=True, blank=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("flyttet av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    moved_at = models.DateTimeField(_("flyttet"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("endret av"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    class Meta:
        verbose_name = _("innstilling for søknad")
        verbose_name_plural = _("innstillinger for søknader")
        ordering = ["position"]

    def __str__(self):
        return f"{self.application}: {self.position}"


class Outcome(models.TextChoices):
    SELECTED = "valgt", _("Valgt")
    RESERVE = "reserve", _("Reserve")
    NOT_SELECTED = "ikke_valgt", _("Ikke valgt")


class Decision(models.Model):
    """Udir's decision on one application: staged until the cohort's selection is published."""

    application = models.OneToOneField(
        Application, verbose_name=_("søknad"), on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("vedtak"), max_length=10, choices=Outcome.choices)
    reason = models.TextField(_("begrunnelse"))
    # Set when Udir kept the proposal's reason unchanged: the letter then writes that reason
    # out in the municipality's målform instead of the language Udir's page was in.
    reason_code = models.CharField(_("forslagets begrunnelse"), max_length=20, blank=True)
    reason_rank = models.PositiveSmallIntegerField(
        _("plass i forslagets begrunnelse"), null=True, blank=True
    )
    deviation_reason = models.TextField(
        _("begrunnelse for avvik"),
        blank=True,
        help_text=_(
            "Påkrevd når vedtaket avviker fra forslaget, går over kapasiteten eller kommer før "
            "embetet har sendt innstillingen."
        ),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besluttet av"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("besluttet"), auto_now=True)
    revision = models.PositiveIntegerField(_("versjon"), default=1)

    class Meta:
        verbose_name = _("vedtak")
        verbose_name_plural = _("vedtak")

    def __str__(self):
        return f"{self.application}: {self.get_outcome_display()}"

    def written_reason(self):
        """The reason as the decision letter gives it, in the active language: the proposal's
        reason written out anew when Udir kept it, otherwise what Udir wrote."""
        if self.reason_code:
            return proposal.reason_text(self.reason_code, self.reason_rank)
        return self.reason


class Publication(models.Model):
    """The one step that makes a cohort's decisions final and visible."""

    cohort = models.OneToOneField(
        Cohort, verbose_name=_("pulje"), on_delete=models.PROTECT, related_name="publication"
    )
    published_at = models.DateTimeField(_("publisert"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publisert av"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("publisering")
        verbose_name_plural = _("publiseringer")

    def __str__(self):
        return f"{self.cohort} {self.published_at:%Y-%m-%d}"


class AnswerDeadline(models.Model):
    """The date by which a cohort's selected municipalities confirm or decline their place."""

    cohort = models.OneToOneField(
        Cohort, verbose_name=_("pulje"), on_delete=models.CASCADE, related_name="answer_deadline"
    )
    date = models.DateField(
        _("svarfrist"),
        help_text=_(
            "Hele fristdagen regnes med (norsk tid). En påminnelse sendes en uke før. En kommune "
            "som tas opp fra reservelisten, får minst to uker fra den dagen."
        ),
    )

    class Meta:
        verbose_name = _("svarfrist")
        verbose_name_plural = _("svarfrister")

    def __str__(self):
        return f"{self.cohort}: {self.date:%Y-%m-%d}"


class Place(models.Model):
    """One place in an office's guidance team in a published cohort: held by a municipality
    (waiting for its answer or confirmed), free, or left empty by Udir with a reason."""

    class Status(models.TextChoices):
        HELD = "tatt", _("Tatt")
        FREE = "ledig", _("Ledig")
        EMPTY = "tom", _("Stående tom")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("pulje"), on_delete=models.CASCADE, related_name="places"
    )
    office = models.ForeignKey(
        GovernorOffice, verbose_name=_("embete"), on_delete=models.PROTECT, related_name="places"
    )
    status = models.CharField(_("status"), max_length=5, choices=Status.choices)
    freed_at = models.DateTimeField(_("ble ledig"), null=True, blank=True)
    empty_reason = models.TextField(_("begrunnelse for at plassen står tom"), blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sist avgjort av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    settled_at = models.DateTimeField(_("sist avgjort"), null=True, blank=True)

    class Meta:
        verbose_name = _("plass")
        verbose_name_plural = _("plasser")
        ordering = ["cohort", "office__name", "pk"]

    def __str__(self):
        return f"{self.cohort} – {self.office} ({self.get_status_display()})"


class Participation(models.Model):
    """A municipality's hold on a place: from its selection (or promotion from the reserve
    list) until it confirms, declines, does not answer or withdraws."""

    class Status(models.TextChoices):
        WAITING = "venter", _("Venter på svar")
        CONFIRMED = "bekreftet", _("Bekreftet")
        DECLINED = "takket_nei", _("Takket nei")
        NO_ANSWER = "ikke_svart", _("Svarte ikke innen fristen")
        WITHDRAWN = "trukket", _("Trukket seg")

    HOLDING = (Status.WAITING, Status.CONFIRMED)

    application = models.OneToOneField(
        Application,
        verbose_name=_("søknad"),
        on_delete=models.CASCADE,
        related_name="participation",
    )
    place = models.ForeignKey(
        Place, verbose_name=_("plass"), on_delete=models.PROTECT, related_name="participations"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    # Set for a promotion; otherwise the cohort's answer deadline applies.
    answer_by = models.DateField(_("egen svarfrist"), null=True, blank=True)
    promoted = models.BooleanField(_("tatt opp fra reservelisten"), default=False)
    # Set when Udir picked another reserve than the one proposed, or the proposal's reason.
    promotion_reason = models.TextField(_("begrunnelse for opptaket"), blank=True)
    promoted_rank = models.PositiveSmallIntegerField(
        _("plass i rangeringen ved opptaket"), null=True, blank=True
    )
    contact_name = models.CharField(
        _("kontaktperson i veiledningsperioden"), max_length=200, blank=True
    )
    contact_email = models.EmailField(_("kontaktpersonens e-post"), blank=True)
    contact_phone = models.CharField(_("kontaktpersonens telefon"), max_length=40, blank=True)
    answered_at = models.DateTimeField(_("svarte"), null=True, blank=True)
    reason = models.TextField(_("begrunnelse for at kommunen går ut"), blank=True)
    left_on = models.DateField(_("gikk ut"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("påminnelse sendt"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sist endret av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("sist endret"), default=timezone.now)

    class Meta:
        verbose_name = _("deltakelse")
        verbose_name_plural = _("deltakelser")
        ordering = ["place", "pk"]

    def __str__(self):
        return f"{self.application}: {self.get_status_display()}"

    @property
    def holds_place(self):
        return self.status in self.HOLDING

    def written_promotion_reason(self):
        """Why the municipality was taken from the reserve list, in the active language: what
        Udir wrote when it picked another reserve than the proposed one, otherwise the rule."""
        if self.promotion_reason:
            return self.promotion_reason
        return _(
            "Det ble ledig en plass hos %(office)s før formell oppstart, og kommunen er neste "
            "reserve i embetets rangering (plass %(rank)s) som oppfyller kravene."
        ) % {"office": self.place.office.name, "rank": self.promoted_rank}

    def written_leaving(self):
        """How the municipality left its place, in the active language."""
        return {
            self.Status.DECLINED: _("kommunen takket nei til plassen"),
            self.Status.NO_ANSWER: _("kommunen svarte ikke innen svarfristen"),
            self.Status.WITHDRAWN: _("kommunen trakk seg"),
        }.get(self.status, "")
