"""What an application still lacks before it can be sent: one list, used by the summary page,
by submission and by criterion 6 (full participation)."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from applications import commitments as commitments_module
from applications.models import ApplicationKindergarten, ApplicationSchool, Commitment


@dataclass(frozen=True)
class Section:
    slug: str
    number: int
    title: str


SECTIONS = [
    Section("kontakt", 1, _("Kontaktperson")),
    Section("skoler", 2, _("Skoler")),
    Section("barnehager", 3, _("Barnehager")),
    Section("ppt", 4, _("PP-tjenesten")),
    Section("forpliktelser", 5, _("Forpliktelser")),
    Section("motivasjon", 6, _("Motivasjon")),
    Section("vedlegg", 7, pgettext_lazy("søknadsdel", "Vedlegg")),
]
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}


@dataclass(frozen=True)
class Problem:
    section: str
    message: str


def commitment_problems(application, schools, kindergartens, commitments=None):
    """The commitments still missing: each party (owners, PPT, every participating unit's
    leader, each private owner) that has not confirmed through its own link. `commitments`
    is the application's open requests by party, when the caller has loaded them."""
    return [
        Problem("forpliktelser", message)
        for _party, message in commitments_module.commitment_problems(
            application, schools, kindergartens, commitments
        )
    ]


def problems(application, schools=None, kindergartens=None, commitments=None):
    """Everything that stops the application from being sent, in section order.

    Pass schools and kindergartens (with kindergarten and feeds prefetched) to avoid loading
    them again.
    """
    if schools is None:
        schools = list(application.schools.select_related("school"))
    if kindergartens is None:
        kindergartens = list(
            application.kindergartens.select_related("kindergarten").prefetch_related("feeds")
        )
    found = []
    if not (
        application.contact_name
        and application.contact_role
        and application.contact_email
        and application.contact_phone
    ):
        found.append(
            Problem("kontakt", _("Kontaktpersonen mangler navn, stilling, e-post eller telefon."))
        )
    if not application.postal_address.strip():
        found.append(Problem("kontakt", _("Kommunens postadresse mangler.")))
    if not schools:
        found.append(Problem("skoler", _("Velg minst én skole.")))
    for unit in schools:
        if unit.school.municipality_id != application.municipality_id:
            found.append(Problem("skoler", _("%(unit)s ligger ikke i kommunen.") % {"unit": unit}))
    if not kindergartens:
        found.append(Problem("barnehager", _("Velg minst én barnehage.")))
    for unit in kindergartens:
        if unit.kindergarten.municipality_id != application.municipality_id:
            found.append(
                Problem("barnehager", _("%(unit)s ligger ikke i kommunen.") % {"unit": unit})
            )
        if not unit.feeds.all() and not unit.challenges.strip():
            found.append(
                Problem(
                    "barnehager",
                    _(
                        "%(unit)s må enten knyttes til en deltakende skole eller ha kjente "
                        "utfordringer beskrevet."
                    )
                    % {"unit": unit},
                )
            )
    if application.ppt_service_id is None:
        found.append(Problem("ppt", _("Velg PP-tjenesten som tjener kommunen.")))
    elif not (application.ppt_contact_name and application.ppt_contact_email):
        found.append(Problem("ppt", _("Kontaktpersonen i PP-tjenesten mangler navn eller e-post.")))
    found.extend(commitment_problems(application, schools, kindergartens, commitments))
    if not (
        application.motivation_why.strip()
        and application.motivation_goals.strip()
        and application.motivation_priority.strip()
    ):
        found.append(Problem("motivasjon", _("Alle tre spørsmålene om motivasjon må besvares.")))
    for unit in [*schools, *kindergartens]:
        if not unit.motivation.strip():
            found.append(
                Problem(
                    "motivasjon",
                    _("Skriv en kort motivasjon for %(unit)s.") % {"unit": unit},
                )
            )
    return found


@dataclass(frozen=True)
class Step:
    """One part of the application in the progress list, with its state: "ferdig", "mangler"
    (with how many things are missing), "ikke_paabegynt", or "valgfri" for the attachments
    when there are none."""

    section: Section
    state: str
    missing: int = 0

    @property
    def label(self):
        if self.state == "mangler":
            return ngettext("mangler %(count)s", "mangler %(count)s", self.missing) % {
                "count": self.missing
            }
        return STATE_LABELS[self.state]

    @property
    def complete(self):
        return self.state in ("ferdig", "valgfri")


STATE_LABELS = {
    "ferdig": _("ferdig"),
    "ikke_paabegynt": _("ikke påbegynt"),
    "valgfri": _("valgfri, ingen lagt ved"),
}


def _started(application, slug, *, schools, kindergartens, commitments, attachment_count):
    if slug == "kontakt":
        return any(
            (
                application.contact_name,
                application.contact_role,
                application.contact_email,
                application.contact_phone,
                application.postal_address.strip(),
            )
        )
    if slug == "skoler":
        return bool(schools)
    if slug == "barnehager":
        return bool(kindergartens)
    if slug == "ppt":
        return application.ppt_service_id is not None
    if slug == "forpliktelser":
        return bool(commitments)
    if slug == "motivasjon":
        return any(
            text.strip()
            for text in (
                application.motivation_why,
                application.motivation_goals,
                application.motivation_priority,
                *(unit.motivation for unit in [*schools, *kindergartens]),
            )
        )
    return attachment_count > 0


def progress(application, found, *, schools, kindergartens, commitments, attachment_count):
    """The progress list: each part with its state, from the problems `found` (problems())
    and what has been filled in, so that it says the same as the list of what is missing."""
    missing = {}
    for problem in found:
        missing[problem.section] = missing.get(problem.section, 0) + 1
    steps = []
    for section in SECTIONS:
        started = _started(
            application,
            section.slug,
            schools=schools,
            kindergartens=kindergartens,
            commitments=commitments,
            attachment_count=attachment_count,
        )
        if section.slug == "vedlegg":
            state = "ferdig" if started else "valgfri"
        elif not started:
            state = "ikke_paabegynt"
        elif missing.get(section.slug):
            state = "mangler"
        else:
            state = "ferdig"
        steps.append(Step(section, state, missing.get(section.slug, 0)))
    return steps


def next_incomplete(steps, current=None):
    """The first part after `current` that is not complete, or else the first one before it;
    None when every part is complete."""
    slugs = [step.section.slug for step in steps]
    start = slugs.index(current) + 1 if current in slugs else 0
    for step in [*steps[start:], *steps[:start]]:
        if not step.complete and step.section.slug != current:
            return step
    return None


def with_contents(applications):
    """The applications with what problems() reads prefetched, for a list of many: the units
    with their schools, kindergartens and feeds, and the open commitment requests (as
    `open_requests`), in four queries however many applications."""
    return applications.prefetch_related(
        Prefetch("schools", queryset=ApplicationSchool.objects.select_related("school")),
        Prefetch(
            "kindergartens",
            queryset=ApplicationKindergarten.objects.select_related(
                "kindergarten"
            ).prefetch_related("feeds"),
        ),
        Prefetch(
            "commitments",
            queryset=Commitment.objects.filter(voided_at__isnull=True).order_by("pk"),
            to_attr="open_requests",
        ),
    )
