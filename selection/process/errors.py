"""What the process's services refuse, for the pages to show."""

from django.core.exceptions import ValidationError


class DecisionError(ValidationError):
    """A change that cannot be made; its message is shown to the user as it is."""
