"""What the letters tell the parts after them, without knowing them."""

from django.dispatch import Signal

# Sent inside send_letter()'s transaction, once, when a letter has been e-mailed: with the
# letter, marked sent.
letter_sent = Signal()
