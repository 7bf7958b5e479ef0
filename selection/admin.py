"""The admin of each part, registered with Django's admin site when this module is imported."""

from selection.archive.admin import ArchiveExportAdmin, CaseFileAdmin, JournalPostAdmin
from selection.evidence.admin import NationalMeanAdmin
from selection.followup.admin import ReminderAdmin, ReminderStepAdmin, ReminderTemplateAdmin
from selection.letters.admin import (
    LetterAdmin,
    LetterBatchAdmin,
    LetterTemplateAdmin,
    SenderSettingsAdmin,
)
from selection.process.admin import (
    DecisionAdmin,
    InvitationAdmin,
    OfficeReviewAdmin,
    PublicationAdmin,
    RecommendationAdmin,
)
from selection.scoring.admin import CriterionAdmin

__all__ = [
    "NationalMeanAdmin",
    "CriterionAdmin",
    "InvitationAdmin",
    "OfficeReviewAdmin",
    "RecommendationAdmin",
    "DecisionAdmin",
    "PublicationAdmin",
    "LetterTemplateAdmin",
    "SenderSettingsAdmin",
    "LetterBatchAdmin",
    "LetterAdmin",
    "CaseFileAdmin",
    "JournalPostAdmin",
    "ArchiveExportAdmin",
    "ReminderTemplateAdmin",
    "ReminderStepAdmin",
    "ReminderAdmin",
]
