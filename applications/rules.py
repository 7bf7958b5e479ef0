"""Where the rules library looks for this app's permissions; they are defined with the other
checks in applications.access."""

from applications.access import can_see_application

__all__ = ["can_see_application"]
