"""The proposed selection respects every office's capacity and every gate, for any cohort."""

from hypothesis import given, settings
from hypothesis import strategies as st

from selection.process.proposal import (
    NOT_RECOMMENDED,
    NOT_SELECTED,
    RECOMMENDED,
    RESERVE,
    RESERVE_OUTCOME,
    SELECTED,
    Candidate,
    propose,
)


def test_recommended_are_taken_in_ranked_order_up_to_capacity():
    candidates = [
        Candidate(1, office_id=10, rank=2, verdict=RECOMMENDED, eligible=True),
        Candidate(2, office_id=10, rank=1, verdict=RECOMMENDED, eligible=True),
        Candidate(3, office_id=10, rank=3, verdict=RESERVE, eligible=True),
        Candidate(4, office_id=10, rank=4, verdict=NOT_RECOMMENDED, eligible=True),
        Candidate(5, office_id=10, rank=5, verdict=RECOMMENDED, eligible=False),
    ]
    proposal = propose(candidates=candidates, capacities={10: 1}, sent_office_ids={10})[10]
    assert [(p.application_id, p.outcome) for p in proposal.proposed] == [
        (2, SELECTED),
        (1, RESERVE_OUTCOME),
        (3, RESERVE_OUTCOME),
        (4, NOT_SELECTED),
        (5, NOT_SELECTED),
    ]
    assert proposal.explanation == "Kapasitet 1: 1 søknad foreslått valgt av 5."


def test_free_places_are_filled_with_reserves():
    candidates = [
        Candidate(1, office_id=10, rank=1, verdict=RECOMMENDED, eligible=True),
        Candidate(2, office_id=10, rank=2, verdict=RESERVE, eligible=True),
        Candidate(3, office_id=10, rank=3, verdict=RESERVE, eligible=True),
    ]
    proposal = propose(candidates=candidates, capacities={10: 2}, sent_office_ids={10})[10]
    assert [(p.application_id, p.outcome) for p in proposal.proposed] == [
        (1, SELECTED),
        (2, SELECTED),
        (3, RESERVE_OUTCOME),
    ]
    assert (
        proposal.proposed[1].reason == "Reserve nr. 2 i embetets rangering; fyller en ledig plass."
    )


def test_an_office_without_applications_says_its_places_are_free():
    proposal = propose(
        candidates=[Candidate(1, office_id=10, rank=1, verdict=NOT_RECOMMENDED, eligible=True)],
        capacities={10: 2},
        sent_office_ids={10},
    )[10]
    assert proposal.selected_count == 0
    assert "2 plasser står ledige" in proposal.explanation


candidate_lists = st.lists(
    st.builds(
        Candidate,
        application_id=st.integers(min_value=1, max_value=10_000),
        office_id=st.integers(min_value=1, max_value=5),
        rank=st.integers(min_value=1, max_value=40),
        verdict=st.sampled_from([RECOMMENDED, RESERVE, NOT_RECOMMENDED]),
        eligible=st.booleans(),
        gate_decided=st.booleans(),
    ),
    max_size=60,
    unique_by=lambda c: c.application_id,
)
capacity_maps = st.dictionaries(
    st.integers(min_value=1, max_value=5), st.integers(min_value=0, max_value=4), max_size=5
)


@settings(max_examples=300, deadline=None)
@given(candidates=candidate_lists, capacities=capacity_maps)
def test_the_proposal_respects_capacities_and_gates(candidates, capacities):
    # Every office has sent its recommendation; one that has not gets no proposal (below).
    sent = {c.office_id for c in candidates} | set(capacities)
    proposals = propose(candidates=candidates, capacities=capacities, sent_office_ids=sent)
    outcomes = {p.application_id: p for office in proposals.values() for p in office.proposed}
    # Every candidate gets exactly one outcome, with a reason.
    assert set(outcomes) == {c.application_id for c in candidates}
    assert all(p.reason for p in outcomes.values())
    for office_id, proposal in proposals.items():
        assert proposal.selected_count <= capacities.get(office_id, 0)
    for candidate in candidates:
        outcome = outcomes[candidate.application_id].outcome
        if (
            not candidate.eligible
            or not candidate.gate_decided
            or candidate.verdict == NOT_RECOMMENDED
        ):
            assert outcome == NOT_SELECTED
    # A reserve is never selected while a recommended one of the same office waits.
    for office_id, proposal in proposals.items():
        office_candidates = {c.application_id: c for c in candidates if c.office_id == office_id}
        waiting = [
            p
            for p in proposal.proposed
            if p.outcome == RESERVE_OUTCOME
            and office_candidates[p.application_id].verdict == RECOMMENDED
        ]
        selected_reserves = [
            p
            for p in proposal.proposed
            if p.outcome == SELECTED and office_candidates[p.application_id].verdict == RESERVE
        ]
        assert not (waiting and selected_reserves)
        # Places stay free only when no eligible recommended or reserve application is left over.
        leftover = [p for p in proposal.proposed if p.outcome == RESERVE_OUTCOME]
        if proposal.selected_count < proposal.capacity:
            assert leftover == []


def test_an_office_that_has_not_sent_its_recommendation_gets_no_proposal_and_why():
    # Verdicts not given yet: the applicants must not come out as reserves filling places.
    candidates = [
        Candidate(1, office_id=10, rank=1, verdict="", eligible=True),
        Candidate(2, office_id=10, rank=2, verdict="", eligible=True),
        Candidate(3, office_id=20, rank=1, verdict=RECOMMENDED, eligible=True),
    ]
    proposals = propose(candidates=candidates, capacities={10: 1, 20: 1}, sent_office_ids={20})
    assert proposals[10].proposed == []
    assert proposals[10].explanation == (
        "Ingen forslag: embetet har ikke sendt innstillingen sin til Udir ennå, og "
        "rangeringen og innstillingen kan fortsatt endres."
    )
    assert [(p.application_id, p.outcome) for p in proposals[20].proposed] == [(3, SELECTED)]


def test_an_undecided_gate_is_not_yet_eligible():
    candidates = [
        Candidate(1, office_id=10, rank=1, verdict=RECOMMENDED, eligible=False, gate_decided=False),
        Candidate(2, office_id=10, rank=2, verdict=RECOMMENDED, eligible=True),
    ]
    proposal = propose(candidates=candidates, capacities={10: 1}, sent_office_ids={10})[10]
    assert [(p.application_id, p.outcome) for p in proposal.proposed] == [
        (1, NOT_SELECTED),
        (2, SELECTED),
    ]
    assert proposal.proposed[0].reason == (
        "Det er ikke avgjort ennå om kravet om full deltakelse er oppfylt."
    )
