"""Middleware of the project."""

import logging

from django.core.exceptions import RequestDataTooBig

from laeringsmiljo.views import request_too_large

logger = logging.getLogger("django.security.RequestDataTooBig")


class RequestSizeMiddleware:
    """Answers a form past the size limits with the Norwegian 413 page, in development too,
    where Django would show its debug page: it reads the form just before the CSRF check
    would, and that is where the limits are enforced (laeringsmiljo/uploads.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        try:
            request.POST  # noqa: B018 - reading it is the check
        except RequestDataTooBig as error:
            # As Django's own handler does: the body cannot be read again.
            request._mark_post_parse_error()
            logger.warning("Refused %s: %s", request.path, error)
            return request_too_large(request, error)
        return None
