"""Who may see and do what on selection's pages: every permission check of its views.

404 for what is not the user's to see, 403 for what they may see but not do. The checks need
nothing of selection's parts: they work on the registry, the applications and the querysets
the views hand them, so that every part may use them.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from applications.access import application_for, visible_applications
from applications.models import Application
from laeringsmiljo.access import roles_of
from laeringsmiljo.models import GovernorOffice, Municipality


@rules.predicate
def is_case_officer(user):
    return roles_of(user).is_case_officer


@rules.predicate
def manages_municipality(user, municipality):
    return roles_of(user).can_manage_for_municipality(municipality)


rules.add_perm("selection.import_evidence", is_case_officer)
rules.add_perm("selection.manage_evidence", is_case_officer & manages_municipality)


def require_case_officer(request):
    """Office or Udir staff; a municipality user is refused."""
    if not request.user.has_perm("selection.import_evidence"):
        raise PermissionDenied


def require_udir(request):
    if not roles_of(request).is_udir:
        raise PermissionDenied


def office_ids_in_scope(request):
    """The offices whose counties the user works on; None for Udir, who sees every office."""
    roles = roles_of(request)
    return None if roles.is_udir else roles.office_ids


def require_municipality(request):
    """The municipality's own pages are for its users."""
    if not roles_of(request).is_municipality:
        raise PermissionDenied


# Evidence and scores


def municipality_to_manage(request, pk):
    """A municipality whose evidence the user may register: its own office's, or any for Udir."""
    require_case_officer(request)
    municipality = get_object_or_404(Municipality.objects.select_related("county__office"), pk=pk)
    if not request.user.has_perm("selection.manage_evidence", municipality):
        raise Http404
    return municipality


def own_pending_import(request, queryset, pk):
    """An import waiting for confirmation, only for the one who uploaded it."""
    require_case_officer(request)
    return get_object_or_404(queryset, pk=pk, uploaded_by=request.user)


def visible_imports(request, imports):
    """The imports the user sees: Udir all, office staff their own."""
    if roles_of(request).is_udir:
        return imports
    return imports.filter(imported_by=request.user)


def applications_to_assess(request, applications=None):
    """The applications (of the queryset, or all) that the user may see: a draft never sent in
    is the municipality's own (applications.access)."""
    return visible_applications(roles_of(request), applications)


def application_to_assess(request, pk):
    """An application of the user's counties (any for Udir), to score and grade."""
    require_case_officer(request)
    return application_for(request, pk, action="manage")


# The office's ranking and Udir's selection


def office_for(request, office_pk, *, edit=False):
    """The office if the user works there (or is Udir, to read); another office answers 404."""
    roles = roles_of(request)
    if not roles.is_case_officer:
        raise PermissionDenied
    office = get_object_or_404(GovernorOffice, pk=office_pk)
    if office.pk in roles.office_ids:
        return office
    if roles.is_udir:
        if edit:
            raise PermissionDenied
        return office
    raise Http404


def may_edit_for_office(request, office):
    """Only the office's own staff change its invitations and ranking; Udir reads them."""
    return office.pk in roles_of(request).office_ids


def own_office(request, office_pk):
    """The office for a change only its own staff may make."""
    office = office_for(request, office_pk, edit=True)
    if not may_edit_for_office(request, office):
        raise PermissionDenied
    return office


def ranked_application(request, cohort_pk, office_pk, application_pk):
    """An application of the office's counties in the cohort, for the office's own staff."""
    office = own_office(request, office_pk)
    application = get_object_or_404(
        Application.objects.select_related("cohort", "municipality__county__office"),
        pk=application_pk,
        cohort_id=cohort_pk,
    )
    if application.municipality.county.office_id != office.pk:
        raise Http404
    return office, application


def application_to_decide(request, cohort_pk, application_pk):
    """An application of the cohort, for Udir's decision."""
    require_udir(request)
    return get_object_or_404(
        Application.objects.select_related("cohort", "municipality__county__office"),
        pk=application_pk,
        cohort_id=cohort_pk,
    )


def require_cohort_overview(request):
    """The cohort's overview is for office and Udir staff."""
    if not roles_of(request).is_case_officer:
        raise PermissionDenied


# Letters


def visible_letters(request, letters):
    """The letters the user may see: its municipality's once sent, its office's counties', all
    for Udir."""
    roles = roles_of(request)
    if roles.is_udir:
        return letters
    # A letter still in the outbox has not been sent: the municipality does not see it yet.
    return letters.filter(municipality_id__in=roles.municipality_ids).exclude(
        held=True, released_at=None
    ) | letters.filter(municipality__county__office_id__in=roles.office_ids)


def letter_to_retry(request, letters, pk):
    """A letter the user may see and try again: office or Udir staff."""
    if not roles_of(request).is_case_officer:
        raise PermissionDenied
    return get_object_or_404(visible_letters(request, letters), pk=pk)


def require_sender(request, *, office_id):
    """Who sends letters from the outbox (and makes them again): the office's own staff its
    own letters (office_id), Udir the letters Udir sends (office_id None); others 403. The
    views hand in only letters and batches the user may see (404 otherwise)."""
    roles = roles_of(request)
    if office_id is None:
        if not roles.is_udir:
            raise PermissionDenied
    elif office_id not in roles.office_ids:
        raise PermissionDenied


def visible_batches(request, batches):
    """The letter batches of the user's offices (all for Udir); municipalities see none."""
    roles = roles_of(request)
    if not roles.is_case_officer:
        raise PermissionDenied
    if roles.is_udir:
        return batches
    return batches.filter(office_id__in=roles.office_ids)


def office_to_start_letters(request, office_pk):
    """The office's own staff start its invitation letters; Udir may not (403), another office
    does not find the office (404)."""
    roles = roles_of(request)
    office = get_object_or_404(GovernorOffice, pk=office_pk)
    if office.pk not in roles.office_ids:
        raise Http404 if not roles.is_udir else PermissionDenied
    return office


# Places and answers after publication (the views hand in the participations and places)


def own_participation(request, participations, pk):
    """The place of one of the user's municipalities, for it to confirm or decline; another
    municipality's answers 404, and only municipality users answer (403)."""
    require_municipality(request)
    return get_object_or_404(
        participations, pk=pk, application__municipality_id__in=roles_of(request).municipality_ids
    )


def participation_to_withdraw(request, participations, pk):
    """A place whose withdrawal the user may register: its own municipality's, its office's
    counties', any for Udir; what is not the user's answers 404."""
    roles = roles_of(request)
    participation = get_object_or_404(participations, pk=pk)
    municipality = participation.application.municipality
    if (
        roles.is_udir
        or municipality.pk in roles.municipality_ids
        or municipality.county.office_id in roles.office_ids
    ):
        return participation
    raise Http404


def participation_for_udir(request, participations, pk):
    """A place for Udir to mark as not answered; others 403."""
    require_udir(request)
    return get_object_or_404(participations, pk=pk)


def place_for_udir(request, places, cohort_pk, pk):
    """A place of the cohort for Udir to fill or leave empty; others 403."""
    require_udir(request)
    return get_object_or_404(places, pk=pk, cohort_id=cohort_pk)


# The journal and the archive extracts (the views hand in the exports)


def visible_exports(request, exports):
    """The archive extracts the user sees: all for Udir, its own offices' parts for office
    staff; municipalities none (403)."""
    roles = roles_of(request)
    if not roles.is_case_officer:
        raise PermissionDenied
    if roles.is_udir:
        return exports
    return exports.filter(office_id__in=roles.office_ids)


def office_to_export(request, office_pk):
    """The office whose part of the archive the user may export: its own staff's; Udir exports
    the whole cohort instead (403), another office answers 404."""
    return office_to_start_letters(request, office_pk)
