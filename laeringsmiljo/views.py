"""Start pages per role, the health check and the error pages."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from laeringsmiljo.access import roles_of
from laeringsmiljo.models import Cohort, County, OfficeSchedule, deadline_end


@login_required
def home(request):
    """Send each user to the start page of the role that sees the most."""
    roles = roles_of(request)
    if roles.is_udir:
        return redirect("udir_start")
    if roles.is_office:
        return redirect("office_start")
    if roles.is_municipality:
        return redirect("municipality_start")
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "laeringsmiljo/no_role.html", status=403)


@login_required
def municipality_start(request):
    """The municipality's cohorts, with its office's deadline and the application's status."""
    from applications.models import Application
    from selection.process.models import Invitation

    roles = roles_of(request)
    if not roles.is_municipality:
        raise PermissionDenied
    today = timezone.localdate()
    schedules = (
        OfficeSchedule.objects.filter(
            office__counties__municipalities__in=roles.municipality_ids,
            invitation_date__lte=today,
        )
        .select_related("cohort", "office")
        .distinct()
    )
    invited = set(
        Invitation.objects.filter(municipality_id__in=roles.municipality_ids).values_list(
            "cohort_id", "municipality_id"
        )
    )
    applications = {
        (a.cohort_id, a.municipality_id): a
        for a in Application.objects.filter(municipality_id__in=roles.municipality_ids)
    }
    entries = []
    for municipality in roles.municipalities:
        for schedule in schedules:
            if schedule.office_id != municipality.county.office_id:
                continue
            application = applications.get((schedule.cohort_id, municipality.pk))
            if application is None and (schedule.cohort_id, municipality.pk) not in invited:
                continue
            deadline = (
                application.deadline(schedule) if application else schedule.application_deadline
            )
            closes_at = deadline_end(deadline)
            entries.append(
                {
                    "municipality": municipality,
                    "schedule": schedule,
                    "cohort": schedule.cohort,
                    "application": application,
                    "deadline": deadline,
                    "closes_at": closes_at,
                    "open": timezone.now() < closes_at,
                    "days_left": (deadline - today).days,
                }
            )
    entries.sort(key=lambda e: (-e["cohort"].number, e["municipality"].number))
    _add_results_and_letters(entries, roles)
    return render(request, "laeringsmiljo/municipality_start.html", {"entries": entries})


def _add_results_and_letters(entries, roles):
    """The published decision and the letters of each entry: a municipality sees Udir's
    decision only after the cohort's selection is published."""
    from selection.letters.models import Letter
    from selection.process.models import Decision, Publication

    published = set(Publication.objects.values_list("cohort_id", flat=True))
    decisions = {
        d.application_id: d
        for d in Decision.objects.filter(
            application__municipality_id__in=roles.municipality_ids,
            application__cohort_id__in=published,
        )
    }
    letters = {}
    for letter in Letter.objects.filter(
        municipality_id__in=roles.municipality_ids, status=Letter.Status.GENERATED
    ).order_by("created_at"):
        letters.setdefault((letter.cohort_id, letter.municipality_id), []).append(letter)
    for entry in entries:
        application = entry["application"]
        entry["decision"] = decisions.get(application.pk) if application else None
        entry["letters"] = letters.get((entry["cohort"].pk, entry["municipality"].pk), [])


@login_required
def office_start(request):
    roles = roles_of(request)
    if not roles.is_office:
        raise PermissionDenied
    offices = roles.offices
    counties = County.objects.filter(office__in=offices).order_by("number")
    schedules = (
        OfficeSchedule.objects.filter(office__in=offices)
        .select_related("cohort", "office")
        .order_by("-cohort__number", "office__name")
    )
    return render(
        request,
        "laeringsmiljo/office_start.html",
        {"offices": offices, "counties": counties, "schedules": schedules},
    )


@login_required
def udir_start(request):
    roles = roles_of(request)
    if not roles.is_udir:
        raise PermissionDenied
    cohorts = Cohort.objects.prefetch_related("schedules__office").order_by("-number")
    return render(request, "laeringsmiljo/udir_start.html", {"cohorts": cohorts})


def health(request):
    """Answers 200 when the web process and its database answer; for the container check."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # No context processors that touch the database: the error may be the database.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
