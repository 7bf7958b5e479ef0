"""The office's grade of an application's motivation (criterion 4)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from laeringsmiljo.audit import record, snapshot
from laeringsmiljo.conflicts import changed_meanwhile
from selection.scoring import criteria
from selection.scoring.criteria import Kind
from selection.scoring.engine import lacks_grounds, latest_scores
from selection.scoring.models import BullyingJudgement, Criterion, MotivationGrade

GRADE_FIELDS = ["grade", "comment", "revision"]
ZERO = Decimal(0)


def motivation_scale():
    """(lowest, highest) grade of criterion 4 as the administrator has set it now."""
    criterion = Criterion.objects.filter(kind=Kind.MOTIVATION).first()
    stored = criterion.parameters if criterion else {}
    params = criteria.typed(Kind.MOTIVATION, stored)
    return params["scale_min"], params["scale_max"]


@transaction.atomic
def grade_motivation(*, application, grade, comment, actor, expected_revision):
    """Set the office's grade of the application's motivation.

    expected_revision is the revision the officer saw (0 when there was no grade yet). When
    someone else has graded in the meantime, the grade is refused, so that two officers
    grading the same application do not silently overwrite each other.
    """
    lowest, highest = motivation_scale()
    if not isinstance(grade, int) or not lowest <= grade <= highest:
        raise ValidationError(
            {
                "grade": _("Karakteren må være et helt tall fra %(lowest)s til %(highest)s.")
                % {"lowest": lowest, "highest": highest}
            },
            code="grade_out_of_scale",
        )
    # Locking the application makes graders of the same application take turns.
    Application.objects.select_for_update().filter(pk=application.pk).first()
    current = (
        MotivationGrade.objects.select_related("graded_by").filter(application=application).first()
    )
    revision = current.revision if current else 0
    if revision != expected_revision:
        changed = changed_meanwhile(
            what=_("karakteren"),
            by=current.graded_by if current else None,
            at=current.graded_at if current else None,
            actor=actor,
        )
        advice = _(
            "Se den nye karakteren og begrunnelsen, og lagre på nytt om du fortsatt vil endre den."
        )
        raise ValidationError(f"{changed} {advice}", code="stale_revision")
    before = snapshot(current, GRADE_FIELDS) if current else None
    if current is None:
        current = MotivationGrade(application=application, revision=0)
    current.grade = grade
    current.comment = comment
    current.graded_by = actor
    current.graded_at = timezone.now()
    current.revision = revision + 1
    current.save()
    record(
        actor=actor,
        action="scoring.motivation_grade",
        obj=current,
        before=before,
        after=snapshot(current, GRADE_FIELDS),
    )
    return current


JUDGEMENT_FIELDS = ["points", "reason", "revision"]


def bullying_max_points():
    """The highest points of criterion 1 as the administrator has set it now."""
    criterion = Criterion.objects.filter(kind=Kind.BULLYING).first()
    stored = criterion.parameters if criterion else {}
    return criteria.typed(Kind.BULLYING, stored)["max_points"]


@transaction.atomic
def judge_bullying(*, application, points, reason, actor, expected_revision):
    """Record the office's judgement of criterion 1 for an application whose participating
    schools' survey figures are all suppressed (the latest score says it lacks grounds): the
    points it gives, from 0 to the criterion's highest, and why. The judgement counts when the
    application is scored again.

    expected_revision is the revision the officer saw (0 when there was no judgement yet); a
    judgement made by someone else in the meantime is refused, as a grade is.
    """
    highest = bullying_max_points()
    errors = {}
    if (
        not isinstance(points, Decimal)
        or not points.is_finite()
        or not ZERO <= points <= highest
        or points.as_tuple().exponent < -2
    ):
        errors["points"] = _(
            "Poengene må være et tall fra 0 til %(highest)s med høyst to desimaler."
        ) % {"highest": points(highest)}
    if not (reason or "").strip():
        errors["reason"] = _(
            "Skriv hvorfor embetet gir disse poengene: hva det vet om mobbingen ved skolene "
            "når tallene fra Elevundersøkelsen er skjermet."
        )
    if errors:
        raise ValidationError(errors, code="invalid_judgement")
    points = points.quantize(Decimal("0.01"))
    # Locking the application makes judges of the same application take turns.
    Application.objects.select_for_update().filter(pk=application.pk).first()
    current = (
        BullyingJudgement.objects.select_related("judged_by")
        .filter(application=application)
        .first()
    )
    revision = current.revision if current else 0
    if revision != expected_revision:
        changed = changed_meanwhile(
            what=_("vurderingen av kriterium 1"),
            by=current.judged_by if current else None,
            at=current.judged_at if current else None,
            actor=actor,
        )
        advice = _(
            "Se den nye vurderingen og begrunnelsen, og lagre på nytt om du fortsatt vil endre den."
        )
        raise ValidationError(f"{changed} {advice}", code="stale_revision")
    score = latest_scores([application]).get(application.pk)
    if current is None and not lacks_grounds(score):
        raise ValidationError(
            _(
                "Kriterium 1 mangler ikke grunnlag i den siste beregningen: det beregnes ut fra "
                "tallene fra Elevundersøkelsen, og embetet skal ikke vurdere det selv. Beregn "
                "søknaden på nytt om tallene er endret."
            ),
            code="not_lacking_grounds",
        )
    before = snapshot(current, JUDGEMENT_FIELDS) if current else None
    if current is None:
        current = BullyingJudgement(application=application, revision=0)
    current.points = points
    current.reason = reason.strip()
    current.judged_by = actor if actor is not None and actor.is_authenticated else None
    current.judged_at = timezone.now()
    current.revision = revision + 1
    current.save()
    record(
        actor=actor,
        action="scoring.bullying_judgement",
        obj=current,
        before=before,
        after=snapshot(current, JUDGEMENT_FIELDS),
    )
    return current
