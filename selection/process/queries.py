"""What the process's pages and exports show, as queries with a fixed number of queries."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application
from laeringsmiljo.models import County, OfficeSchedule, deadline_end
from selection.process.decisions import national_overview, ranking
from selection.process.models import (
    Decision,
    Invitation,
    Outcome,
    Participation,
    Place,
    Publication,
    Recommendation,
    Verdict,
)
from selection.process.settlement import answer_deadline, cohort_deadline, propose_reserve
from selection.scoring.models import MotivationGrade


def cohort_overview(*, cohort, office_ids, is_udir):
    """Per office (the given ones; None for all), how many municipalities are invited,
    drafting, submitted, assessed, recommended (the verdict «innstilt», as the county chart
    counts it) and decided, with the totals. Udir's staged
    decisions are counted for Udir, and for the offices once published."""
    schedules = (
        OfficeSchedule.objects.filter(cohort=cohort)
        .select_related("office")
        .order_by("office__name")
    )
    if office_ids is not None:
        schedules = schedules.filter(office_id__in=office_ids)
    office_ids = [s.office_id for s in schedules]
    published = Publication.objects.filter(cohort=cohort).exists()
    invited = dict(
        Invitation.objects.filter(cohort=cohort, municipality__county__office_id__in=office_ids)
        .values_list("municipality__county__office_id")
        .annotate(n=Count("id"))
    )
    applications = (
        Application.objects.filter(cohort=cohort, municipality__county__office_id__in=office_ids)
        .values("municipality__county__office_id")
        .annotate(
            draft=Count("id", filter=Q(status=Application.Status.DRAFT)),
            submitted=Count("id", filter=Q(status=Application.Status.SUBMITTED)),
        )
    )
    by_office = {row["municipality__county__office_id"]: row for row in applications}

    def count(model, **filters):
        return dict(
            model.objects.filter(
                application__cohort=cohort,
                application__status=Application.Status.SUBMITTED,
                application__municipality__county__office_id__in=office_ids,
                **filters,
            )
            .values_list("application__municipality__county__office_id")
            .annotate(n=Count("id"))
        )

    assessed = count(MotivationGrade)
    recommended = count(Recommendation, verdict=Verdict.RECOMMENDED)
    decided = count(Decision) if (is_udir or published) else {}
    rows = [
        {
            "office": s.office,
            "capacity": s.capacity,
            "invited": invited.get(s.office_id, 0),
            "draft": by_office.get(s.office_id, {}).get("draft", 0),
            "submitted": by_office.get(s.office_id, {}).get("submitted", 0),
            "assessed": assessed.get(s.office_id, 0),
            "recommended": recommended.get(s.office_id, 0),
            "decided": decided.get(s.office_id, 0),
        }
        for s in schedules
    ]
    totals = {
        key: sum(r[key] for r in rows)
        for key in [
            "capacity",
            "invited",
            "draft",
            "submitted",
            "assessed",
            "recommended",
            "decided",
        ]
    }
    return {"rows": rows, "totals": totals, "published": published}


def county_overview(*, cohort, office_ids, is_udir):
    """Per county of the offices in the cohort (the given ones; None for all), how many
    municipalities are invited, have submitted, are recommended (the verdict «innstilt») and
    are selected. Udir's staged decisions are counted for Udir, and for the offices once
    published; otherwise `selected` is None."""
    schedules = OfficeSchedule.objects.filter(cohort=cohort)
    if office_ids is not None:
        schedules = schedules.filter(office_id__in=office_ids)
    counties = list(
        County.objects.filter(office__in=schedules.values("office_id")).order_by("number")
    )
    ids = [county.pk for county in counties]

    def per_county(queryset, path):
        return dict(
            queryset.filter(**{f"{path}__in": ids})
            .values_list(path)
            .annotate(n=Count("id"))
            .order_by()
        )

    invited = per_county(Invitation.objects.filter(cohort=cohort), "municipality__county")
    submitted = per_county(
        Application.objects.filter(cohort=cohort, status=Application.Status.SUBMITTED),
        "municipality__county",
    )
    in_cohort = {
        "application__cohort": cohort,
        "application__status": Application.Status.SUBMITTED,
    }
    recommended = per_county(
        Recommendation.objects.filter(verdict=Verdict.RECOMMENDED, **in_cohort),
        "application__municipality__county",
    )
    published = Publication.objects.filter(cohort=cohort).exists()
    shows_selected = is_udir or published
    selected = (
        per_county(
            Decision.objects.filter(outcome=Outcome.SELECTED, **in_cohort),
            "application__municipality__county",
        )
        if shows_selected
        else {}
    )
    return {
        "shows_selected": shows_selected,
        # Udir's decisions before publication are drafts only Udir sees.
        "selected_is_draft": shows_selected and not published,
        "counties": [
            {
                "county": county,
                "invited": invited.get(county.pk, 0),
                "submitted": submitted.get(county.pk, 0),
                "recommended": recommended.get(county.pk, 0),
                "selected": selected.get(county.pk, 0) if shows_selected else None,
            }
            for county in counties
        ],
    }


def ranking_export_rows(*, cohort, office):
    """The office's ranking as a spreadsheet: (headers, rows)."""
    headers = [
        _("Plass"), _("Kommunenummer"), _("Kommune"), _("Referanse"), _("Sum"), _("Kan innstilles"),
        _("Karakter for motivasjon"), _("Innstilling"), _("Begrunnelse"), _("Begrunnelse for flytting"),
    ]  # fmt: skip
    rows = [
        [
            row.position,
            row.application.municipality.number,
            row.application.municipality.name,
            row.application.reference,
            row.score.total if row.score and row.score.total is not None else "",
            _("ja") if row.eligible else _("nei"),
            row.grade.grade if row.grade else "",
            row.recommendation.get_verdict_display()
            if row.recommendation and row.recommendation.verdict
            else "",
            row.recommendation.justification if row.recommendation else "",
            row.recommendation.moved_reason if row.recommendation else "",
        ]
        for row in ranking(cohort=cohort, office_ids=[office.pk])
    ]
    return headers, rows


def national_export_rows(*, cohort):
    """Every office's ranking, proposal and decisions, and after publication each
    municipality's answer and promotion, as a spreadsheet: (headers, rows)."""
    overview = national_overview(cohort=cohort)
    headers = [
        _("Embete"), _("Kapasitet"), _("Plass"), _("Kommunenummer"), _("Kommune"), _("Innstilling"),
        _("Forslag"), _("Grunn til forslaget"), _("Vedtak"), _("Begrunnelse"),
        _("Begrunnelse for avvik"), _("Svar"), _("Svarfrist"), _("Kontaktperson"),
        _("Tatt opp fra reservelisten"), _("Begrunnelse for opptaket"), _("Gikk ut"),
        _("Begrunnelse for å gå ut"),
    ]  # fmt: skip
    cohort_date = cohort_deadline(cohort)
    participations = {
        p.application_id: p
        for p in Participation.objects.filter(place__cohort=cohort).select_related("place__office")
    }
    rows = []
    for office in overview["offices"]:
        for entry in office["rows"]:
            ranked, decision = entry["ranked"], entry["decision"]
            participation = participations.get(ranked.application.pk)
            rows.append(
                [
                    office["office"].name,
                    office["schedule"].capacity,
                    ranked.position,
                    ranked.application.municipality.number,
                    ranked.application.municipality.name,
                    ranked.recommendation.get_verdict_display()
                    if ranked.recommendation and ranked.recommendation.verdict
                    else "",
                    Outcome(entry["proposed"].outcome).label if entry["proposed"] else "",
                    entry["proposed"].reason if entry["proposed"] else "",
                    decision.get_outcome_display() if decision else "",
                    decision.written_reason() if decision else "",
                    decision.deviation_reason if decision else "",
                    *_participation_cells(participation, cohort_date),
                ]
            )
    return headers, rows


def _participation_cells(participation, cohort_date):
    if participation is None:
        return ["", "", "", "", "", "", ""]
    deadline = answer_deadline(participation, cohort_date)
    return [
        participation.get_status_display(),
        deadline.isoformat() if deadline else "",
        ", ".join(
            part
            for part in (
                participation.contact_name,
                participation.contact_email,
                participation.contact_phone,
            )
            if part
        ),
        _("ja") if participation.promoted else _("nei"),
        participation.written_promotion_reason() if participation.promoted else "",
        participation.left_on.isoformat() if participation.left_on else "",
        participation.reason,
    ]


def settlement_overview(*, cohort, office_ids=None):
    """After publication, per office (the given ones; None for all): its capacity, the places
    with who holds them and how far their answer has come, the free places with the reserve
    proposed for them and why, and how many are confirmed, waiting, freed and left on the
    reserve list."""
    schedules = (
        OfficeSchedule.objects.filter(cohort=cohort)
        .select_related("office")
        .order_by("office__name")
    )
    if office_ids is not None:
        schedules = schedules.filter(office_id__in=office_ids)
    schedules = list(schedules)
    ids = [s.office_id for s in schedules]
    cohort_date = cohort_deadline(cohort)
    places = list(
        Place.objects.filter(cohort=cohort, office_id__in=ids).select_related("settled_by")
    )
    participations = list(
        Participation.objects.filter(place__cohort=cohort, place__office_id__in=ids)
        .select_related("application__municipality", "place", "changed_by")
        .order_by("place_id", "pk")
    )
    reserves = dict(
        Decision.objects.filter(
            application__cohort=cohort,
            application__status=Application.Status.SUBMITTED,
            application__municipality__county__office_id__in=ids,
            outcome=Outcome.RESERVE,
            application__participation__isnull=True,
        )
        .values_list("application__municipality__county__office_id")
        .annotate(n=Count("id"))
    )
    now = timezone.now()
    offices = []
    for schedule in schedules:
        office_places = [p for p in places if p.office_id == schedule.office_id]
        rows = []
        for participation in participations:
            if participation.place.office_id != schedule.office_id:
                continue
            deadline = answer_deadline(participation, cohort_date)
            rows.append(
                {
                    "participation": participation,
                    "deadline": deadline,
                    "overdue": participation.status == Participation.Status.WAITING
                    and deadline is not None
                    and now >= deadline_end(deadline),
                }
            )
        free = [p for p in office_places if p.status == Place.Status.FREE]
        count = dict.fromkeys(Participation.Status.values, 0)
        for row in rows:
            count[row["participation"].status] += 1
        offices.append(
            {
                "office": schedule.office,
                "schedule": schedule,
                "capacity": schedule.capacity,
                "confirmed": count[Participation.Status.CONFIRMED],
                "waiting": count[Participation.Status.WAITING],
                "freed": len(rows)
                - count[Participation.Status.CONFIRMED]
                - count[Participation.Status.WAITING],
                "free": len(free),
                "empty": [p for p in office_places if p.status == Place.Status.EMPTY],
                "reserves_left": reserves.get(schedule.office_id, 0),
                "rows": rows,
                "free_places": free,
                "proposal": propose_reserve(cohort=cohort, office=schedule.office)
                if free
                else None,
            }
        )
    totals = {
        key: sum(o[key] for o in offices)
        for key in ["capacity", "confirmed", "waiting", "freed", "free", "reserves_left"]
    }
    return {
        "offices": offices,
        "totals": totals,
        "answer_deadline": cohort_date,
        "publication": Publication.objects.filter(cohort=cohort).first(),
    }
