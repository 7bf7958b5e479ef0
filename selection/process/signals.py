"""What the process tells the parts after it, without knowing them."""

from django.dispatch import Signal

# Sent inside publish()'s transaction, with the cohort, its publication and who published it.
cohort_published = Signal()
