"""The reason a decision gives (forvaltningsloven §§ 24–25), assembled from the facts of the case
in the language asked for: the office's ranking and capacity, the application's total and the
criteria that weighed most with their points, the gates, then the reason for the outcome (the
proposal's, or what Udir wrote), Udir's reason for departing from the proposal, and the office's
own justification of its recommendation.

Every decision letter kind gives this reason, so a new kind gets it by using {reason}.
"""

from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laeringsmiljo.numbers import points
from selection.scoring.engine import CriterionOutcome

# How many of the weighted criteria the reason names, those with the most points first.
TOP_CRITERIA = 3


def _criterion_name(criterion, language):
    return criterion.get(f"name_{language}") or criterion.get("name_nb", "")


def _criteria_sentences(score, language):
    if score is None:
        return [_("Søknaden er ikke beregnet.")]
    by_kind = {c["kind"]: c for c in score.run.criteria}
    sentences = []
    weighted = [
        (Decimal(r["weighted_points"]), by_kind[r["kind"]])
        for r in score.results
        if r["kind"] in by_kind
        and not by_kind[r["kind"]]["is_gate"]
        and r["weighted_points"] is not None
        and Decimal(r["weighted_points"]) > 0
    ]
    weighted.sort(key=lambda item: (-item[0], item[1]["number"]))
    if score.total is not None:
        sentences.append(
            _("Søknaden fikk %(total)s poeng samlet.") % {"total": points(score.total)}
        )
    if weighted:
        named = [
            _("kriterium %(number)s «%(name)s» med %(points)s poeng")
            % {
                "number": criterion["number"],
                "name": _criterion_name(criterion, language),
                "points": points(value),
            }
            for value, criterion in weighted[:TOP_CRITERIA]
        ]
        listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + _(" og ") + named[-1]
        sentences.append(
            ngettext(
                "Kriteriet som veide tyngst, var %(criteria)s.",
                "Kriteriene som veide tyngst, var %(criteria)s.",
                len(named),
            )
            % {"criteria": listed}
        )
    for result in score.results:
        criterion = by_kind.get(result["kind"])
        if criterion is None or not criterion["is_gate"]:
            continue
        values = {"number": criterion["number"], "name": _criterion_name(criterion, language)}
        if result["outcome"] == CriterionOutcome.PASSED:
            sentences.append(_("Kravet i kriterium %(number)s «%(name)s» er oppfylt.") % values)
        elif result["outcome"] == CriterionOutcome.FAILED:
            sentences.append(
                _(
                    "Kravet i kriterium %(number)s «%(name)s» er ikke oppfylt, og søknaden kan "
                    "derfor ikke velges."
                )
                % values
            )
        else:
            sentences.append(
                _("Det er ikke avgjort om kravet i kriterium %(number)s «%(name)s» er oppfylt.")
                % values
            )
    return sentences


def assembled_reason(*, ranked, office_name, capacity, office_count, written, decision, language):
    """The reason in the language, as paragraphs separated by a blank line.

    ranked: the application's RankedApplication (place, score, recommendation); office_name:
    the office's name on the letter's date; capacity and office_count: the office's places and
    its number of ranked applications; written: the reason for the outcome (the proposal's, or
    what Udir wrote); decision: Udir's decision, for its reason for a departure, or None.
    """
    with translation.override(language):
        facts = [
            ngettext(
                "%(office)s rangerte søknaden som nr. %(rank)s av %(count)s søknad.",
                "%(office)s rangerte søknaden som nr. %(rank)s av %(count)s søknader.",
                office_count,
            )
            % {"office": office_name, "rank": ranked.position, "count": office_count},
            ngettext(
                "Embetet kan ta inn %(capacity)s kommune i puljen.",
                "Embetet kan ta inn %(capacity)s kommuner i puljen.",
                capacity,
            )
            % {"capacity": capacity},
            *_criteria_sentences(ranked.score, language),
        ]
        paragraphs = [" ".join(facts)]
        if written.strip():
            paragraphs.append(written.strip())
        if decision is not None and decision.deviation_reason.strip():
            paragraphs.append(
                _("Udir har begrunnet avviket slik: %(reason)s")
                % {"reason": decision.deviation_reason.strip()}
            )
        recommendation = ranked.recommendation
        if recommendation is not None and recommendation.justification.strip():
            paragraphs.append(
                _("%(office)s begrunnet innstillingen slik: «%(text)s»")
                % {"office": office_name, "text": recommendation.justification.strip()}
            )
    return "\n\n".join(paragraphs)
