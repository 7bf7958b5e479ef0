from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "selection"
    verbose_name = _("Vurdering og utvelgelse")

    def ready(self):
        # Imported here, not at the top: they load models, which are not ready before this.
        from applications import questions
        from applications.signals import application_submitted
        from laeringsmiljo.models import Cohort
        from selection.archive import receivers as archive_receivers
        from selection.followup import receivers as followup_receivers
        from selection.letters import receivers
        from selection.letters import services as letters
        from selection.letters.signals import letter_sent
        from selection.process import answers
        from selection.process import questions as process_questions
        from selection.process.signals import cohort_published, place_freed, reserve_promoted

        questions.answer_with(
            is_invited=answers.is_invited,
            assessment_lock_reason=answers.assessment_lock_reason,
        )
        process_questions.answer_with(decision_letter_languages=letters.decision_letter_languages)
        # Strong references: the receivers are module-level functions and stay connected.
        application_submitted.connect(
            receivers.order_receipt_letter, weak=False, dispatch_uid="selection.receipt_letter"
        )
        application_submitted.connect(
            archive_receivers.journal_submission,
            weak=False,
            dispatch_uid="selection.journal_submission",
        )
        letter_sent.connect(
            archive_receivers.journal_letter, weak=False, dispatch_uid="selection.journal_letter"
        )
        cohort_published.connect(
            receivers.order_decision_letters, weak=False, dispatch_uid="selection.decision_letters"
        )
        place_freed.connect(
            receivers.confirm_leaving, weak=False, dispatch_uid="selection.leaving_letters"
        )
        post_save.connect(
            followup_receivers.add_default_steps,
            sender=Cohort,
            weak=False,
            dispatch_uid="selection.reminder_steps",
        )
        reserve_promoted.connect(
            receivers.order_promotion_letter, weak=False, dispatch_uid="selection.promotion_letters"
        )
