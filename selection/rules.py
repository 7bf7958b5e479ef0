"""Where the rules library looks for this app's permissions; they are defined with the other
checks in selection.access."""

from selection.access import is_case_officer, manages_municipality

__all__ = ["is_case_officer", "manages_municipality"]
