"""The journal and the archive: one case file (saksmappe) per application, a journal post per
document received or sent, and the Noark 5 archive extracts made from them.

Imported by selection.models, so that Django registers them with the selection app.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from laeringsmiljo.models import Cohort, GovernorOffice, Municipality
from selection.letters.models import LetterKind


class CaseFile(models.Model):
    """The case of one municipality in one cohort (Noark 5: saksmappe): its application and
    every letter to it, from the invitation on."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("pulje"), on_delete=models.PROTECT, related_name="case_files"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), on_delete=models.PROTECT, related_name="+"
    )
    application = models.OneToOneField(
        Application,
        verbose_name=_("søknad"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_file",
    )
    office = models.ForeignKey(
        GovernorOffice, verbose_name=_("embete"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("saksår"))
    title = models.CharField(_("tittel"), max_length=255)
    public_title = models.CharField(_("offentlig tittel"), max_length=255)
    created_at = models.DateTimeField(_("opprettet"))

    class Meta:
        verbose_name = _("saksmappe")
        verbose_name_plural = _("saksmapper")
        ordering = ["year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "municipality"], name="one_case_file_per_municipality"
            )
        ]

    def __str__(self):
        return f"{self.case_number} {self.public_title}"

    @property
    def case_number(self):
        """Saksnummer: the year and the case file's sequence number."""
        return f"{self.year}/{self.pk}"


class JournalPost(models.Model):
    """One document received (inngående) or sent (utgående) in a case (Noark 5: journalpost
    with its document), with the checksum of the file as it was journaled."""

    class Direction(models.TextChoices):
        INCOMING = "I", _("Inngående")
        OUTGOING = "U", _("Utgående")

    class Source(models.TextChoices):
        APPLICATION = "soknad", _("Søknaden")
        ATTACHMENT = "vedlegg", _("Vedlegg")
        LETTER = "brev", _("Brev")

    case_file = models.ForeignKey(
        CaseFile, verbose_name=_("saksmappe"), on_delete=models.PROTECT, related_name="posts"
    )
    # What the post is of, once: a second call for the same document finds the post.
    source_key = models.CharField(_("kilde"), max_length=60, unique=True)
    source = models.CharField(_("dokument"), max_length=7, choices=Source.choices)
    direction = models.CharField(_("retning"), max_length=1, choices=Direction.choices)
    number = models.PositiveSmallIntegerField(_("journalpostnummer i saken"))
    year = models.PositiveSmallIntegerField(_("journalår"))
    journal_date = models.DateField(_("journaldato"))
    document_date = models.DateField(_("dokumentets dato"))
    correspondent = models.ForeignKey(
        Municipality,
        verbose_name=_("avsender/mottaker"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What the public title is made of: the application's reference, or the letter's kind.
    reference = models.CharField(_("søknadens referanse"), max_length=40, blank=True)
    letter_kind = models.CharField(
        _("brevtype"), max_length=21, choices=LetterKind.choices, blank=True
    )
    title = models.CharField(_("tittel"), max_length=255)
    public_title = models.CharField(_("offentlig tittel"), max_length=255)
    file = models.FileField(_("dokument"), max_length=255)
    sha256 = models.CharField(_("sjekksum (SHA-256)"), max_length=64)
    size = models.PositiveIntegerField(_("størrelse (byte)"))
    created_at = models.DateTimeField(_("journalført"))

    class Meta:
        verbose_name = _("journalpost")
        verbose_name_plural = _("journalposter")
        ordering = ["journal_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case_file", "number"], name="one_post_number_per_case")
        ]

    def __str__(self):
        return f"{self.year}/{self.pk} {self.public_title}"

    @property
    def journal_number(self):
        return f"{self.year}/{self.pk}"

    def public_title_now(self):
        """The public title in the active language: the kind of document and the
        municipality, never a person (the names in an application are exempt from public
        access, offentleglova § 13)."""
        values = {"reference": self.reference, "municipality": self.correspondent.name}
        if self.source == self.Source.APPLICATION:
            return gettext("Søknad %(reference)s fra %(municipality)s") % values
        if self.source == self.Source.ATTACHMENT:
            return gettext("Vedlegg til søknad %(reference)s fra %(municipality)s") % values
        return gettext("%(kind)s til %(municipality)s") % {
            **values,
            "kind": LetterKind(self.letter_kind).label if self.letter_kind else "",
        }


def export_path(instance, filename):
    return f"arkiv/{instance.cohort_id}/{filename}"


class ArchiveExport(models.Model):
    """A Noark 5 archive extract of a cohort (Udir) or of one office's part of it, made by a
    worker; its progress and its ZIP."""

    class Status(models.TextChoices):
        RUNNING = "pagar", _("Pågår")
        DONE = "ferdig", _("Ferdig")
        FAILED = "feilet", _("Feilet")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("pulje"), on_delete=models.CASCADE, related_name="archive_exports"
    )
    office = models.ForeignKey(
        GovernorOffice,
        verbose_name=_("embete"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Tomt: hele puljen."),
    )
    # The cohort, or the cohort and office: at most one export of a scope runs at a time.
    scope = models.CharField(_("omfang"), max_length=40)
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.RUNNING
    )
    total = models.PositiveIntegerField(_("dokumenter"), default=0)
    done = models.PositiveIntegerField(_("dokumenter ferdige"), default=0)
    failure = models.TextField(_("feilmelding"), blank=True)
    file = models.FileField(_("ZIP-fil"), upload_to=export_path, blank=True)
    sha256 = models.CharField(_("sjekksum (SHA-256)"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bestilt av"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("bestilt"), auto_now_add=True)
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)

    class Meta:
        verbose_name = _("arkivuttrekk")
        verbose_name_plural = _("arkivuttrekk")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope"],
                condition=models.Q(status="pagar"),
                name="one_running_export_per_scope",
            )
        ]

    def __str__(self):
        return f"{self.cohort} – {self.office or _('hele puljen')}"

    @staticmethod
    def scope_of(*, cohort, office):
        return f"{cohort.pk}" if office is None else f"{cohort.pk}/{office.pk}"
