"""Views of the application: they parse the request, call one service and render."""

import datetime

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import (
    access_links,
    colleagues,
    commitments,
    completeness,
    next_steps,
    office_questions,
    services,
)
from applications.access import (
    application_for,
    may_ask_municipality,
    may_lead,
    visible_applications,
)
from applications.errors import (
    AlreadySubmitted,
    ApplicationError,
    DeadlinePassed,
    Incomplete,
    StaleRevision,
)
from applications.filters import ApplicationFilterForm
from applications.forms import (
    AccountForm,
    AttachmentForm,
    DeclarationForm,
    IdentityAccountForm,
    OfficeAnswerForm,
    OfficeQuestionForm,
    ReopenForm,
)
from applications.models import Application, Attachment
from applications.notifications import receipt_waiting_reason
from applications.sections import EDITABLE, carry_over, section_url, units_token
from laeringsmiljo.access import roles_of
from laeringsmiljo.downloads import private_download
from laeringsmiljo.forms import error_summary
from laeringsmiljo.kept_input import keep_post_on_timeout, take_kept_input
from laeringsmiljo.models import Cohort, Municipality
from laeringsmiljo.signin import oidc
from laeringsmiljo.times import long_date


def _unit_label(unit):
    """The unit's name, or nothing for a row whose unit was removed meanwhile."""
    target = getattr(unit, "school", None) or getattr(unit, "kindergarten", None)
    return target.name if target is not None else ""


def collect_errors(built):
    """The error summary of a section's forms and formsets; a unit's row is named by its unit."""
    return error_summary(*built.values(), label_of=lambda form: _unit_label(form.instance))


def _section_nav(application, current=None, *, schools=None, kindergartens=None, found=None):
    """The progress list of the parts, each with its state and link, the current one marked,
    the next part that is not complete and whether all are:
    {"sections": [...], "next_step": {...} or None, "all_complete": bool}.
    Pass what the page has loaded already (schools, kindergartens, the problems found)."""
    if schools is None:
        schools = list(application.schools.select_related("school"))
    if kindergartens is None:
        kindergartens = list(
            application.kindergartens.select_related("kindergarten").prefetch_related("feeds")
        )
    open_commitments = commitments.open_commitments(application)
    if found is None:
        found = completeness.problems(application, schools, kindergartens, open_commitments)
    steps = completeness.progress(
        application,
        found,
        schools=schools,
        kindergartens=kindergartens,
        commitments=open_commitments,
        attachment_count=application.attachments.count(),
    )
    following = completeness.next_incomplete(steps, current)
    return {
        "sections": [
            {
                "section": step.section,
                "step": step,
                "current": step.section.slug == current,
                "url": section_url(application, step.section.slug),
            }
            for step in steps
        ],
        "next_step": (
            {"step": following, "url": section_url(application, following.section.slug)}
            if following
            else None
        ),
        # Every part is done: the part's page points on to the summary and «Send inn».
        "all_complete": all(step.complete for step in steps),
    }


@login_required
@require_POST
def start(request, cohort_pk, municipality_pk):
    """Open (or create) the municipality's application for a cohort."""
    roles = roles_of(request)
    if municipality_pk not in roles.municipality_ids:
        raise Http404
    municipality = get_object_or_404(
        Municipality.objects.select_related("county"), pk=municipality_pk
    )
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    if not services.may_apply(cohort=cohort, municipality=municipality):
        messages.error(request, _("Kommunen er ikke invitert til å søke på denne puljen."))
        return redirect("municipality_start")
    application = services.start_application(
        cohort=cohort, municipality=municipality, actor=request.user
    )
    return redirect("applications:detail", application.pk)


def _contents(application):
    """What the summary shows and the completeness rule reads, loaded once: the units with
    what they link to, the open commitment requests, and the problems found in them."""
    schools = list(application.schools.select_related("school"))
    kindergartens = list(
        application.kindergartens.select_related("kindergarten").prefetch_related("feeds__school")
    )
    open_commitments = commitments.open_commitments(application)
    found = completeness.problems(application, schools, kindergartens, open_commitments)
    return schools, kindergartens, open_commitments, found


@login_required
def detail(request, pk):
    """The whole application on one page: for the municipality its summary with what is missing
    and "Send inn"; for the office and Udir a read-only view with "Gjenåpne"."""
    application = application_for(request, pk)
    roles = roles_of(request)
    schools, kindergartens, open_commitments, problems = _contents(application)
    schedule = application.schedule()
    closes_at = application.closes_at(schedule)
    is_owner = application.municipality_id in roles.municipality_ids
    people = colleagues.people_with_access(application, request.user) if is_owner else None
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "schools": schools,
            "kindergartens": kindergartens,
            "attachments": application.attachments.all(),
            "problems": problems,
            "commitment_rows": commitments.overview(
                application, schools, kindergartens, open_commitments
            ),
            **_section_nav(
                application, schools=schools, kindergartens=kindergartens, found=problems
            ),
            "deadline": application.deadline(schedule),
            "is_open": closes_at is not None and timezone.now() < closes_at,
            "is_owner": is_owner,
            "people": people,
            "may_lead": is_owner and may_lead(request.user, application, people["contact"]),
            "can_manage": roles.can_manage_for_municipality(application.municipality),
            "reopen_form": ReopenForm(
                initial={
                    "new_deadline": max(
                        timezone.localdate() + datetime.timedelta(days=7),
                        application.deadline(schedule) or timezone.localdate(),
                    )
                }
            ),
            **office_questions.for_page(roles=roles, application=application),
        },
    )


@keep_post_on_timeout
def section(request, pk, slug):
    """Edit one section of the draft; saving keeps everything typed, valid or not."""
    application = application_for(request, pk, action="edit")
    handler = EDITABLE.get(slug)
    if handler is None:
        raise Http404
    if application.is_submitted:
        messages.info(request, _("Søknaden er sendt inn og kan ikke endres."))
        return redirect("applications:detail", application.pk)
    if application.is_closed():
        return _closed_section(request, application, handler)
    conflict = None
    if request.method == "POST":
        built = handler.build(application, request.POST)
        units_changed = handler.depends_on_units and request.POST.get("units") != units_token(
            application
        )
        if units_changed:
            conflict = _(
                "Skolene eller barnehagene i søknaden ble endret mens du hadde siden åpen. Det du "
                "skrev, er ikke lagret ennå: se over delen med de enhetene som er valgt nå, og "
                "lagre på nytt."
            )
            data = carry_over(handler, application, request.POST)
            data["units"] = units_token(application)
            data["revision"] = application.revisions.get(slug, 0)
            built = handler.build(application, data)
            for form in built.values():
                form.is_valid()
        elif all(form.is_valid() for form in built.values()):
            try:
                services.save_section(
                    application=application,
                    section=slug,
                    save=lambda locked: handler.save(built, locked),
                    actor=request.user,
                    expected_revision=built["form"].cleaned_data["revision"],
                    expected_units=built["form"].cleaned_data["units"]
                    if handler.depends_on_units
                    else None,
                )
            except StaleRevision as error:
                conflict = error.message
                # Saving again now keeps this user's version on purpose.
                application.refresh_from_db()
                data = carry_over(handler, application, request.POST)
                data["revision"] = application.revisions.get(slug, 0)
                data["units"] = units_token(application)
                built = handler.build(application, data)
                for form in built.values():
                    form.is_valid()
            except DeadlinePassed:
                return _closed_section(request, application, handler)
            except ApplicationError as error:
                messages.error(request, error.message)
                return redirect("applications:detail", application.pk)
            else:
                messages.success(request, _("Lagret."))
                if "neste" in request.POST:
                    return redirect(_next_url(application, slug))
                return redirect("applications:section", application.pk, slug)
    else:
        pending = take_kept_input(request)
        built = handler.build(application, pending)
        if pending is not None:
            for form in built.values():
                form.is_valid()
            messages.warning(
                request,
                _("Dette er det du skrev sist. Det er ikke lagret ennå: se over og lagre."),
            )
    saved = Application.objects.get(pk=application.pk) if conflict else None
    return render(
        request,
        handler.template,
        {
            "application": application,
            "section": handler.meta,
            **_section_nav(application, slug),
            "errors": collect_errors(built) if request.method == "POST" or conflict else [],
            "conflict": conflict,
            "saved": saved,
            "saved_schools": saved.schools.select_related("school") if saved else None,
            **handler.extra(application),
            **built,
        },
    )


def _closed_section(request, application, handler):
    """The part after the deadline: what is saved, read-only, with what the municipality can
    do. A post is refused, and what was typed is shown, not saved."""
    posted = request.method == "POST"
    return render(
        request,
        handler.template,
        {
            "application": application,
            "section": handler.meta,
            **_section_nav(application, handler.slug),
            "errors": [],
            "closed": services.deadline_passed_message(application),
            "refused": posted,
            **handler.extra(application),
            **handler.build(application, request.POST if posted else None),
        },
    )


def _next_url(application, slug):
    slugs = [section.slug for section in completeness.SECTIONS]
    following = slugs[slugs.index(slug) + 1 :]
    if not following:
        return reverse("applications:detail", args=[application.pk])
    return section_url(application, following[0])


@login_required
def attachments(request, pk):
    """Upload and remove PDF attachments; after the deadline, only see them."""
    application = application_for(request, pk, action="edit")
    if application.is_submitted:
        messages.info(request, _("Søknaden er sendt inn og kan ikke endres."))
        return redirect("applications:detail", application.pk)
    closed = services.deadline_passed_message(application) if application.is_closed() else None
    form = AttachmentForm(initial={"revision": 0})
    if request.method == "POST" and not closed:
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.add_attachment(
                    application=application,
                    uploaded=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                    actor=request.user,
                )
            except DeadlinePassed as error:
                closed = error.message
            except ApplicationError as error:
                form.add_error("file", error.message)
            else:
                messages.success(request, _("Vedlegget er lastet opp."))
                return redirect("applications:attachments", application.pk)
    return render(
        request,
        "applications/sections/attachments.html",
        {
            "application": application,
            "section": completeness.SECTIONS_BY_SLUG["vedlegg"],
            **_section_nav(application, "vedlegg"),
            "form": form,
            "errors": collect_errors({"form": form}) if form.is_bound and not closed else [],
            "attachments": application.attachments.all(),
            "closed": closed,
            "refused": closed is not None and request.method == "POST",
        },
    )


@login_required
@require_POST
def remove_attachment(request, pk, attachment_pk):
    application = application_for(request, pk, action="edit")
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    try:
        services.remove_attachment(attachment=attachment, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Vedlegget «%(name)s» er slettet.") % {"name": attachment.original_name}
        )
    return redirect("applications:attachments", application.pk)


@login_required
@private_download
def download_attachment(request, pk, attachment_pk):
    """Serve an attachment to those who may see the application, checked every time."""
    application = application_for(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type="application/pdf",
    )


@login_required
def submit(request, pk):
    """The declaration before sending, with exactly what will be sent; sending it with the
    declaration given sends the application. A second click finds it sent and shows the
    receipt."""
    application = application_for(request, pk, action="lead")
    if application.is_submitted:
        messages.info(request, _("Søknaden er allerede sendt inn."))
        return redirect("applications:receipt", application.pk)
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    if not form.is_bound or not form.is_valid():
        schools, kindergartens, open_commitments, found = _contents(application)
        if found:
            messages.error(request, _("Søknaden er ikke komplett ennå. Se hva som mangler."))
            return redirect("applications:detail", application.pk)
        return render(
            request,
            "applications/submit.html",
            {
                "application": application,
                "form": form,
                "errors": error_summary(form) if form.is_bound else [],
                "schools": schools,
                "kindergartens": kindergartens,
                "attachments": application.attachments.all(),
                "commitment_rows": commitments.overview(
                    application, schools, kindergartens, open_commitments
                ),
            },
        )
    try:
        submitted = services.submit(application=application, actor=request.user)
    except AlreadySubmitted as error:
        # The other click of a double click, or a colleague, came first: show what was sent.
        messages.info(request, error.message)
        return redirect("applications:receipt", application.pk)
    except Incomplete as error:
        messages.error(request, error.message)
        return redirect("applications:detail", application.pk)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("applications:detail", application.pk)
    messages.success(request, _("Søknaden er sendt inn."))
    if receipt_waiting_reason(submitted):
        messages.warning(
            request,
            _("Kvitteringen på e-post er ikke sendt ennå. Se kvitteringen for hva dere kan gjøre."),
        )
    return redirect("applications:receipt", application.pk)


@login_required
@require_POST
def resend_receipt(request, pk):
    """Queue the receipt e-mail again, after the queue was away."""
    application = application_for(request, pk)
    try:
        resent = services.resend_receipt(application=application, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if reason := receipt_waiting_reason(resent):
            messages.error(request, reason)
        else:
            messages.success(request, _("Kvitteringen sendes på e-post."))
    return redirect("applications:receipt", application.pk)


@login_required
def receipt(request, pk):
    """The receipt of a sent application: its reference, what was sent, and what happens next
    with the dates of the office and Udir."""
    application = application_for(request, pk)
    if not application.is_submitted:
        raise Http404
    schools = list(application.schools.select_related("school"))
    kindergartens = list(
        application.kindergartens.select_related("kindergarten").prefetch_related("feeds__school")
    )
    schedule = application.schedule()
    return render(
        request,
        "applications/receipt.html",
        {
            "application": application,
            "schools": schools,
            "kindergartens": kindergartens,
            "commitment_rows": commitments.overview(application, schools, kindergartens),
            "attachments": application.attachments.all(),
            "deadline": application.deadline(schedule),
            "is_open": timezone.now() < application.closes_at(schedule),
            "next": next_steps.after_submission(application=application, schedule=schedule),
            "is_owner": application.municipality_id in roles_of(request).municipality_ids,
            "receipt_waiting": receipt_waiting_reason(application),
        },
    )


@login_required
def withdraw(request, pk):
    """Say what withdrawing does, and withdraw only when that page is confirmed (confirm=1)."""
    application = application_for(request, pk, action="lead")
    if not application.is_submitted:
        messages.info(request, _("Søknaden er ikke sendt inn, så det er ingenting å trekke."))
        return redirect("applications:detail", application.pk)
    refused = None
    if request.method == "POST":
        if request.POST.get("confirm") != "1":
            refused = _("Søknaden er ikke trukket. Bekreft at du vil trekke den.")
        else:
            try:
                services.withdraw(application=application, actor=request.user)
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Søknaden er trukket tilbake og er et utkast igjen. Husk å sende den inn "
                        "på nytt."
                    ),
                )
            return redirect("applications:detail", application.pk)
    return render(
        request,
        "applications/withdraw.html",
        {"application": application, "deadline": application.deadline(), "refused": refused},
    )


@login_required
@require_POST
def ask_for_help(request, pk):
    """The municipality lets its office read the draft (asked=1), or stops that (asked=0)."""
    application = application_for(request, pk, action="edit")
    asked = request.POST.get("asked") == "1"
    try:
        services.ask_office_for_help(application=application, actor=request.user, asked=asked)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        office = application.municipality.county.office.name
        if asked:
            message = _("%(office)s kan nå lese utkastet og vedleggene.") % {"office": office}
        else:
            message = _("%(office)s kan ikke lenger se utkastet.") % {"office": office}
        messages.success(request, message)
    return redirect("applications:detail", application.pk)


@login_required
@require_POST
def invite_colleague(request, pk):
    """The contact person e-mails a colleague a link to become co-editor."""
    application = application_for(request, pk, action="lead")
    email = request.POST.get("email", "")
    try:
        link, created = colleagues.invite_colleague(
            application=application, email=email, actor=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if created:
            message = _("Invitasjonen sendes til %(email)s.")
        else:
            message = _("%(email)s er allerede invitert, og lenken gjelder ennå.")
        messages.success(request, message % {"email": link.email})
    return redirect(reverse("applications:detail", args=[application.pk]) + "#tilgang")


@login_required
@require_POST
def hand_over(request, pk):
    """The contact person gives the contact role to a colleague who has access."""
    application = application_for(request, pk, action="lead")
    try:
        user_pk = int(request.POST.get("user", ""))
    except ValueError:
        user_pk = None
    try:
        user = colleagues.hand_over_contact_role(
            application=application, user_pk=user_pk, actor=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s er nå kontaktperson for søknaden. Du kan fortsatt endre og lagre den.")
            % {"name": user.get_full_name() or user.email},
        )
    return redirect(reverse("applications:detail", args=[application.pk]) + "#tilgang")


@login_required
@require_POST
def reopen(request, pk):
    application = application_for(request, pk, action="manage")
    form = ReopenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("applications:detail", application.pk)
    try:
        services.reopen(
            application=application,
            actor=request.user,
            new_deadline=form.cleaned_data["new_deadline"],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Søknaden er gjenåpnet. %(municipality)s har frist til %(deadline)s.")
            % {
                "municipality": application.municipality.name,
                "deadline": long_date(form.cleaned_data["new_deadline"]),
            },
        )
    return redirect("applications:detail", application.pk)


@login_required
def application_list(request):
    """The applications from the office's counties (Udir: all), with filters."""
    roles = roles_of(request)
    if not roles.is_case_officer:
        raise PermissionDenied
    filters = ApplicationFilterForm(_without_page(request.GET) or None, roles=roles)
    applications = filters.filter(visible_applications(roles, Application.objects.for_list()))
    page = Paginator(
        applications.order_by("-cohort__number", "municipality__number"), LIST_PAGE_SIZE
    ).get_page(request.GET.get("side"))
    return render(
        request,
        "applications/list.html",
        {"applications": page, "page": page, "filters": filters},
    )


LIST_PAGE_SIZE = 50


def _without_page(query):
    """The filters of the list's address, without the page number (which filters nothing)."""
    query = query.copy()
    query.pop("side", None)
    return query


LINK_KEY = "access_link"


def access_link(request, cohort_pk, municipality_pk, token):
    """The link from the e-mail: keep it in the session and go on to a page whose address does
    not hold the token, so it does not end up in the logs of later requests."""
    request.session[LINK_KEY] = {
        "cohort": cohort_pk,
        "municipality": municipality_pk,
        "token": token,
    }
    return redirect("applications:access")


def access(request):
    """Take on the contact role with the link: a signed-in user confirms; anyone else makes
    an account here, signs in and comes back, or signs in with ID-porten, whose identity the
    link then ties to the account."""
    held = request.session.get(LINK_KEY) or {}
    where = {"cohort_pk": held.get("cohort"), "municipality_pk": held.get("municipality")}
    try:
        link = access_links.check_access_link(token=held.get("token"), **where)
    except access_links.AccessLinkError as error:
        return render(request, "applications/access_refused.html", {"error": error}, status=410)
    identity = oidc.unbound_identity(request) if oidc.configured("idporten") else None
    form_class = IdentityAccountForm if identity else AccountForm
    form = form_class(request.POST or None)
    context = {
        "link": link,
        "form": form,
        "identity": identity,
        "idporten": oidc.configured("idporten"),
    }
    if request.method == "POST":
        try:
            if request.user.is_authenticated and identity:
                access_links.accept_with_identity(
                    token=held["token"],
                    user=request.user,
                    provider="idporten",
                    subject=identity,
                    **where,
                )
            elif request.user.is_authenticated:
                access_links.accept_access_link(token=held["token"], user=request.user, **where)
            elif form.is_valid() and identity:
                data = form.cleaned_data
                user = access_links.register_with_identity_and_accept(
                    token=held["token"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    provider="idporten",
                    subject=identity,
                    **where,
                )
                oidc.sign_in(request, user=user, name="idporten")
            elif form.is_valid():
                data = form.cleaned_data
                user = access_links.register_and_accept(
                    token=held["token"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    password=data["password1"],
                    **where,
                )
                auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                return render(
                    request,
                    "applications/access.html",
                    {**context, "errors": error_summary(form)},
                )
        except access_links.AccessLinkError as error:
            return render(request, "applications/access_refused.html", {"error": error}, status=410)
        request.session.pop(LINK_KEY, None)
        request.session.pop(oidc.UNBOUND, None)
        messages.success(
            request,
            _("Du har nå tilgang til søknaden for %(municipality)s.")
            % {"municipality": link.municipality.name},
        )
        return redirect("municipality_start")
    return render(request, "applications/access.html", context)


# An ID-porten sign-in started from this page comes back here with its identity.
access.takes_unbound_identity = True


@login_required
@require_POST
def request_commitments(request, pk):
    """Ask each party with a signatory and no request yet to confirm, by e-mail."""
    application = application_for(request, pk, action="edit")
    url = reverse("applications:section", args=[application.pk, "forpliktelser"]) + "#status"
    try:
        asked, without = commitments.request_commitments(
            application=application, actor=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(url)
    if asked:
        messages.success(
            request,
            _("Forespørsler sendes til %(names)s.")
            % {"names": ", ".join(commitment.name for commitment in asked)},
        )
    elif not without:
        messages.info(request, _("Alle forespørslene er allerede sendt."))
    if without:
        messages.warning(
            request,
            _("Ikke sendt, fordi navn, stilling eller en gyldig e-post mangler: %(parties)s.")
            % {"parties": ", ".join(str(party.label) for party in without)},
        )
    return redirect(url)


@login_required
@require_POST
def resend_commitment(request, pk, commitment_pk):
    """«Send igjen»: a new link to one party; the old one stops working."""
    application = application_for(request, pk, action="edit")
    url = reverse("applications:section", args=[application.pk, "forpliktelser"]) + "#status"
    try:
        round = int(request.POST.get("round", ""))
    except ValueError:
        round = None
    try:
        commitment = commitments.resend(
            application=application, commitment_pk=commitment_pk, round=round, actor=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("En ny lenke sendes til %(name)s (%(email)s). Den gamle virker ikke lenger.")
            % {"name": commitment.name, "email": commitment.email},
        )
    return redirect(url)


COMMITMENT_KEY = "commitment_link"


def commitment_link(request, commitment_pk, token):
    """The link from the signatory's e-mail: kept in the session, and on to a page whose
    address does not hold the token."""
    request.session[COMMITMENT_KEY] = {"pk": commitment_pk, "token": token}
    return redirect("applications:commitment")


def commitment(request):
    """The signatory reads the commitment text for their unit and answers, without an
    account."""
    held = request.session.get(COMMITMENT_KEY) or {}
    try:
        found, text = commitments.check_link(pk=held.get("pk"), token=held.get("token"))
    except commitments.CommitmentLinkError as error:
        return render(request, "applications/commitment_refused.html", {"error": error}, status=410)
    language = found.application.municipality.letter_language()
    translation.activate(language)
    request.LANGUAGE_CODE = language
    error_message = None
    if request.method == "POST":
        choice = request.POST.get("answer")
        comment = request.POST.get("comment", "")
        if choice not in ("bekreftet", "avslatt"):
            error_message = _("Velg «Jeg bekrefter» eller «Vi kan ikke delta».")
        elif len(comment) > 2000 or any(ord(c) < 32 and c not in "\n\r\t" for c in comment):
            error_message = _(
                "Kommentaren kan ha høyst 2000 tegn og ingen kontrolltegn. Ingenting er lagret."
            )
        else:
            try:
                answered = commitments.answer(
                    pk=held["pk"],
                    token=held["token"],
                    confirmed=choice == "bekreftet",
                    comment=comment,
                    seen_digest=request.POST.get("text", ""),
                )
            except commitments.CommitmentLinkError as error:
                return render(
                    request, "applications/commitment_refused.html", {"error": error}, status=410
                )
            request.session.pop(COMMITMENT_KEY, None)
            return render(
                request,
                "applications/commitment_done.html",
                {"commitment": answered, "language": language},
            )
    return render(
        request,
        "applications/commitment.html",
        {
            "commitment": found,
            "text": text,
            "digest": commitments.text_digest(text),
            "language": language,
            "error_message": error_message,
            "comment": request.POST.get("comment", "") if request.method == "POST" else "",
        },
        status=400 if error_message else 200,
    )


def _back_to_questions(request, application):
    """The page the question's form was on: the score page, or the application page."""
    if request.POST.get("fra") == "poeng":
        return reverse("selection:score", args=[application.pk]) + "#sporsmal"
    return reverse("applications:detail", args=[application.pk]) + "#sporsmal"


def _run(request, form, action, success):
    """Run a service on a valid form, and say how it went."""
    if not form.is_valid():
        for error in dict.fromkeys(e for errors in form.errors.values() for e in errors):
            messages.error(request, error)
        return
    try:
        action(form.cleaned_data)
    except ApplicationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)


@login_required
@require_POST
def ask_question(request, pk):
    """A case officer of the county's office asks the municipality a question (or asks again
    after an earlier one); Udir reads questions but does not ask."""
    application = application_for(request, pk, action="manage")
    if not may_ask_municipality(roles_of(request), application):
        raise PermissionDenied
    _run(
        request,
        OfficeQuestionForm(request.POST),
        lambda data: office_questions.ask(
            application=application,
            text=data["text"],
            actor=request.user,
            follows_pk=data["follows"],
        ),
        _("Spørsmålet er sendt til %(name)s. Kommunen får beskjed på e-post.")
        % {"name": application.municipality.name},
    )
    return redirect(_back_to_questions(request, application))


@login_required
@require_POST
def close_question(request, pk, question_pk):
    """The office marks a question answered."""
    application = application_for(request, pk, action="manage")
    if not may_ask_municipality(roles_of(request), application):
        raise PermissionDenied
    try:
        office_questions.mark_answered(
            application=application, question_pk=question_pk, actor=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Spørsmålet er markert som besvart."))
    return redirect(_back_to_questions(request, application))


@login_required
@require_POST
def answer_question(request, pk, question_pk):
    """The municipality answers a question from the office; its application stays sent in."""
    application = application_for(request, pk, action="edit")
    _run(
        request,
        OfficeAnswerForm(request.POST),
        lambda data: office_questions.answer(
            application=application,
            question_pk=question_pk,
            text=data["text"],
            actor=request.user,
        ),
        _("Svaret er sendt til %(office)s.") % {"office": application.municipality.county.office},
    )
    return redirect(_back_to_questions(request, application))
