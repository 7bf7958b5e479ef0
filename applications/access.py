"""Who sees an application, and finding one for a request: 404 for what is not the user's to
see, 403 for a role that may see it but not do what was asked.

The rule of who sees an application, in one place (may_see_application for one application,
visible_applications for a list; a test holds them to each other):

- its own municipality always;
- the office of its county and Udir once it has been sent in at least once. After it has been
  withdrawn or reopened they see it as it is now, a draft the municipality is changing, and
  the page says so: what the case officer will assess is what is sent in next, and what was
  sent in before is in the receipt letter;
- before the first submission the office of its county only while the municipality asks it
  for help («Be embetet om hjelp»), which the municipality turns on and off. Udir does not see
  a draft that has never been sent in.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from applications.models import Application, ContactPerson
from laeringsmiljo.access import roles_of


def may_see_application(roles, application):
    """Whether the user with these roles may see the application, its sections and files."""
    if application.municipality_id in roles.municipality_ids:
        return True
    if application.submission_count > 0:
        return roles.can_manage_for_municipality(application.municipality)
    if application.help_requested_at is not None:
        return application.municipality.county.office_id in roles.office_ids
    return False


def visible_applications(roles, queryset=None):
    """The applications (of the queryset, or all) that may_see_application lets the user see."""
    queryset = Application.objects.all() if queryset is None else queryset
    own = Q(municipality_id__in=roles.municipality_ids)
    offices = Q(municipality__county__office_id__in=roles.office_ids)
    sent = Q(submission_count__gt=0)
    shared = Q(help_requested_at__isnull=False)
    if roles.is_udir:
        return queryset.filter(own | sent)
    return queryset.filter(own | (offices & (sent | shared)))


@rules.predicate
def can_see_application(user, application):
    return may_see_application(roles_of(user), application)


rules.add_perm("applications.view_application", can_see_application)


def may_ask_municipality(roles, application):
    """Whether the user may ask the municipality questions about its application: case
    officers of the office of its county (Udir reads the questions and answers)."""
    return application.municipality.county.office_id in roles.office_ids


def contact_person_of(application):
    """The user who leads the application (its cohort's contact person), or None."""
    found = (
        ContactPerson.objects.filter(
            cohort_id=application.cohort_id, municipality_id=application.municipality_id
        )
        .select_related("user")
        .first()
    )
    return found.user if found else None


def may_lead(user, application, contact=False):
    """Whether the user may submit, withdraw and hand over the contact role: a member of the
    municipality who is its contact person for the cohort, or any member while it has none.
    `contact` is contact_person_of(application) when the caller has it (False: look it up)."""
    roles = roles_of(user)
    if application.municipality_id not in roles.municipality_ids:
        return False
    contact = contact_person_of(application) if contact is False else contact
    return contact is None or contact.pk == user.pk


def application_for(request, pk, *, action="view"):
    """The application with this pk if the user may see it; PermissionDenied if they may see it
    but not `action` it ("view", "edit" for its own municipality, "lead" for its contact person,
    "manage" for office/Udir)."""
    roles = roles_of(request)
    application = (
        Application.objects.select_related(
            "cohort", "municipality__county__office", "ppt_service", "submitted_by"
        )
        .filter(pk=pk)
        .first()
    )
    if application is None or not may_see_application(roles, application):
        raise Http404
    if action in ("edit", "lead") and application.municipality_id not in roles.municipality_ids:
        raise PermissionDenied
    if action == "lead" and not may_lead(request.user, application):
        raise PermissionDenied
    if action == "manage" and not roles.can_manage_for_municipality(application.municipality):
        raise PermissionDenied
    return application
