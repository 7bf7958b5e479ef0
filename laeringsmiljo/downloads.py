"""Downloads of personal data: an attachment, a letter, a batch's ZIP, an export."""

from functools import wraps

from django.utils.cache import patch_cache_control


def private_download(view):
    """Mark the view's answers `Cache-Control: private, no-store`: a file of personal data is
    for the one whose access was checked on this download, never kept by a shared proxy or on
    the disk of the browser that fetched it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper
