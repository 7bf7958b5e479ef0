"""The office's follow-up board and the reminder sent from it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laeringsmiljo.models import Cohort, OfficeSchedule
from selection import access
from selection.followup import board as board_queries
from selection.followup import reminders
from selection.followup.forms import BoardForm, RemindForm
from selection.process.errors import DecisionError
from selection.process.invitations import invited_municipality


@login_required
def board(request, cohort_pk, office_pk):
    """Every invited municipality of the office with where it stands; the office's own staff
    send reminders from it, Udir reads it."""
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    office = access.office_for(request, office_pk)
    form = BoardForm(request.GET or None)
    state, sort = "", "kommune"
    if form.is_bound:
        if form.is_valid():
            state = form.cleaned_data["status"]
            sort = form.cleaned_data["sorter"] or "kommune"
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    schedule = OfficeSchedule.objects.filter(cohort=cohort, office=office).first()
    rows = board_queries.board(cohort=cohort, office=office, schedule=schedule)
    return render(
        request,
        "selection/followup.html",
        {
            "cohort": cohort,
            "office": office,
            "schedule": schedule,
            "rows": board_queries.filter_and_sort(rows, state=state, sort=sort),
            "total": len(rows),
            "counts": board_queries.counts(rows),
            "form": form if form.is_bound else BoardForm(),
            "state": state,
            "sort": sort,
            "can_edit": access.may_edit_for_office(request, office),
        },
    )


@login_required
@require_POST
def remind(request, cohort_pk, office_pk, municipality_pk):
    """One click: a reminder to the municipality listing what its application lacks."""
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    office = access.own_office(request, office_pk)
    municipality = invited_municipality(
        cohort=cohort, office=office, municipality_pk=municipality_pk
    )
    form = RemindForm(request.POST)
    if not form.is_valid():
        for error in dict.fromkeys(e for errors in form.errors.values() for e in errors):
            messages.error(request, error)
    else:
        try:
            reminder = reminders.remind_municipality(
                cohort=cohort,
                municipality=municipality,
                actor=request.user,
                expected_count=form.cleaned_data["seen"],
            )
        except DecisionError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Påminnelsen til %(name)s sendes til %(recipients)s.")
                % {"name": municipality.name, "recipients": ", ".join(reminder.recipient_list)},
            )
    back = reverse("selection:followup", args=[cohort.pk, office.pk])
    # The board's filter and order come back with the click; anything else is dropped.
    kept = BoardForm(request.POST)
    if kept.is_valid():
        query = urlencode({key: value for key, value in kept.cleaned_data.items() if value})
        if query:
            back = f"{back}?{query}"
    return redirect(back)
