"""Pages for the scores: a cohort's scores, one application's explained score and the office's
grade of its motivation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import office_questions
from laeringsmiljo.access import roles_of
from laeringsmiljo.forms import add_service_errors, carry_revision, error_summary
from laeringsmiljo.models import Cohort
from selection import access
from selection.scoring.criteria import Kind
from selection.scoring.engine import (
    lacks_grounds,
    latest_scores,
    score_application,
    score_cohort,
)
from selection.scoring.forms import BullyingJudgementForm, MotivationGradeForm
from selection.scoring.grading import (
    bullying_max_points,
    grade_motivation,
    judge_bullying,
    motivation_scale,
)
from selection.scoring.models import ApplicationScore, BullyingJudgement, MotivationGrade
from selection.scoring.presentation import score_view
from selection.scoring.queries import cohort_scores_of


@login_required
def cohort_scores(request, cohort_pk):
    """The latest scores of a cohort's applications from the user's counties; scoring them
    all again is one click."""
    access.require_case_officer(request)
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    office_ids = access.office_ids_in_scope(request)
    if request.method == "POST":
        run = score_cohort(cohort=cohort, actor=request.user, office_ids=office_ids)
        messages.success(
            request,
            _("%(count)s innsendte søknader er beregnet.") % {"count": run.application_count},
        )
        return redirect("selection:cohort_scores", cohort.pk)
    return render(
        request,
        "selection/cohort_scores.html",
        {
            "cohort": cohort,
            **cohort_scores_of(
                cohort=cohort,
                office_ids=office_ids,
                within=access.applications_to_assess(request),
                page=request.GET.get("side"),
            ),
        },
    )


def _score_page(request, application, *, score, grade_form=None, judgement_form=None, stored=False):
    grade = MotivationGrade.objects.filter(application=application).select_related("graded_by")
    grade = grade.first()
    judgement = (
        BullyingJudgement.objects.filter(application=application)
        .select_related("judged_by")
        .first()
    )
    if grade_form is None:
        grade_form = MotivationGradeForm(
            scale=motivation_scale(),
            initial={
                "grade": grade.grade if grade else None,
                "comment": grade.comment if grade else "",
                "revision": grade.revision if grade else 0,
            },
        )
    history = (
        ApplicationScore.objects.filter(application=application)
        .select_related("run__started_by")
        .order_by("-run_id")
    )
    latest = history.first()
    # The form is there while the latest score lacks grounds, and for a judgement made.
    show_judgement = judgement is not None or lacks_grounds(latest) or judgement_form is not None
    if judgement_form is None and show_judgement:
        judgement_form = BullyingJudgementForm(
            highest=bullying_max_points(),
            initial={
                "points": judgement.points if judgement else None,
                "reason": judgement.reason if judgement else "",
                "revision": judgement.revision if judgement else 0,
            },
        )
    return render(
        request,
        "selection/score.html",
        {
            "application": application,
            "score": score_view(score) if score else None,
            "is_latest": score is not None and latest is not None and score.pk == latest.pk,
            # An earlier run's own page, named by when it ran (also the latest run's page).
            "stored": stored,
            "history": history,
            "grade": grade,
            "grade_form": grade_form,
            "grade_after_score": bool(grade and latest and grade.graded_at > latest.run.started_at),
            "errors": error_summary(*([judgement_form] if judgement_form else []), grade_form),
            "motivation_kind": Kind.MOTIVATION,
            "judgement": judgement,
            "judgement_form": judgement_form,
            "show_judgement": show_judgement,
            "judgement_after_score": bool(
                judgement and latest and judgement.judged_at > latest.run.started_at
            ),
            # The questions to the municipality and its answers, beside the score.
            **office_questions.for_page(roles=roles_of(request), application=application),
        },
    )


@login_required
def score(request, application_pk):
    """One application's latest score: each criterion with its reasons, the total and the
    verdict; and the office's grade of the motivation."""
    application = access.application_to_assess(request, application_pk)
    latest = latest_scores([application]).get(application.pk)
    return _score_page(request, application, score=latest)


@login_required
def stored_score(request, application_pk, score_pk):
    """An earlier scoring of the application, as it was stored."""
    application = access.application_to_assess(request, application_pk)
    stored = get_object_or_404(
        ApplicationScore.objects.select_related("run"), pk=score_pk, application=application
    )
    return _score_page(request, application, score=stored, stored=True)


@login_required
@require_POST
def rescore(request, application_pk):
    application = access.application_to_assess(request, application_pk)
    score_application(application=application, actor=request.user)
    messages.success(request, _("Søknaden er beregnet på nytt med kriteriene slik de er nå."))
    return redirect("selection:score", application.pk)


def _record_on_score_page(request, application, form, *, save, model, success, form_name):
    """Save the office's grade or judgement from `form` through the service `save`; on a
    refusal, the score page again with the form, carrying the current revision when the form
    was stale."""
    if form.is_valid():
        data = form.cleaned_data
        try:
            save(data)
        except ValidationError as error:
            add_service_errors(form, error)
            if getattr(error, "code", None) == "stale_revision":
                current = model.objects.filter(application=application).first()
                carry_revision(form, current.revision if current else 0)
        else:
            messages.success(request, success)
            return redirect("selection:score", application.pk)
    latest = latest_scores([application]).get(application.pk)
    return _score_page(request, application, score=latest, **{form_name: form})


@login_required
@require_POST
def grade(request, application_pk):
    """Set the office's grade of the motivation (criterion 4)."""
    application = access.application_to_assess(request, application_pk)
    return _record_on_score_page(
        request,
        application,
        MotivationGradeForm(request.POST, scale=motivation_scale()),
        save=lambda data: grade_motivation(
            application=application,
            grade=data["grade"],
            comment=data["comment"],
            actor=request.user,
            expected_revision=data["revision"],
        ),
        model=MotivationGrade,
        success=_("Karakteren er lagret. Beregn søknaden på nytt for å ta den med i poengene."),
        form_name="grade_form",
    )


@login_required
@require_POST
def judge(request, application_pk):
    """Record the office's judgement of criterion 1 when every survey figure is suppressed."""
    application = access.application_to_assess(request, application_pk)
    return _record_on_score_page(
        request,
        application,
        BullyingJudgementForm(request.POST, highest=bullying_max_points()),
        save=lambda data: judge_bullying(
            application=application,
            points=data["points"],
            reason=data["reason"],
            actor=request.user,
            expected_revision=data["revision"],
        ),
        model=BullyingJudgement,
        success=_(
            "Vurderingen av kriterium 1 er lagret. Beregn søknaden på nytt for å ta den "
            "med i poengene."
        ),
        form_name="judgement_form",
    )
