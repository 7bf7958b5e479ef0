from django.dispatch import Signal

# Sent inside the submission's transaction, with the submitted application.
application_submitted = Signal()
