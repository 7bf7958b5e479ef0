"""Finding an application for a request: 404 for someone else's, 403 for a role that may see
it but not do what was asked."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from applications.models import Application
from laeringsmiljo.access import roles_of


def application_for(request, pk, *, action="view", for_update=False):
    """The application with this pk if the user may see it; PermissionDenied if they may see it
    but not `action` it ("view", "edit" for its own municipality, "manage" for office/Udir)."""
    roles = roles_of(request)
    queryset = Application.objects.visible_to(roles).select_related(
        "cohort", "municipality__county__office", "ppt_service", "submitted_by"
    )
    application = get_object_or_404(queryset, pk=pk)
    if action == "edit" and application.municipality_id not in roles.municipality_ids:
        raise PermissionDenied
    if action == "manage" and not roles.can_manage_for_municipality(application.municipality):
        raise PermissionDenied
    return application
