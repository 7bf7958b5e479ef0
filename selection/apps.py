from django.apps import AppConfig
from django.db import transaction
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "selection"
    verbose_name = _("Vurdering og utvelgelse")

    def ready(self):
        from applications.signals import application_submitted
        from selection.letters.batches import request_receipt_letter

        def receipt_letter(sender, application, **kwargs):
            transaction.on_commit(lambda: request_receipt_letter(application=application))

        application_submitted.connect(receipt_letter, dispatch_uid="selection.receipt_letter")
