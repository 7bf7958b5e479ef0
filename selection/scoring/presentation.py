"""A stored score made ready for the page, in the reader's written standard."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from laeringsmiljo.numbers import points as written_points
from selection.evidence.models import format_school_year
from selection.scoring.criteria import Kind
from selection.scoring.engine import CriterionOutcome, provisional_references


@dataclass
class CriterionView:
    kind: str
    number: int
    name: str
    help_text: str
    weight: str
    is_gate: bool
    parameters: dict
    outcome: str
    raw_value: str | None
    points: str | None
    weighted_points: str | None
    explanation: dict

    @property
    def problems(self):
        """Criterion 6's missing commitments, in the reader's written standard."""
        problems = self.explanation.get("problems", {})
        return problems.get("nn" if get_language() == "nn" else "nb", [])

    @property
    def raw_label(self):
        """The raw value with its unit, as the summary table shows it."""
        if self.raw_value is None:
            if self.judgement:
                return _("embetets vurdering")
            return _("ingen verdi")
        value = Decimal(self.raw_value)
        if self.kind == Kind.BULLYING:
            return _("%(value)s prosentpoeng") % {"value": _signed(value)}
        if self.kind == Kind.COMPLAINTS:
            return ngettext("%(count)s sak", "%(count)s saker", int(value)) % {"count": int(value)}
        if self.kind == Kind.SUPERVISION:
            return ngettext("%(count)s åpent avvik", "%(count)s åpne avvik", int(value)) % {
                "count": int(value)
            }
        if self.kind == Kind.MOTIVATION:
            return _("karakter %(grade)s") % {"grade": int(value)}
        if self.kind == Kind.KINDERGARTENS:
            return _("%(share)s %% sender barn til skolene") % {
                "share": formats.number_format(value, decimal_pos=0)
            }
        return ngettext(
            "%(count)s forpliktelse mangler", "%(count)s forpliktelser mangler", int(value)
        ) % {"count": int(value)}

    @property
    def max_points(self):
        """The most points the criterion can give, as the run recorded it; None for a gate,
        whose points do not count."""
        if self.is_gate:
            return None
        return self.parameters.get("max_points")

    @property
    def outcome_label(self):
        """What the criterion gave, in a few words: «12,00 av 15,00 poeng», «oppfylt» for a
        gate, «mangler» when it could not be scored."""
        if self.lacks_grounds:
            return _("mangler grunnlag")
        if self.missing:
            return _("mangler")
        if self.is_gate:
            return _("oppfylt") if self.passed else _("ikke oppfylt")
        return _("%(points)s av %(highest)s poeng") % {
            "points": written_points(self.points),
            "highest": written_points(self.max_points),
        }

    @property
    def lacks_grounds(self):
        """Criterion 1 with every survey figure suppressed and no judgement of the office."""
        return self.missing and self.explanation.get("missing") == "all_suppressed"

    @property
    def judgement(self):
        """The office's judgement that gave criterion 1 its points, or None."""
        return self.explanation.get("judgement")

    @property
    def template(self):
        return f"selection/explanations/{self.kind}.html"

    @property
    def missing(self):
        return self.outcome == CriterionOutcome.MISSING

    @property
    def failed(self):
        return self.outcome == CriterionOutcome.FAILED

    @property
    def passed(self):
        return self.outcome == CriterionOutcome.PASSED


def describe_provisional(entries):
    """A line per school year whose national reference was provisional: the school year and
    how many schools and counties the mean of the imported figures came from."""
    lines = []
    for entry in entries:
        schools = ngettext("%(count)s skole", "%(count)s skoler", entry["schools"]) % {
            "count": entry["schools"]
        }
        if entry.get("counties") is None:
            lines.append(
                _("%(year)s: beregnet fra %(schools)s")
                % {"year": format_school_year(entry["year"]), "schools": schools}
            )
            continue
        counties = ngettext("%(count)s fylke", "%(count)s fylker", entry["counties"]) % {
            "count": entry["counties"]
        }
        lines.append(
            _("%(year)s: beregnet fra %(schools)s i %(counties)s")
            % {"year": format_school_year(entry["year"]), "schools": schools, "counties": counties}
        )
    return lines


def _signed(value):
    text = formats.number_format(value, decimal_pos=2)
    return f"+{text}" if value > 0 else text.replace("-", "−")


def _localised(criterion, field):
    nynorsk = get_language() == "nn"
    return (
        criterion[f"{field}_nn"]
        if nynorsk and criterion[f"{field}_nn"]
        else criterion[f"{field}_nb"]
    )


def score_view(score):
    """The criteria of one stored score with their names as the run recorded them, and the
    reasons behind the verdict."""
    snapshot = {criterion["kind"]: criterion for criterion in score.run.criteria}
    items = []
    for result in score.results:
        criterion = snapshot[result["kind"]]
        items.append(
            CriterionView(
                kind=result["kind"],
                number=criterion["number"],
                name=_localised(criterion, "name"),
                help_text=_localised(criterion, "help_text"),
                weight=criterion["weight"],
                is_gate=criterion["is_gate"],
                parameters=criterion["parameters"],
                outcome=result["outcome"],
                raw_value=result["raw_value"],
                points=result["points"],
                weighted_points=result["weighted_points"],
                explanation=result["explanation"],
            )
        )
    language = "nn" if get_language() == "nn" else "nb"
    reasons = []
    for item in items:
        if not item.failed:
            continue
        if item.kind == Kind.PARTICIPATION:
            reasons.extend(item.explanation["problems"][language])
        else:
            reasons.append(
                _("%(number)s %(name)s er et portkriterium og er ikke oppfylt.")
                % {"number": item.number, "name": item.name}
            )
    return {
        "stored": score,
        "run": score.run,
        "criteria": items,
        "reasons": reasons,
        "missing": [item for item in items if item.missing],
        "lacks_grounds": [item for item in items if item.lacks_grounds],
        "provisional": describe_provisional(provisional_references(score)),
        "inactive": [
            _localised(criterion, "name")
            for criterion in score.run.criteria
            if not criterion["active"]
        ],
    }
