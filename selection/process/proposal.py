"""Udir's proposed selection: pure functions over plain data, so that the rule can be tested
for any cohort without the database.

Within each office that has sent its recommendation: the recommended, eligible applications are taken in the office's ranked
order up to the office's capacity; free places are then filled with the office's reserves in
ranked order; what does not fit becomes reserve; the not recommended and the not eligible
are not selected, and so is one whose participation gate is not yet decided. For an office
that has not sent its recommendation nothing is proposed: its verdicts may still change.

A reason is kept as facts (a code and the rank), not as text: it is written out in the
language asked for when it is shown, so that a decision letter gets it in the recipient's
målform whatever language Udir's page was in.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

RECOMMENDED = "anbefalt"
RESERVE = "reserve"
NOT_RECOMMENDED = "ikke_anbefalt"

SELECTED = "valgt"
RESERVE_OUTCOME = "reserve"
NOT_SELECTED = "ikke_valgt"

# Why the proposal says what it says.
NOT_ELIGIBLE = "not_eligible"
GATE_UNDECIDED = "gate_undecided"
NOT_RECOMMENDED_BY_OFFICE = "not_recommended"
WITHIN_CAPACITY = "within_capacity"
RESERVE_FILLS_PLACE = "reserve_fills_place"
CAPACITY_FILLED = "capacity_filled"


def reason_text(code, rank=None):
    """The reason with this code, in the active language."""
    if code == NOT_ELIGIBLE:
        return _("Oppfyller ikke kravet om full deltakelse.")
    if code == GATE_UNDECIDED:
        return _("Det er ikke avgjort ennå om kravet om full deltakelse er oppfylt.")
    if code == NOT_RECOMMENDED_BY_OFFICE:
        return _("Ikke innstilt av embetet.")
    if code == WITHIN_CAPACITY:
        return _("Innstilt som nr. %(rank)s, innenfor kapasiteten.") % {"rank": rank}
    if code == RESERVE_FILLS_PLACE:
        return _("Reserve nr. %(rank)s i embetets rangering; fyller en ledig plass.") % {
            "rank": rank
        }
    if code == CAPACITY_FILLED:
        return _("Kapasiteten er fylt; står som reserve.")
    raise ValueError(f"unknown reason code {code!r}")


@dataclass(frozen=True)
class Candidate:
    application_id: int
    office_id: int
    rank: int
    verdict: str
    eligible: bool
    label: str = ""
    # False while the participation gate is not decided: such a candidate is not eligible yet.
    gate_decided: bool = True


@dataclass(frozen=True)
class Proposed:
    application_id: int
    outcome: str
    reason_code: str
    rank: int | None = None

    @property
    def reason(self):
        """The reason in the active language."""
        return reason_text(self.reason_code, self.rank)

    def reason_in(self, language):
        """The reason in the given language (nb or nn)."""
        with translation.override(language):
            return reason_text(self.reason_code, self.rank)

    def is_its_reason(self, text):
        """Whether the text is this proposal's reason, unchanged, in one of the languages."""
        typed = " ".join(text.split())
        return any(typed == self.reason_in(code) for code, _name in settings.LANGUAGES)


@dataclass
class OfficeProposal:
    office_id: int
    capacity: int
    proposed: list[Proposed] = field(default_factory=list)
    explanation: str = ""

    @property
    def selected_count(self):
        return sum(1 for p in self.proposed if p.outcome == SELECTED)


def propose(*, candidates, capacities, sent_office_ids):
    """The proposed outcome of every candidate, per office, with the reasons.

    candidates: Candidate for each application; capacities: office id -> capacity;
    sent_office_ids: the offices that have sent their recommendation. Never selects more than
    an office's capacity, nor a not eligible or not recommended one; proposes nothing for an
    office that has not sent its recommendation, and says why.
    """
    by_office = {}
    for candidate in candidates:
        by_office.setdefault(candidate.office_id, []).append(candidate)
    proposals = {}
    for office_id in sorted(set(capacities) | set(by_office)):
        capacity = max(capacities.get(office_id, 0), 0)
        ranked = sorted(by_office.get(office_id, []), key=lambda c: (c.rank, c.application_id))
        if office_id in sent_office_ids:
            proposals[office_id] = _propose_office(office_id, capacity, ranked)
        else:
            proposals[office_id] = OfficeProposal(
                office_id=office_id,
                capacity=capacity,
                explanation=_(
                    "Ingen forslag: embetet har ikke sendt innstillingen sin til Udir ennå, og "
                    "rangeringen og innstillingen kan fortsatt endres."
                ),
            )
    return proposals


def _propose_office(office_id, capacity, ranked):
    proposal = OfficeProposal(office_id=office_id, capacity=capacity)
    free = capacity
    outcome = {}
    reasons = {}
    for candidate in ranked:
        if not candidate.gate_decided:
            outcome[candidate.application_id] = NOT_SELECTED
            reasons[candidate.application_id] = (GATE_UNDECIDED, None)
        elif not candidate.eligible:
            outcome[candidate.application_id] = NOT_SELECTED
            reasons[candidate.application_id] = (NOT_ELIGIBLE, None)
        elif candidate.verdict == NOT_RECOMMENDED:
            outcome[candidate.application_id] = NOT_SELECTED
            reasons[candidate.application_id] = (NOT_RECOMMENDED_BY_OFFICE, None)
    for candidate in ranked:
        if candidate.application_id in outcome or candidate.verdict != RECOMMENDED:
            continue
        if free > 0:
            outcome[candidate.application_id] = SELECTED
            reasons[candidate.application_id] = (WITHIN_CAPACITY, candidate.rank)
            free -= 1
    for candidate in ranked:
        if candidate.application_id in outcome:
            continue
        if free > 0:
            outcome[candidate.application_id] = SELECTED
            reasons[candidate.application_id] = (RESERVE_FILLS_PLACE, candidate.rank)
            free -= 1
        else:
            outcome[candidate.application_id] = RESERVE_OUTCOME
            reasons[candidate.application_id] = (CAPACITY_FILLED, None)
    proposal.proposed = [
        Proposed(c.application_id, outcome[c.application_id], *reasons[c.application_id])
        for c in ranked
    ]
    selected = proposal.selected_count
    proposal.explanation = ngettext(
        "Kapasitet %(capacity)s: %(selected)s søknad foreslått valgt av %(total)s.",
        "Kapasitet %(capacity)s: %(selected)s søknader foreslått valgt av %(total)s.",
        selected,
    ) % {"capacity": capacity, "selected": selected, "total": len(ranked)}
    if free > 0 and ranked:
        proposal.explanation += " " + ngettext(
            "%(free)s plass står ledig fordi embetet ikke har flere innstilte søknader.",
            "%(free)s plasser står ledige fordi embetet ikke har flere innstilte søknader.",
            free,
        ) % {"free": free}
    return proposal
