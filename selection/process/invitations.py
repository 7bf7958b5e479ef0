"""The office's invitation list, proposed from the evidence of criteria 1–3."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from applications.access_links import access_overview, link_state, request_access_link
from applications.models import Application
from laeringsmiljo.audit import record
from laeringsmiljo.models import Municipality, OfficeSchedule
from selection.process.errors import DecisionError
from selection.process.models import Invitation
from selection.scoring.engine import municipality_evidence_results
from selection.scoring.models import Criterion
from selection.scoring.presentation import CriterionView


@dataclass
class InvitationRow:
    municipality: Municipality
    points: Decimal
    results: list = field(default_factory=list)
    proposed: bool = False
    invited: bool = False
    has_application: bool = False


def municipalities_of(office):
    return Municipality.objects.covered_by([office.pk]).select_related("county").order_by("number")


def invitation_proposal(*, cohort, office):
    """The office's municipalities ranked by the evidence of criteria 1–3 (bullying above the
    national mean, complaint cases, supervision findings), each with its explanation. Those
    with evidence points are proposed, as many as three times the office's capacity."""
    municipalities = list(municipalities_of(office))
    results = municipality_evidence_results(cohort=cohort, municipalities=municipalities)
    criteria_by_kind = {c.kind: c for c in Criterion.objects.all()}

    def view(result):
        criterion = criteria_by_kind[result.kind]
        return CriterionView(
            kind=result.kind,
            number=criterion.number,
            name=criterion.name,
            help_text=criterion.help_text,
            weight=str(criterion.weight),
            is_gate=criterion.is_gate,
            parameters=criterion.parameters,
            outcome=result.outcome,
            raw_value=None if result.raw_value is None else str(result.raw_value),
            points=None if result.points is None else str(result.points),
            weighted_points=None if result.weighted_points is None else str(result.weighted_points),
            explanation=result.explanation,
        )

    invited = set(
        Invitation.objects.filter(cohort=cohort, municipality__in=municipalities).values_list(
            "municipality_id", flat=True
        )
    )
    applying = set(
        Application.objects.filter(cohort=cohort, municipality__in=municipalities).values_list(
            "municipality_id", flat=True
        )
    )
    rows = []
    for municipality in municipalities:
        municipality_results = results.get(municipality.pk, [])
        points = sum(
            (r.weighted_points for r in municipality_results if r.weighted_points is not None),
            Decimal(0),
        )
        rows.append(
            InvitationRow(
                municipality=municipality,
                points=points,
                results=[view(r) for r in municipality_results],
                invited=municipality.pk in invited,
                has_application=municipality.pk in applying,
            )
        )
    rows.sort(key=lambda row: (-row.points, row.municipality.number))
    schedule = OfficeSchedule.objects.filter(cohort=cohort, office=office).first()
    places = 3 * (schedule.capacity if schedule else 1)
    for row in rows[:places]:
        row.proposed = row.points > 0
    return rows


@transaction.atomic
def save_invitations(*, cohort, office, municipalities, proposed_ids, actor):
    """Make the office's invitation list the given municipalities (of its own counties). A
    municipality that has started its application cannot be taken off the list. Each newly
    invited municipality with a registered e-mail address is sent the link to take on the
    contact role."""
    allowed = set(municipalities_of(office).values_list("pk", flat=True))
    chosen = {m.pk for m in municipalities}
    outside = chosen - allowed
    if outside:
        raise DecisionError(_("Du kan bare invitere kommuner i embetets egne fylker."))
    current = {
        invitation.municipality_id: invitation
        for invitation in Invitation.objects.select_for_update().filter(
            cohort=cohort, municipality_id__in=allowed
        )
    }
    removed = set(current) - chosen
    started = Application.objects.filter(cohort=cohort, municipality_id__in=removed).select_related(
        "municipality"
    )
    if started:
        raise DecisionError(
            _("Disse kommunene har begynt på søknaden og kan ikke tas av listen: %(names)s.")
            % {"names": ", ".join(a.municipality.name for a in started)}
        )
    Invitation.objects.filter(cohort=cohort, municipality_id__in=removed).delete()
    added = chosen - set(current)
    Invitation.objects.bulk_create(
        Invitation(
            cohort=cohort,
            municipality_id=pk,
            was_proposed=pk in proposed_ids,
            invited_by=actor,
        )
        for pk in sorted(added)
    )
    for municipality in Municipality.objects.filter(pk__in=added).exclude(email=""):
        request_access_link(cohort=cohort, municipality=municipality, actor=actor)
    if added or removed:
        record(
            actor=actor,
            action="invitations.saved",
            obj=cohort,
            before={"office": office.pk, "invited": sorted(current)},
            after={"office": office.pk, "invited": sorted(chosen)},
        )
    return sorted(added), sorted(removed)


def invited_municipality(*, cohort, office, municipality_pk):
    """A municipality of the office's counties invited to the cohort; Http404 otherwise."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        municipalities_of(office).filter(invitations__cohort=cohort), pk=municipality_pk
    )


def access_rows(*, cohort, office, rows):
    """For each invited municipality on the page: who holds access and its newest link."""
    invited = [row.municipality for row in rows if row.invited]
    overview = access_overview(cohort=cohort, municipality_ids=[m.pk for m in invited])
    return [
        {
            "municipality": municipality,
            "members": overview[municipality.pk][0],
            "link": overview[municipality.pk][1],
            "link_state": link_state(overview[municipality.pk][1]),
        }
        for municipality in invited
    ]
