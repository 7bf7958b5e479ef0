from django.urls import path

from selection.archive import views as archive_views
from selection.evidence import views as evidence_views
from selection.followup import views as followup_views
from selection.letters import views as letters_views
from selection.process import views as process_views
from selection.scoring import views as scoring_views

app_name = "selection"

urlpatterns = [
    path("grunnlag/", evidence_views.evidence, name="evidence"),
    path("grunnlag/import/<slug:kind>/", evidence_views.import_upload, name="import_upload"),
    path(
        "grunnlag/import/<slug:kind>/mal.xlsx",
        evidence_views.import_template,
        name="import_template",
    ),
    path(
        "grunnlag/import/forhandsvisning/<int:pk>/",
        evidence_views.import_preview,
        name="import_preview",
    ),
    path("grunnlag/import/resultat/<int:pk>/", evidence_views.import_result, name="import_result"),
    path(
        "grunnlag/kommune/<int:municipality_pk>/",
        evidence_views.municipality_evidence,
        name="municipality_evidence",
    ),
    path(
        "grunnlag/kommune/<int:municipality_pk>/klagesaker/ny/",
        evidence_views.case_edit,
        name="case_create",
    ),
    path(
        "grunnlag/kommune/<int:municipality_pk>/klagesaker/<int:pk>/",
        evidence_views.case_edit,
        name="case_update",
    ),
    path(
        "grunnlag/kommune/<int:municipality_pk>/klagesaker/<int:pk>/slett/",
        evidence_views.case_delete,
        name="case_delete",
    ),
    path(
        "grunnlag/kommune/<int:municipality_pk>/tilsyn/nytt/",
        evidence_views.finding_edit,
        name="finding_create",
    ),
    path(
        "grunnlag/kommune/<int:municipality_pk>/tilsyn/<int:pk>/",
        evidence_views.finding_edit,
        name="finding_update",
    ),
    path(
        "grunnlag/kommune/<int:municipality_pk>/tilsyn/<int:pk>/slett/",
        evidence_views.finding_delete,
        name="finding_delete",
    ),
    path("vurdering/pulje/<int:cohort_pk>/", scoring_views.cohort_scores, name="cohort_scores"),
    path("vurdering/soknad/<int:application_pk>/", scoring_views.score, name="score"),
    path(
        "vurdering/soknad/<int:application_pk>/beregning/<int:score_pk>/",
        scoring_views.stored_score,
        name="stored_score",
    ),
    path("vurdering/soknad/<int:application_pk>/beregn/", scoring_views.rescore, name="rescore"),
    path("vurdering/soknad/<int:application_pk>/motivasjon/", scoring_views.grade, name="grade"),
    path("vurdering/soknad/<int:application_pk>/mobbing/", scoring_views.judge, name="judge"),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/invitasjoner/",
        process_views.invitation_list,
        name="invitations",
    ),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/invitasjoner/<int:municipality_pk>/e-post/",
        process_views.invitation_email,
        name="invitation_email",
    ),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/invitasjoner/<int:municipality_pk>/lenke/",
        process_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/invitasjoner/<int:municipality_pk>/"
        "tilgang/<int:membership_pk>/fjern/",
        process_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/oppfolging/",
        followup_views.board,
        name="followup",
    ),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/oppfolging/<int:municipality_pk>/paminn/",
        followup_views.remind,
        name="remind",
    ),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/rangering/",
        process_views.ranking,
        name="ranking",
    ),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/rangering.<str:fmt>",
        process_views.ranking_export,
        name="ranking_export",
    ),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/soknad/<int:application_pk>/flytt/",
        process_views.move,
        name="move",
    ),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/soknad/<int:application_pk>/innstill/",
        process_views.recommend,
        name="recommend",
    ),
    path("pulje/<int:cohort_pk>/embete/<int:office_pk>/send/", process_views.send, name="send"),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/las-opp/",
        process_views.unlock,
        name="unlock",
    ),
    path("pulje/<int:cohort_pk>/status/", process_views.overview, name="overview"),
    path("pulje/<int:cohort_pk>/utvalg/", process_views.national, name="national"),
    path(
        "pulje/<int:cohort_pk>/utvalg.<str:fmt>",
        process_views.national_export,
        name="national_export",
    ),
    path(
        "pulje/<int:cohort_pk>/soknad/<int:application_pk>/vedtak/",
        process_views.decide,
        name="decide",
    ),
    path("pulje/<int:cohort_pk>/publiser/", process_views.publish, name="publish"),
    path("pulje/<int:cohort_pk>/plasser/", process_views.places, name="places"),
    path(
        "pulje/<int:cohort_pk>/plasser/<int:pk>/ta-opp/",
        process_views.promote,
        name="promote",
    ),
    path(
        "pulje/<int:cohort_pk>/plasser/<int:pk>/sta-tom/",
        process_views.leave_empty,
        name="leave_empty",
    ),
    path("deltakelse/<int:pk>/bekreft/", process_views.confirm_place, name="confirm_place"),
    path("deltakelse/<int:pk>/takk-nei/", process_views.decline_place, name="decline_place"),
    path("deltakelse/<int:pk>/trekk/", process_views.withdraw_place, name="withdraw_place"),
    path("deltakelse/<int:pk>/ikke-svart/", process_views.mark_no_answer, name="mark_no_answer"),
    path("pulje/<int:cohort_pk>/brev/", letters_views.letters, name="letters"),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/brev/invitasjoner/",
        letters_views.start_invitations,
        name="start_invitations",
    ),
    path("pulje/<int:cohort_pk>/journal/", archive_views.journal, name="journal"),
    path("pulje/<int:cohort_pk>/journal.csv", archive_views.journal_csv, name="journal_csv"),
    path("pulje/<int:cohort_pk>/arkivuttrekk/", archive_views.exports, name="archive_exports"),
    path(
        "pulje/<int:cohort_pk>/arkivuttrekk/bestill/",
        archive_views.start,
        name="archive_export_start",
    ),
    path("arkivuttrekk/<int:pk>/", archive_views.export, name="archive_export"),
    path("arkivuttrekk/<int:pk>/zip/", archive_views.export_zip, name="archive_export_zip"),
    path("brev/bunke/<int:pk>/", letters_views.batch, name="batch"),
    path("brev/bunke/<int:pk>/zip/", letters_views.batch_zip, name="batch_zip"),
    path("brev/bunke/<int:pk>/i-ko/", letters_views.requeue, name="requeue"),
    path(
        "pulje/<int:cohort_pk>/brev/vedtak/",
        letters_views.start_decisions,
        name="start_decisions",
    ),
    path("brev/bunke/<int:pk>/send/", letters_views.batch_send, name="batch_send"),
    path("brev/bunke/<int:pk>/lag-paa-nytt/", letters_views.batch_remake, name="batch_remake"),
    path("brev/<int:pk>/", letters_views.letter_pdf, name="letter"),
    path("brev/<int:pk>/prov-igjen/", letters_views.retry, name="retry"),
    path("brev/<int:pk>/historikk/", letters_views.letter_history, name="letter_history"),
    path("brev/versjon/<int:pk>/", letters_views.version_pdf, name="letter_version"),
    path("brev/<int:pk>/test/", letters_views.letter_test, name="letter_test"),
    path("brev/<int:pk>/send/", letters_views.letter_send, name="letter_send"),
    path("brev/<int:pk>/lag-paa-nytt/", letters_views.letter_remake, name="letter_remake"),
    path("brev/<int:pk>/erstatt/", letters_views.letter_replace, name="letter_replace"),
]
