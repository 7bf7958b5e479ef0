from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "selection"
    verbose_name = _("Vurdering og utvelgelse")

    def ready(self):
        from applications.signals import application_submitted
        from selection.letters import receivers
        from selection.process.signals import cohort_published

        # Strong references: the receivers are module-level functions and stay connected.
        application_submitted.connect(
            receivers.order_receipt_letter, weak=False, dispatch_uid="selection.receipt_letter"
        )
        cohort_published.connect(
            receivers.order_decision_letters, weak=False, dispatch_uid="selection.decision_letters"
        )
