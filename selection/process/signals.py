"""What the process tells the parts after it, without knowing them."""

from django.dispatch import Signal

# Sent inside publish()'s transaction, with the cohort, its publication and who published it.
cohort_published = Signal()

# Sent inside the transaction that frees a place (a decline, no answer, a withdrawal), with the
# participation that left and who registered it.
place_freed = Signal()

# Sent inside promote()'s transaction, with the new participation and the Udir user.
reserve_promoted = Signal()
