"""The models of selection, for Django: each part keeps its own models, in the app label
`selection`. The order of the imports is the order the models register in, which is the
order their content types and permissions were created in."""

# isort: off
from selection.evidence.models import (
    format_school_year,
    ImportKind,
    ImportRecord,
    PendingImport,
    SurveyFigure,
    NationalMean,
    RegisteredEvidence,
    ComplaintCaseCount,
    SupervisionFinding,
)
from selection.scoring.models import (
    Criterion,
    MotivationGrade,
    ScoringRun,
    ApplicationScore,
    BullyingJudgement,
)
from selection.letters.models import (
    LANGUAGES,
    LetterKind,
    LetterTemplate,
    SenderSettings,
    LetterBatch,
    letter_path,
    Letter,
    version_path,
    LetterVersion,
    OutboxSetting,
)
from selection.process.models import (
    Invitation,
    Verdict,
    OfficeReview,
    Recommendation,
    Outcome,
    Decision,
    Publication,
    AnswerDeadline,
    Place,
    Participation,
)
from selection.archive.models import (
    CaseFile,
    JournalPost,
    export_path,
    ArchiveExport,
)
from selection.followup.models import (
    ReminderKind,
    ReminderTemplate,
    ReminderStep,
    Reminder,
)
# isort: on

__all__ = [
    "format_school_year",
    "ImportKind",
    "ImportRecord",
    "PendingImport",
    "SurveyFigure",
    "NationalMean",
    "RegisteredEvidence",
    "ComplaintCaseCount",
    "SupervisionFinding",
    "Criterion",
    "MotivationGrade",
    "ScoringRun",
    "ApplicationScore",
    "BullyingJudgement",
    "LANGUAGES",
    "LetterKind",
    "LetterTemplate",
    "SenderSettings",
    "LetterBatch",
    "letter_path",
    "Letter",
    "version_path",
    "LetterVersion",
    "OutboxSetting",
    "Invitation",
    "Verdict",
    "OfficeReview",
    "Recommendation",
    "Outcome",
    "Decision",
    "Publication",
    "AnswerDeadline",
    "Place",
    "Participation",
    "CaseFile",
    "JournalPost",
    "export_path",
    "ArchiveExport",
    "ReminderKind",
    "ReminderTemplate",
    "ReminderStep",
    "Reminder",
]
