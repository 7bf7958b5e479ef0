"""How much a request may carry, checked before it reaches the disk.

Text fields are held to Django's DATA_UPLOAD_MAX_MEMORY_SIZE. Files are held to
UPLOAD_MAX_FILE_BYTES by UploadLimitHandler, the first of FILE_UPLOAD_HANDLERS: a request whose
Content-Length is past UPLOAD_MAX_BODY_BYTES is refused before any of it is read, and files are
counted while they stream, so that the chunk past the limit never reaches the handlers that
write to disk. Both answer with the Norwegian page 413.html.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class UploadTooLarge(RequestDataTooBig):
    """A request with more file data than the service takes; answered with status 413."""


class UploadLimitHandler(FileUploadHandler):
    """Refuses an upload past the limits, before it is stored (see the module)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > settings.UPLOAD_MAX_BODY_BYTES:
            raise UploadTooLarge(
                f"Content-Length {content_length} is past UPLOAD_MAX_BODY_BYTES "
                f"({settings.UPLOAD_MAX_BODY_BYTES})."
            )

    def receive_data_chunk(self, raw_data, start):
        # All files of the request together: a form here sends one at a time.
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_FILE_BYTES:
            self._discard_what_was_written()
            raise UploadTooLarge(
                f"Files past UPLOAD_MAX_FILE_BYTES ({settings.UPLOAD_MAX_FILE_BYTES})."
            )
        return raw_data

    def file_complete(self, file_size):
        return None

    def _discard_what_was_written(self):
        """Close the file a later handler is writing: a temporary file is deleted on close.
        Django closes the files already complete itself."""
        for handler in self.request.upload_handlers if self.request else []:
            written = getattr(handler, "file", None)
            if handler is not self and written is not None:
                written.close()
