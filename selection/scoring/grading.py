"""The office's grade of an application's motivation (criterion 4)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from laeringsmiljo.audit import record, snapshot
from laeringsmiljo.conflicts import changed_meanwhile
from selection.scoring import criteria
from selection.scoring.criteria import Kind
from selection.scoring.models import Criterion, MotivationGrade

GRADE_FIELDS = ["grade", "comment", "revision"]


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
