"""The offices' ranking and recommendation and Udir's final selection: one function for each
state change, in a transaction, with an audit event."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import FilteredRelation, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.models import Application
from laeringsmiljo.audit import record
from laeringsmiljo.conflicts import changed_meanwhile
from laeringsmiljo.models import Cohort, OfficeSchedule, WrittenStandard
from selection.process import proposal, questions, reasons
from selection.process.errors import DecisionError
from selection.process.models import (
    Decision,
    OfficeReview,
    Outcome,
    Participation,
    Place,
    Publication,
    Recommendation,
    Verdict,
)
from selection.process.signals import cohort_published
from selection.scoring.engine import (
    eligible,
    gate_decided,
    lacks_grounds,
    latest_scores,
    provisional_references,
)
from selection.scoring.models import MotivationGrade


@dataclass
class RankedApplication:
    application: Application
    score: object
    grade: object
    recommendation: object
    position: int
    default_position: int

    @property
    def eligible(self):
        return eligible(self.score)

    @property
    def gate_decided(self):
        return gate_decided(self.score)

    @property
    def lacks_grounds(self):
        """Criterion 1 lacks grounds in the latest score (every survey figure suppressed, no
        judgement of the office in it)."""
        return lacks_grounds(self.score)

    @property
    def provisional(self):
        """The school years whose national reference in the latest score was provisional."""
        return provisional_references(self.score)

    @property
    def moved(self):
        return self.position != self.default_position


def _review(cohort, office, *, lock=False):
    queryset = OfficeReview.objects.select_for_update() if lock else OfficeReview.objects
    review, _created = queryset.get_or_create(cohort=cohort, office=office)
    return review


def submitted_applications(*, cohort, office_ids):
    return (
        Application.objects.filter(
            cohort=cohort,
            status=Application.Status.SUBMITTED,
            municipality__county__office_id__in=office_ids,
        )
        .select_related("municipality__county__office")
        .order_by("municipality__number")
    )


def ranking(*, cohort, office_ids, with_results=False):
    """The submitted applications of the offices' counties in ranked order, with their latest
    score, grade and recommendation, loaded with a fixed number of queries. Without results
    (unless asked for, as the letters' reasons need them), the scores carry their totals,
    eligibility and criterion 1's flags but not the criteria's results.

    Each office's ranking is its own: positions count from 1 within each office, and the rows
    come office by office. The default order is by total score (not eligible and unscored
    last); an officer's moves, stored as positions, take precedence.
    """
    applications = list(submitted_applications(cohort=cohort, office_ids=office_ids))
    for application in applications:
        application.cohort = cohort  # the one cohort, not a copy of it loaded with each row
    scores = latest_scores(applications, with_results=with_results)
    grades = {
        g.application_id: g for g in MotivationGrade.objects.filter(application__in=applications)
    }
    # Who set the verdict or moved it is read only when a change is refused (_check_places,
    # _check_verdict): not loaded with every row.
    recommendations = {
        r.application_id: r for r in Recommendation.objects.filter(application__in=applications)
    }

    def total(application):
        score = scores.get(application.pk)
        return score.total if score is not None else None

    return [
        RankedApplication(
            application=a,
            score=scores.get(a.pk),
            grade=grades.get(a.pk),
            recommendation=recommendations.get(a.pk),
            position=position,
            default_position=default_position,
        )
        for position, default_position, a in _in_ranked_order(
            applications,
            office=lambda a: a.municipality.county.office_id,
            total=total,
            number=lambda a: a.municipality.number,
            moved_to=lambda a: recommendations[a.pk].position if a.pk in recommendations else None,
        )
    ]


def _in_ranked_order(items, *, office, total, number, moved_to):
    """(position, default position, item) of each item, office by office, positions counting
    from 1 within each office: by total score (unscored last, then by municipality number),
    unless an officer's move stored the item's position, which takes precedence."""
    by_office = {}
    for item in items:
        by_office.setdefault(office(item), []).append(item)
    ranked = []
    for office_id in sorted(by_office):
        group = by_office[office_id]
        by_score = sorted(
            range(len(group)),
            key=lambda i: (total(group[i]) is None, -(total(group[i]) or 0), number(group[i])),
        )
        default = {i: place + 1 for place, i in enumerate(by_score)}
        placed = sorted(
            range(len(group)),
            key=lambda i: (
                moved if (moved := moved_to(group[i])) is not None else default[i],
                default[i],
            ),
        )
        ranked.extend((place + 1, default[i], group[i]) for place, i in enumerate(placed))
    return ranked


def _summary_candidates(*, cohort, office_ids):
    """The proposal's candidates of the offices' submitted applications, from one plain query
    of the columns the proposal needs, the latest score and the recommendation joined (no
    application, score or user loaded)."""
    applications = list(
        Application.objects.filter(
            cohort=cohort,
            status=Application.Status.SUBMITTED,
            municipality__county__office_id__in=office_ids,
        )
        .annotate(latest=FilteredRelation("scores", condition=Q(scores__is_latest=True)))
        .values_list(
            "pk",
            "municipality__county__office_id",
            "municipality__number",
            "latest__total",
            "latest__eligible",
            "recommendation__verdict",
            "recommendation__position",
        )
    )
    return [
        proposal.Candidate(
            application_id=pk,
            office_id=office_id,
            rank=position,
            verdict=verdict or "",
            eligible=is_eligible is True,
            gate_decided=is_eligible is not None,
        )
        for position, _default, (
            pk,
            office_id,
            _number,
            _total,
            is_eligible,
            verdict,
            _moved,
        ) in _in_ranked_order(
            applications,
            office=lambda a: a[1],
            total=lambda a: a[3],
            number=lambda a: a[2],
            moved_to=lambda a: a[6],
        )
    ]


def _check_open(review):
    if review.is_sent:
        raise DecisionError(
            _("Innstillingen er sendt til Udir og er låst. Bare Udir kan låse den opp.")
        )


def _check_places(rows, index, target, *, expected_position, expected_neighbour, actor):
    """Refuse a move from a page on which the application or the one it changes places with
    stood elsewhere: moves of other applications do not matter."""
    neighbour = rows[target].application.pk if 0 <= target < len(rows) else None
    if expected_position is None or (
        index + 1 == expected_position and neighbour == expected_neighbour
    ):
        return
    touched = {rows[index].application.pk, neighbour, expected_neighbour}
    moves = [
        row.recommendation
        for row in rows
        if row.application.pk in touched and row.recommendation and row.recommendation.moved_at
    ]
    last = max(moves, key=lambda r: r.moved_at, default=None)
    raise DecisionError(
        changed_meanwhile(
            what=_("rangeringen"),
            by=last.moved_by if last else None,
            at=last.moved_at if last else None,
            actor=actor,
        )
        + " "
        + _("Siden viser nå den nye rangeringen; gjør endringen på nytt om den fortsatt trengs.")
    )


def _check_verdict(row, expected_revision, *, actor):
    """Refuse a verdict from a page on which this application's verdict was another."""
    recommendation = row.recommendation
    current = recommendation.revision if recommendation else 0
    if expected_revision is None or current == expected_revision:
        return
    raise DecisionError(
        changed_meanwhile(
            what=_("innstillingen for %(name)s") % {"name": row.application.municipality.name},
            by=recommendation.verdict_by if recommendation else None,
            at=recommendation.verdict_at if recommendation else None,
            actor=actor,
        )
        + " "
        + _(
            "Siden viser nå innstillingen som er lagret, og det du skrev, står i skjemaet. Lagre "
            "på nytt om du fortsatt vil endre den."
        )
    )


def _store_positions(rows, actor):
    for row in rows:
        recommendation = row.recommendation or Recommendation(application=row.application)
        if recommendation.pk is None or recommendation.position != row.position:
            recommendation.position = row.position
            recommendation.updated_by = actor
            recommendation.save()
            row.recommendation = recommendation


@transaction.atomic
def move(
    *,
    application,
    direction,
    reason,
    actor,
    expected_position=None,
    expected_neighbour=None,
):
    """Move an application one place up or down in its office's ranking; the officer must
    say why.

    expected_position is the place the officer saw the application on, expected_neighbour the
    id of the application it was to change places with (None when there was none). When either
    has changed since, the move is refused; moves elsewhere in the ranking do not matter.
    """
    office = application.municipality.county.office
    review = _review(application.cohort, office, lock=True)
    _check_open(review)
    if not reason.strip():
        raise DecisionError(_("Skriv hvorfor søknaden flyttes."))
    rows = ranking(cohort=application.cohort, office_ids=[office.pk])
    index = next((i for i, row in enumerate(rows) if row.application.pk == application.pk), None)
    if index is None:
        raise DecisionError(_("Bare innsendte søknader kan rangeres."))
    target = index - 1 if direction == "opp" else index + 1
    _check_places(
        rows,
        index,
        target,
        expected_position=expected_position,
        expected_neighbour=expected_neighbour,
        actor=actor,
    )
    if not 0 <= target < len(rows):
        raise DecisionError(_("Søknaden kan ikke flyttes lenger i den retningen."))
    rows[index], rows[target] = rows[target], rows[index]
    for position, row in enumerate(rows, start=1):
        row.position = position
    _store_positions(rows, actor)
    now = timezone.now()
    for row in (rows[index], rows[target]):
        row.recommendation.moved_by = actor
        row.recommendation.moved_at = now
    moved = rows[target].recommendation
    before = moved.moved_reason
    moved.moved_reason = reason.strip()
    moved.save(update_fields=["moved_reason", "moved_by", "moved_at", "updated_at"])
    rows[index].recommendation.save(update_fields=["moved_by", "moved_at", "updated_at"])
    record(
        actor=actor,
        action="ranking.moved",
        obj=application,
        before={"position": index + 1, "moved_reason": before},
        after={"position": target + 1, "moved_reason": moved.moved_reason},
    )
    return rows


@transaction.atomic
def recommend(*, application, verdict, justification, actor, expected_revision=None):
    """Set the office's verdict on one application, with its justification. A not eligible
    application (criterion 6) cannot be recommended, not even as reserve.

    expected_revision is the revision of this application's verdict the officer saw (0 when
    there was none): when it has changed since, the verdict is refused. Verdicts on other
    applications and moves do not matter.
    """
    office = application.municipality.county.office
    review = _review(application.cohort, office, lock=True)
    _check_open(review)
    if verdict not in Verdict.values:
        raise DecisionError(_("Velg innstilt, reserve eller ikke innstilt."))
    if not justification.strip():
        raise DecisionError(_("Skriv en begrunnelse for innstillingen."))
    rows = ranking(cohort=application.cohort, office_ids=[office.pk])
    row = next((r for r in rows if r.application.pk == application.pk), None)
    if row is None:
        raise DecisionError(_("Bare innsendte søknader kan innstilles."))
    _check_verdict(row, expected_revision, actor=actor)
    if verdict != Verdict.NOT_RECOMMENDED and row.score is not None and not row.gate_decided:
        raise DecisionError(
            _(
                "Det er ikke avgjort ennå om søknaden oppfyller kravet om full deltakelse "
                "(kriterium 6), og den kan ikke innstilles før det er avgjort."
            )
        )
    if verdict != Verdict.NOT_RECOMMENDED and not row.eligible:
        raise DecisionError(
            _(
                "Søknaden oppfyller ikke kravet om full deltakelse (kriterium 6) eller er ikke "
                "beregnet, og kan ikke innstilles."
            )
        )
    _store_positions(rows, actor)
    recommendation = Recommendation.objects.get(application=application)
    before = {"verdict": recommendation.verdict, "justification": recommendation.justification}
    recommendation.verdict = verdict
    recommendation.justification = justification.strip()
    recommendation.updated_by = actor
    recommendation.verdict_by = actor
    recommendation.verdict_at = timezone.now()
    recommendation.revision += 1
    recommendation.save()
    record(
        actor=actor,
        action="recommendation.set",
        obj=application,
        before=before,
        after={"verdict": verdict, "justification": recommendation.justification},
    )
    return recommendation


def _join(names):
    """«A», «A og B», «A, B og C»."""
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s og %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


@transaction.atomic
def send_to_udir(*, cohort, office, justification, actor):
    """Lock the office's ranking and recommendation and send them to Udir. Every submitted
    application must be scored, graded and have a verdict, and criterion 1 must not lack
    grounds in its latest score: where every survey figure is suppressed, the office's
    judgement must be recorded and the application scored with it. The audit event says which
    scores rest on a provisional national reference."""
    review = _review(cohort, office, lock=True)
    _check_open(review)
    rows = ranking(cohort=cohort, office_ids=[office.pk])
    missing = []
    lacking = []
    for row in rows:
        name = row.application.municipality.name
        if row.score is None:
            missing.append(_("%(name)s er ikke beregnet.") % {"name": name})
        if row.grade is None:
            missing.append(_("%(name)s mangler karakter for motivasjon.") % {"name": name})
        if row.recommendation is None or not row.recommendation.verdict:
            missing.append(_("%(name)s mangler innstilling.") % {"name": name})
        if row.lacks_grounds:
            lacking.append(name)
    if lacking:
        missing.append(
            _(
                "Kriterium 1 mangler grunnlag for %(names)s: alle tallene fra "
                "Elevundersøkelsen for skolene er skjermet. Embetet må vurdere kriteriet på "
                "poengsiden og beregne søknaden på nytt."
            )
            % {"names": _join(lacking)}
        )
    if missing:
        raise DecisionError(
            _("Innstillingen kan ikke sendes ennå: %(missing)s") % {"missing": " ".join(missing)}
        )
    if not justification.strip():
        raise DecisionError(_("Skriv en begrunnelse for innstillingen."))
    _store_positions(rows, actor)
    review.justification = justification.strip()
    review.sent_at = timezone.now()
    review.sent_by = actor
    review.save()
    record(
        actor=actor,
        action="recommendation.sent",
        obj=review,
        after={
            "ranking": [
                {
                    "application": row.application.pk,
                    "position": row.position,
                    "verdict": row.recommendation.verdict,
                    "provisional_reference": [entry["year"] for entry in row.provisional],
                }
                for row in rows
            ],
            "justification": review.justification,
        },
    )
    return review


@transaction.atomic
def unlock(*, cohort, office, actor):
    """Udir opens an office's sent recommendation again."""
    review = _review(cohort, office, lock=True)
    if not review.is_sent:
        raise DecisionError(_("Innstillingen er ikke sendt, så det er ingenting å låse opp."))
    if Publication.objects.filter(cohort=cohort).exists():
        raise DecisionError(_("Utvalget er publisert; innstillingen kan ikke låses opp."))
    before = {"sent_at": review.sent_at, "sent_by": review.sent_by_id}
    review.sent_at = None
    review.sent_by = None
    review.save()
    record(actor=actor, action="recommendation.unlocked", obj=review, before=before)
    return review


def letter_language_note(*, municipality, language):
    """What Udir needs to know before writing a reason that goes into the municipality's
    decision letter: the letter's målform, and why it is that one."""
    chosen = municipality.written_standard in (WrittenStandard.BOKMAAL, WrittenStandard.NYNORSK)
    if language == WrittenStandard.NYNORSK:
        if chosen:
            return _("Skriv begrunnelsen på nynorsk: kommunen har nynorsk som målform.")
        return _(
            "Skriv begrunnelsen på nynorsk: kommunen har nøytral målform, og Udir skriver "
            "nynorsk til nøytrale kommuner."
        )
    if chosen:
        return _("Skriv begrunnelsen på bokmål: kommunen har bokmål som målform.")
    return _(
        "Skriv begrunnelsen på bokmål: kommunen har nøytral målform, og Udir skriver bokmål "
        "til nøytrale kommuner."
    )


def _overview_row(ranked, proposed, decision, language, *, schedule, office_count, day=None):
    written = _reason_in(language, decision, proposed)
    return {
        "ranked": ranked,
        "proposed": proposed,
        "decision": decision,
        # The decision letter's målform, and the reason for the outcome as the letter would
        # give it: the staged decision's, or else the proposal's.
        "letter_language": language,
        "language_note": letter_language_note(
            municipality=ranked.application.municipality, language=language
        ),
        "letter_reason": written,
        # The whole reason of the letter: the facts of the case, then that reason.
        "assembled_reason": reasons.assembled_reason(
            ranked=ranked,
            office_name=schedule.office.name_on(day or timezone.localdate()),
            capacity=schedule.capacity,
            office_count=office_count,
            written=written,
            decision=decision,
            language=language,
        ),
    }


def _reason_in(language, decision, proposed):
    with translation.override(language):
        if decision is not None:
            return decision.written_reason()
        return proposed.reason if proposed else ""


def national_overview(*, cohort, office_ids=None, day=None, rows_for=None):
    """Every office's (or the given offices') capacity, ranking, recommendation and whether it
    is sent, with the proposed selection and the staged decisions; a fixed number of queries.
    The reasons name each office as it was called on the day (today when None).

    Each office's entry counts its applicants, recommended, proposed and decided; its rows
    (each application with its proposal, decision and the letter's reason) are built for the
    offices in `rows_for` only (every office when None), and are None for the others, whose
    counts come from plain columns."""
    schedule_rows = (
        OfficeSchedule.objects.filter(cohort=cohort)
        .select_related("office")
        .prefetch_related("office__names")
    )
    if office_ids is not None:
        schedule_rows = schedule_rows.filter(office_id__in=office_ids)
    schedules = {s.office_id: s for s in schedule_rows}
    detailed = list(schedules) if rows_for is None else [o for o in rows_for if o in schedules]
    reviews = {r.office_id: r for r in OfficeReview.objects.filter(cohort=cohort)}
    rows = ranking(cohort=cohort, office_ids=detailed, with_results=True)
    decisions = {
        d.application_id: d
        for d in Decision.objects.filter(
            application__cohort=cohort, application__municipality__county__office_id__in=detailed
        ).select_related("decided_by")
    }
    candidates = [
        proposal.Candidate(
            application_id=row.application.pk,
            office_id=row.application.municipality.county.office_id,
            rank=row.position,
            verdict=row.recommendation.verdict if row.recommendation else "",
            eligible=row.eligible,
            gate_decided=row.gate_decided,
        )
        for row in rows
    ]
    outcomes = {pk: d.outcome for pk, d in decisions.items()}
    if rows_for is not None:
        summarised = [o for o in schedules if o not in detailed]
        candidates += _summary_candidates(cohort=cohort, office_ids=summarised)
        outcomes.update(
            Decision.objects.filter(
                application__cohort=cohort,
                application__municipality__county__office_id__in=summarised,
            ).values_list("application_id", "outcome")
        )
    proposals = proposal.propose(
        candidates=candidates,
        capacities={office_id: s.capacity for office_id, s in schedules.items()},
        sent_office_ids={office_id for office_id, r in reviews.items() if r.is_sent},
    )
    proposed = {p.application_id: p for office in proposals.values() for p in office.proposed}
    languages = questions.decision_letter_languages(row.application.municipality for row in rows)
    rows_by_office, candidates_by_office = {}, {}
    for row in rows:
        rows_by_office.setdefault(row.application.municipality.county.office_id, []).append(row)
    for candidate in candidates:
        candidates_by_office.setdefault(candidate.office_id, []).append(candidate)
    offices = []
    for office_id, schedule in sorted(schedules.items(), key=lambda item: item[1].office.name):
        office_rows = rows_by_office.get(office_id, [])
        office_candidates = candidates_by_office.get(office_id, [])
        office_outcomes = [
            outcomes[c.application_id] for c in office_candidates if c.application_id in outcomes
        ]
        offices.append(
            {
                "office": schedule.office,
                "schedule": schedule,
                "review": reviews.get(office_id),
                "proposal": proposals.get(office_id),
                "applicants": len(office_candidates),
                "recommended": sum(
                    1 for c in office_candidates if c.verdict == Verdict.RECOMMENDED
                ),
                "proposed": proposals[office_id].selected_count,
                "decided": len(office_outcomes),
                "selected": office_outcomes.count(Outcome.SELECTED),
                "rows": [
                    _overview_row(
                        row,
                        proposed.get(row.application.pk),
                        decisions.get(row.application.pk),
                        languages[row.application.municipality_id],
                        schedule=schedule,
                        office_count=len(office_rows),
                        day=day,
                    )
                    for row in office_rows
                ]
                if office_id in detailed
                else None,
            }
        )
    return {
        "offices": offices,
        "publication": Publication.objects.filter(cohort=cohort).first(),
        "decided": len(outcomes),
        "total": len(candidates),
    }


def letter_reasons(*, cohort, day):
    """Every decided application's letter reason in the cohort at once, by application id, as
    (målform, reason): what decision_reason gives for each, from one ranking per office."""
    overview = national_overview(cohort=cohort, day=day)
    return {
        row["ranked"].application.pk: (row["letter_language"], row["assembled_reason"])
        for office in overview["offices"]
        for row in office["rows"]
        if row["decision"] is not None
    }


def decision_reason(*, application, language, day):
    """The reason the application's decision letter gives, in the language: the facts of the
    case assembled as on Udir's page (the office by its name on the day), then the decision's
    own reason. Without the office's schedule in the cohort, the decision's own reason alone.

    A letter is made one at a time: its office's ranking and proposal come from the plain
    columns (as the summary of Udir's page), and only this application is loaded whole."""
    decision = application.decision
    office = application.municipality.county.office
    office_id = office.pk
    # The office as the application has it (a letter loads it with its dated names).
    schedule = OfficeSchedule.objects.filter(
        cohort_id=application.cohort_id, office_id=office_id
    ).first()
    candidates = (
        _summary_candidates(cohort=application.cohort, office_ids=[office_id]) if schedule else []
    )
    mine = next((c for c in candidates if c.application_id == application.pk), None)
    if mine is None:
        with translation.override(language):
            return decision.written_reason()
    review = OfficeReview.objects.filter(cohort_id=application.cohort_id, office_id=office_id)
    proposals = proposal.propose(
        candidates=candidates,
        capacities={office_id: schedule.capacity},
        sent_office_ids={office_id} if any(r.is_sent for r in review) else set(),
    )
    proposed = next(
        (p for p in proposals[office_id].proposed if p.application_id == application.pk), None
    )
    ranked = RankedApplication(
        application=application,
        score=latest_scores([application]).get(application.pk),
        grade=None,
        recommendation=_recommendation_of(application),
        position=mine.rank,
        default_position=mine.rank,
    )
    return reasons.assembled_reason(
        ranked=ranked,
        office_name=office.name_on(day),
        capacity=schedule.capacity,
        office_count=len(candidates),
        written=_reason_in(language, decision, proposed),
        decision=decision,
        language=language,
    )


def _recommendation_of(application):
    """The application's recommendation (or None), as the caller loaded it if it did."""
    if Application.recommendation.is_cached(application):
        return getattr(application, "recommendation", None)
    return Recommendation.objects.filter(application=application).first()


@transaction.atomic
def decide(*, application, outcome, reason, deviation_reason, actor, expected_revision=None):
    """Stage Udir's decision on one application (seen only by Udir until published).

    Departing from the proposal, going over an office's capacity or deciding before the office
    has sent its recommendation needs a written reason. expected_revision is the revision of
    the decision the user saw (0 when there was none): when someone has decided since, the
    decision is refused.
    """
    # The same lock as publish(): a decision cannot change while the cohort is published. It
    # also makes two decisions on the same application take turns.
    Cohort.objects.select_for_update().filter(pk=application.cohort_id).first()
    if Publication.objects.filter(cohort=application.cohort).exists():
        raise DecisionError(_("Utvalget er publisert, og vedtakene er låst."))
    decision = Decision.objects.filter(application=application).first()
    revision = decision.revision if decision is not None else 0
    if expected_revision is not None and revision != expected_revision:
        raise DecisionError(
            changed_meanwhile(
                what=_("vedtaket for %(name)s") % {"name": application.municipality.name},
                by=decision.decided_by if decision is not None else None,
                at=decision.decided_at if decision is not None else None,
                actor=actor,
            )
            + " "
            + _(
                "Siden viser nå vedtaket som er lagret, og det du skrev, står i skjemaet. Lagre "
                "på nytt om du fortsatt vil endre det."
            )
        )
    if outcome not in Outcome.values:
        raise DecisionError(_("Velg valgt, reserve eller ikke valgt."))
    if not reason.strip():
        raise DecisionError(_("Skriv en begrunnelse for vedtaket."))
    if application.status != Application.Status.SUBMITTED:
        raise DecisionError(_("Bare innsendte søknader kan få vedtak."))
    office = application.municipality.county.office
    # The proposal is per office: only this office's applications are needed.
    overview = national_overview(cohort=application.cohort, office_ids=[office.pk])
    entry = next(o for o in overview["offices"] if o["office"].pk == office.pk)
    row = next(r for r in entry["rows"] if r["ranked"].application.pk == application.pk)
    needs_reason = []
    if not (entry["review"] and entry["review"].is_sent):
        needs_reason.append(_("embetet har ikke sendt innstillingen"))
    if row["proposed"] and row["proposed"].outcome != outcome:
        needs_reason.append(_("vedtaket avviker fra forslaget"))
    if outcome == Outcome.SELECTED:
        already = entry["selected"] - (
            1 if row["decision"] and row["decision"].outcome == Outcome.SELECTED else 0
        )
        if already + 1 > entry["schedule"].capacity:
            needs_reason.append(_("embetets kapasitet blir overskredet"))
    if outcome == Outcome.SELECTED and not row["ranked"].eligible:
        needs_reason.append(_("søknaden oppfyller ikke kravet om full deltakelse"))
    if needs_reason and not deviation_reason.strip():
        raise DecisionError(
            _("Skriv hvorfor: %(why)s.") % {"why": ", ".join(str(w) for w in needs_reason)}
        )
    before = (
        {"outcome": decision.outcome, "reason": decision.reason} if decision is not None else None
    )
    decision = decision or Decision(application=application)
    decision.outcome = outcome
    decision.reason = reason.strip()
    # The proposal's reason kept unchanged is stored as its facts, so that the letter writes it
    # in the municipality's målform; a reason Udir wrote goes into the letter as written.
    kept = row["proposed"] if row["proposed"] and row["proposed"].is_its_reason(reason) else None
    decision.reason_code = kept.reason_code if kept else ""
    decision.reason_rank = kept.rank if kept else None
    decision.deviation_reason = deviation_reason.strip()
    decision.decided_by = actor
    decision.revision = revision + 1
    decision.save()
    record(
        actor=actor,
        action="decision.staged",
        obj=application,
        before=before,
        after={
            "outcome": outcome,
            "reason": decision.reason,
            "reason_code": decision.reason_code,
            "deviation_reason": decision.deviation_reason,
        },
    )
    return decision


def create_places(*, cohort, actor):
    """A place held by each selected municipality of a just published cohort, waiting for its
    answer by the cohort's answer deadline. Called by publish(), inside its transaction."""
    made = 0
    for decision in Decision.objects.filter(
        application__cohort=cohort,
        application__status=Application.Status.SUBMITTED,
        outcome=Outcome.SELECTED,
        application__participation__isnull=True,
    ).select_related("application__municipality__county"):
        application = decision.application
        place = Place.objects.create(
            cohort=cohort,
            office_id=application.municipality.county.office_id,
            status=Place.Status.HELD,
        )
        Participation.objects.create(application=application, place=place, changed_by=actor)
        made += 1
    return made


@transaction.atomic
def publish(*, cohort, actor):
    """Publish every staged decision of the cohort in one step: locks them, records who and
    when, and starts the decision letters. Every submitted application must be decided."""
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    if Publication.objects.filter(cohort=cohort).exists():
        raise DecisionError(_("Utvalget er allerede publisert."))
    undecided = Application.objects.filter(
        cohort=cohort, status=Application.Status.SUBMITTED, decision__isnull=True
    ).select_related("municipality")
    if undecided:
        raise DecisionError(
            _("Disse søknadene mangler vedtak: %(names)s.")
            % {"names": ", ".join(a.municipality.name for a in undecided)}
        )
    decisions = list(
        Decision.objects.filter(
            application__cohort=cohort, application__status=Application.Status.SUBMITTED
        ).select_related("application")
    )
    if not decisions:
        raise DecisionError(_("Det er ingen vedtak å publisere."))
    publication = Publication.objects.create(cohort=cohort, published_by=actor)
    # Each selected municipality holds a place, waiting for its answer.
    create_places(cohort=cohort, actor=actor)
    for decision in decisions:
        record(
            actor=actor,
            action="decision.published",
            obj=decision.application,
            after={"outcome": decision.outcome, "reason": decision.reason},
        )
    record(
        actor=actor,
        action="selection.published",
        obj=publication,
        after={"decisions": len(decisions)},
    )
    # The letters part orders the decision letters; the process does not know it.
    cohort_published.send(sender=Publication, publication=publication, cohort=cohort, actor=actor)
    return publication
