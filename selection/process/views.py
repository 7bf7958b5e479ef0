"""Pages of the process after the evidence: invitations, the offices' ranking and
recommendation, Udir's final selection, the cohort overview and the exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import access_links
from applications.errors import ApplicationError
from applications.models import Application
from laeringsmiljo.access import roles_of
from laeringsmiljo.charts import bar_chart
from laeringsmiljo.downloads import private_download
from laeringsmiljo.models import Cohort, GovernorOffice, Membership, OfficeSchedule, Role
from selection import access
from selection.evidence import exports
from selection.process import decisions, invitations, queries, settlement
from selection.process.errors import DecisionError
from selection.process.forms import (
    ConfirmPlaceForm,
    DecideForm,
    InvitationForm,
    MoveForm,
    PromoteForm,
    ReasonForm,
    RecommendForm,
    RegisteredEmailForm,
    ResendForm,
    SendForm,
    WithdrawForm,
)
from selection.process.models import (
    OfficeReview,
    Participation,
    Place,
)
from selection.scoring.presentation import describe_provisional


def _show_error(request, error):
    for message in error.messages:
        messages.error(request, message)


def _apply(request, form, action, success):
    """Run one service with a form's data, and tell the user how it went. Returns whether the
    change was made."""
    if not form.is_valid():
        # Several hidden fields can fail with the same message: say it once.
        for error in dict.fromkeys(e for errors in form.errors.values() for e in errors):
            messages.error(request, error)
        return False
    try:
        action(form.cleaned_data)
    except DecisionError as error:
        _show_error(request, error)
        return False
    if success:
        messages.success(request, success)
    return True


# What a refused form held, so that the page it came from shows it again instead of losing it.
KEPT_KEY = "selection_refused_form"


def _keep(request, page, form, fields):
    """Remember the posted values of a refused form for the page the user is sent back to."""
    request.session[KEPT_KEY] = {
        "page": page,
        "form": form,
        "data": {name: request.POST.get(name, "") for name in fields},
    }


def _kept(request):
    """The refused form posted from this page, once: (form, values), or (None, {})."""
    kept = request.session.get(KEPT_KEY)
    if not kept or kept.get("page") != request.path:
        return None, {}
    del request.session[KEPT_KEY]
    return kept["form"], kept["data"]


@login_required
def invitation_list(request, cohort_pk, office_pk):
    """The proposal from the evidence and the office's invitation list."""
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    office = access.office_for(request, office_pk)
    can_edit = access.may_edit_for_office(request, office)
    rows = invitations.invitation_proposal(cohort=cohort, office=office)
    form = InvitationForm(
        request.POST or None,
        municipalities=invitations.municipalities_of(office),
        initial={"municipalities": [r.municipality.pk for r in rows if r.invited]},
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                added, removed = invitations.save_invitations(
                    cohort=cohort,
                    office=office,
                    municipalities=form.cleaned_data["municipalities"],
                    proposed_ids={r.municipality.pk for r in rows if r.proposed},
                    actor=request.user,
                )
            except DecisionError as error:
                _show_error(request, error)
            else:
                messages.success(
                    request,
                    _("Invitasjonslisten er lagret: %(added)s lagt til, %(removed)s fjernet.")
                    % {"added": len(added), "removed": len(removed)},
                )
                return redirect("selection:invitations", cohort.pk, office.pk)
    return render(
        request,
        "selection/invitations.html",
        {
            "cohort": cohort,
            "office": office,
            "rows": rows,
            "form": form,
            "can_edit": can_edit,
            "invited_count": sum(1 for r in rows if r.invited),
            "access_rows": invitations.access_rows(cohort=cohort, office=office, rows=rows),
        },
    )


def _invited(request, cohort_pk, office_pk, municipality_pk):
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    office = access.own_office(request, office_pk)
    municipality = invitations.invited_municipality(
        cohort=cohort, office=office, municipality_pk=municipality_pk
    )
    return cohort, office, municipality


@login_required
@require_POST
def invitation_email(request, cohort_pk, office_pk, municipality_pk):
    """Change an invited municipality's registered address (postmottak)."""
    cohort, office, municipality = _invited(request, cohort_pk, office_pk, municipality_pk)
    form = RegisteredEmailForm(request.POST)
    if form.is_valid():
        access_links.set_registered_email(
            municipality=municipality, email=form.cleaned_data["email"], actor=request.user
        )
        messages.success(
            request,
            _("Postmottaket til %(municipality)s er lagret.") % {"municipality": municipality.name},
        )
    else:
        for error in form.errors["email"]:
            messages.error(request, error)
    return redirect("selection:invitations", cohort.pk, office.pk)


@login_required
@require_POST
def invitation_resend(request, cohort_pk, office_pk, municipality_pk):
    """Send the link to take on the contact role again; the old one stops working."""
    cohort, office, municipality = _invited(request, cohort_pk, office_pk, municipality_pk)
    form = ResendForm(request.POST)
    replaces = form.cleaned_data["replaces"] if form.is_valid() else None
    try:
        access_links.request_access_link(
            cohort=cohort, municipality=municipality, actor=request.user, replaces=replaces
        )
    except ApplicationError as error:
        _show_error(request, error)
    else:
        messages.success(
            request,
            _("En ny lenke sendes til %(email)s. Den gamle virker ikke lenger.")
            % {"email": municipality.email},
        )
    return redirect("selection:invitations", cohort.pk, office.pk)


@login_required
@require_POST
def invitation_revoke(request, cohort_pk, office_pk, municipality_pk, membership_pk):
    """Take a person's access to an invited municipality away."""
    cohort, office, municipality = _invited(request, cohort_pk, office_pk, municipality_pk)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "municipality"),
        pk=membership_pk,
        role=Role.MUNICIPALITY,
        municipality=municipality,
    )
    access_links.revoke_membership(membership=membership, actor=request.user)
    messages.success(
        request,
        _("%(name)s har ikke lenger tilgang til %(municipality)s.")
        % {
            "name": membership.user.get_full_name() or membership.user.username,
            "municipality": municipality.name,
        },
    )
    return redirect("selection:invitations", cohort.pk, office.pk)


def _provisional_line(entries, lines):
    key = tuple((entry["year"], entry["schools"], entry.get("counties")) for entry in entries)
    if key not in lines:
        lines[key] = "; ".join(describe_provisional(entries))
    return lines[key]


@login_required
def ranking(request, cohort_pk, office_pk):
    """The office ranks, recommends and sends to Udir; Udir reads and can unlock."""
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    office = access.office_for(request, office_pk)
    roles = roles_of(request)
    review = OfficeReview.objects.filter(cohort=cohort, office=office).first()
    rows = decisions.ranking(cohort=cohort, office_ids=[office.pk])
    kept_form, kept = _kept(request)
    # What each row shows, worked out here once rather than looked up cell by cell: the
    # options of its verdict (the labels translated once) and the text in its fields.
    verdicts = [
        (value, str(label)) for value, label in RecommendForm.base_fields["verdict"].choices
    ]
    for index, row in enumerate(rows):
        pk = row.application.pk
        recommendation = row.recommendation
        row.above = rows[index - 1].application.pk if index > 0 else ""
        row.below = rows[index + 1].application.pk if index + 1 < len(rows) else ""
        row.kept_move = kept if kept_form == f"move-{pk}" else None
        row.kept_recommendation = kept if kept_form == f"recommend-{pk}" else None
        row.move_reason = row.kept_move.get("reason", "") if row.kept_move else ""
        if row.kept_recommendation:
            chosen = row.kept_recommendation.get("verdict")
            row.justification_text = row.kept_recommendation.get("justification", "")
        else:
            chosen = recommendation.verdict if recommendation else None
            row.justification_text = recommendation.justification if recommendation else ""
        row.verdict_options = [(value, label, value == chosen) for value, label in verdicts]
        row.revision = (recommendation.revision or 0) if recommendation else 0
    lines = {}  # the scores of one run share their national references: each line once
    justification = review.justification if review else ""
    if kept_form == "send":
        justification = kept["justification"]
    return render(
        request,
        "selection/ranking.html",
        {
            "cohort": cohort,
            "office": office,
            "rows": rows,
            "review": review,
            "can_edit": access.may_edit_for_office(request, office)
            and not (review and review.is_sent),
            "is_udir": roles.is_udir,
            "schedule": OfficeSchedule.objects.filter(cohort=cohort, office=office).first(),
            "verdict_choices": RecommendForm.base_fields["verdict"].choices,
            "send_form": SendForm(initial={"justification": justification}),
            # What the office must see before it sends: the scores whose criterion 1 rests on
            # a provisional national reference, and those whose criterion 1 lacks grounds.
            "provisional": [
                f"{row.application.municipality.name}: {_provisional_line(row.provisional, lines)}"
                for row in rows
                if row.provisional
            ],
            "lacking": [row for row in rows if row.lacks_grounds],
        },
    )


@login_required
@require_POST
def move(request, cohort_pk, office_pk, application_pk):
    office, application = access.ranked_application(request, cohort_pk, office_pk, application_pk)
    form = MoveForm(request.POST)
    moved = _apply(
        request,
        form,
        lambda data: decisions.move(
            application=application,
            direction=data["direction"],
            reason=data["reason"],
            actor=request.user,
            expected_position=data["position"],
            expected_neighbour=form.neighbour(),
        ),
        _("%(name)s er flyttet.") % {"name": application.municipality.name},
    )
    page = reverse("selection:ranking", args=[cohort_pk, office.pk])
    if not moved:
        _keep(request, page, f"move-{application.pk}", ["reason"])
    return redirect(page)


@login_required
@require_POST
def recommend(request, cohort_pk, office_pk, application_pk):
    office, application = access.ranked_application(request, cohort_pk, office_pk, application_pk)
    saved = _apply(
        request,
        RecommendForm(request.POST),
        lambda data: decisions.recommend(
            application=application,
            verdict=data["verdict"],
            justification=data["justification"],
            actor=request.user,
            expected_revision=data["revision"],
        ),
        _("Innstillingen for %(name)s er lagret.") % {"name": application.municipality.name},
    )
    page = reverse("selection:ranking", args=[cohort_pk, office.pk])
    if not saved:
        _keep(request, page, f"recommend-{application.pk}", ["verdict", "justification"])
    return redirect(page)


@login_required
@require_POST
def send(request, cohort_pk, office_pk):
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    office = access.own_office(request, office_pk)
    form = SendForm(request.POST)
    try:
        if not form.is_valid():
            raise DecisionError(form.errors["justification"][0])
        decisions.send_to_udir(
            cohort=cohort,
            office=office,
            justification=form.cleaned_data["justification"],
            actor=request.user,
        )
    except DecisionError as error:
        _show_error(request, error)
        _keep(
            request,
            reverse("selection:ranking", args=[cohort.pk, office.pk]),
            "send",
            ["justification"],
        )
    else:
        messages.success(request, _("Innstillingen er sendt til Udir og er nå låst."))
    return redirect("selection:ranking", cohort.pk, office.pk)


@login_required
@require_POST
def unlock(request, cohort_pk, office_pk):
    access.require_udir(request)
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    office = get_object_or_404(GovernorOffice, pk=office_pk)
    try:
        decisions.unlock(cohort=cohort, office=office, actor=request.user)
    except DecisionError as error:
        _show_error(request, error)
    else:
        messages.success(
            request, _("Innstillingen til %(office)s er låst opp.") % {"office": office.name}
        )
    return redirect("selection:ranking", cohort.pk, office.pk)


def _chosen_office(request):
    """The office pk asked for with ?kontor=, None when none is asked for, or "" when the value
    is not a number."""
    value = request.GET.get("kontor", "").strip()
    if not value:
        return None
    return int(value) if value.isdigit() else ""


def national_page(cohort_pk, office_id=None):
    """The address of Udir's page, opened at the office's section when one is given."""
    page = reverse("selection:national", args=[cohort_pk])
    return f"{page}?kontor={office_id}#embete-{office_id}" if office_id else page


@login_required
def national(request, cohort_pk):
    """Udir's page: a summary of every office's capacity, applicants, recommendation, proposal
    and decisions first, then one chosen office's ranking with the decision forms."""
    access.require_udir(request)
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    chosen = _chosen_office(request)
    overview = decisions.national_overview(
        cohort=cohort, rows_for=[chosen] if isinstance(chosen, int) else []
    )
    entry = next((e for e in overview["offices"] if e["office"].pk == chosen), None)
    office_error = (
        _("Fant ikke embetet i puljen. Velg et embete i tabellen.")
        if chosen is not None and entry is None
        else None
    )
    kept_form, kept = _kept(request)
    outcome_choices = DecideForm.base_fields["outcome"].choices
    labels = {value: str(label) for value, label in outcome_choices}
    for row in entry["rows"] if entry else []:
        pk = row["ranked"].application.pk
        row["kept"] = kept if kept_form == f"decide-{pk}" else None
        row["proposed_label"] = labels.get(row["proposed"].outcome, "") if row["proposed"] else ""
    only_applied = request.GET.get("med_sokere") == "1"
    return render(
        request,
        "selection/national.html",
        {
            "cohort": cohort,
            **overview,
            "summary": [e for e in overview["offices"] if e["applicants"] or not only_applied],
            "only_applied": only_applied,
            "entry": entry,
            "office_error": office_error,
            "outcome_choices": outcome_choices,
            "settlement": queries.settlement_overview(cohort=cohort)
            if overview["publication"]
            else None,
            "is_udir": True,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def decide(request, cohort_pk, application_pk):
    application = access.application_to_decide(request, cohort_pk, application_pk)
    decided = _apply(
        request,
        DecideForm(request.POST),
        lambda data: decisions.decide(
            application=application,
            outcome=data["outcome"],
            reason=data["reason"],
            deviation_reason=data["deviation_reason"],
            actor=request.user,
            expected_revision=data["revision"],
        ),
        _("Vedtaket for %(name)s er lagret som utkast.") % {"name": application.municipality.name},
    )
    if not decided:
        _keep(
            request,
            reverse("selection:national", args=[cohort_pk]),
            f"decide-{application.pk}",
            ["outcome", "reason", "deviation_reason"],
        )
    return redirect(national_page(cohort_pk, application.municipality.county.office_id))


@login_required
@require_POST
def publish(request, cohort_pk):
    access.require_udir(request)
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    try:
        decisions.publish(cohort=cohort, actor=request.user)
    except DecisionError as error:
        _show_error(request, error)
    else:
        messages.success(request, _("Utvalget er publisert. Vedtaksbrevene lages nå."))
    return redirect("selection:national", cohort.pk)


@login_required
def overview(request, cohort_pk):
    """Where the cohort stands: per office, how many are invited, drafting, submitted,
    assessed, recommended and decided."""
    access.require_cohort_overview(request)
    roles = roles_of(request)
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    office_ids = access.office_ids_in_scope(request)
    counts = queries.cohort_overview(cohort=cohort, office_ids=office_ids, is_udir=roles.is_udir)
    by_county = queries.county_overview(cohort=cohort, office_ids=office_ids, is_udir=roles.is_udir)
    return render(
        request,
        "selection/overview.html",
        {
            "cohort": cohort,
            **counts,
            "by_county": by_county,
            "county_chart": _county_chart(by_county),
            "settlement": queries.settlement_overview(cohort=cohort, office_ids=office_ids)
            if counts["published"]
            else None,
            "is_udir": roles.is_udir,
        },
    )


def _county_chart(by_county):
    """The grouped bar chart of the municipalities per county in each step."""
    rows = by_county["counties"]
    if not rows:
        return None
    steps = [
        ("invited", _("Invitert")),
        ("submitted", _("Sendt inn")),
        ("recommended", _("Innstilt")),
    ]
    if by_county["shows_selected"]:
        steps.append(
            ("selected", _("Valgt (utkast)") if by_county["selected_is_draft"] else _("Valgt"))
        )
    names = ", ".join(str(name) for _key, name in steps[:-1])
    return bar_chart(
        id="fylke-diagram",
        title=_("Kommuner per fylke: invitert, sendt inn, innstilt og valgt")
        if by_county["shows_selected"]
        else _("Kommuner per fylke: invitert, sendt inn og innstilt"),
        description=_(
            "Liggende stolpediagram med én gruppe per fylke og én stolpe for hvert steg: "
            "%(steps)s og %(last)s, med antallet ved enden av stolpen. Tallene står i "
            "tabellen ved siden av."
        )
        % {"steps": names.lower(), "last": str(steps[-1][1]).lower()},
        categories=[row["county"].name for row in rows],
        series=[(name, [row[key] for row in rows]) for key, name in steps],
        value_label=_("Antall kommuner"),
    )


def _export_response(data, filename, fmt):
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _export(headers, rows, *, fmt, filename, title):
    if fmt == "csv":
        return _export_response(exports.to_csv(headers, rows), filename, fmt)
    if fmt == "xlsx":
        return _export_response(exports.to_xlsx(headers, rows, title=title), filename, fmt)
    raise Http404


@login_required
@private_download
def ranking_export(request, cohort_pk, office_pk, fmt):
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    office = access.office_for(request, office_pk)
    headers, rows = queries.ranking_export_rows(cohort=cohort, office=office)
    return _export(
        headers,
        rows,
        fmt=fmt,
        filename=f"rangering-{office.code}-pulje-{cohort.number}",
        title=_("Rangering"),
    )


@login_required
@private_download
def national_export(request, cohort_pk, fmt):
    access.require_udir(request)
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    headers, rows = queries.national_export_rows(cohort=cohort)
    return _export(
        headers, rows, fmt=fmt, filename=f"utvalg-pulje-{cohort.number}", title=_("Utvalg")
    )


# Places and answers after publication


def _participations():
    return Participation.objects.select_related(
        "place__cohort", "place__office", "application__municipality__county__office"
    )


@login_required
def places(request, cohort_pk):
    """After publication: the office's (Udir: every office's) places, the answers, the free
    places and the reserves left."""
    access.require_cohort_overview(request)
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    return render(
        request,
        "selection/places.html",
        {
            "cohort": cohort,
            "settlement": queries.settlement_overview(
                cohort=cohort, office_ids=access.office_ids_in_scope(request)
            ),
            "is_udir": roles_of(request).is_udir,
            "today": timezone.localdate(),
        },
    )


def _settlement_page(request, cohort_pk):
    if roles_of(request).is_udir:
        return redirect("selection:national", cohort_pk)
    if roles_of(request).is_case_officer:
        return redirect("selection:places", cohort_pk)
    return redirect("municipality_start")


@login_required
@require_POST
def confirm_place(request, pk):
    participation = access.own_participation(request, _participations(), pk)
    _apply(
        request,
        ConfirmPlaceForm(request.POST),
        lambda data: settlement.confirm(
            participation=participation,
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            actor=request.user,
        ),
        _("Plassen er bekreftet. Takk!"),
    )
    return redirect("municipality_start")


@login_required
@require_POST
def decline_place(request, pk):
    participation = access.own_participation(request, _participations(), pk)
    _apply(
        request,
        ReasonForm(request.POST),
        lambda data: settlement.decline(
            participation=participation, reason=data["reason"], actor=request.user
        ),
        _("Kommunen har takket nei til plassen. Dere får en bekreftelse i et brev."),
    )
    return redirect("municipality_start")


@login_required
@require_POST
def withdraw_place(request, pk):
    participation = access.participation_to_withdraw(request, _participations(), pk)
    _apply(
        request,
        WithdrawForm(request.POST),
        lambda data: settlement.withdraw(
            participation=participation,
            left_on=data["left_on"],
            reason=data["reason"],
            actor=request.user,
        ),
        _("Det er registrert at %(name)s trekker seg. Plassen er ledig.")
        % {"name": participation.application.municipality.name},
    )
    return _settlement_page(request, participation.place.cohort_id)


@login_required
@require_POST
def mark_no_answer(request, pk):
    participation = access.participation_for_udir(request, _participations(), pk)
    _apply(
        request,
        ReasonForm(request.POST),
        lambda data: settlement.mark_no_answer(
            participation=participation, reason=data["reason"], actor=request.user
        ),
        _("%(name)s svarte ikke innen fristen. Plassen er ledig.")
        % {"name": participation.application.municipality.name},
    )
    return redirect("selection:national", participation.place.cohort_id)


def _places():
    return Place.objects.select_related("cohort", "office")


@login_required
@require_POST
def promote(request, cohort_pk, pk):
    place = access.place_for_udir(request, _places(), cohort_pk, pk)
    form = PromoteForm(request.POST)
    promoted = {}

    def act(data):
        application = Application.objects.filter(
            pk=data["application"], cohort_id=cohort_pk
        ).first()
        if application is None:
            raise DecisionError(_("Velg en av reservene på listen."))
        promoted["name"] = application.municipality.name
        settlement.promote(
            place=place, application=application, reason=data["reason"], actor=request.user
        )

    if _apply(request, form, act, ""):
        # _apply said nothing: the name is known only now.
        messages.success(
            request,
            _("%(name)s er tatt opp fra reservelisten. Vedtaksbrevet lages nå.") % promoted,
        )
    return redirect("selection:national", cohort_pk)


@login_required
@require_POST
def leave_empty(request, cohort_pk, pk):
    place = access.place_for_udir(request, _places(), cohort_pk, pk)
    _apply(
        request,
        ReasonForm(request.POST),
        lambda data: settlement.leave_empty(place=place, reason=data["reason"], actor=request.user),
        _("Plassen står tom."),
    )
    return redirect("selection:national", cohort_pk)
