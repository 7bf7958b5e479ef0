from django.urls import path

from selection import views, views_letters, views_process

app_name = "selection"

urlpatterns = [
    path("grunnlag/", views.evidence, name="evidence"),
    path("grunnlag/import/<slug:kind>/", views.import_upload, name="import_upload"),
    path("grunnlag/import/<slug:kind>/mal.xlsx", views.import_template, name="import_template"),
    path("grunnlag/import/forhandsvisning/<int:pk>/", views.import_preview, name="import_preview"),
    path(
        "grunnlag/kommune/<int:municipality_pk>/",
        views.municipality_evidence,
        name="municipality_evidence",
    ),
    path(
        "grunnlag/kommune/<int:municipality_pk>/klagesaker/ny/",
        views.case_edit,
        name="case_create",
    ),
    path(
        "grunnlag/kommune/<int:municipality_pk>/klagesaker/<int:pk>/",
        views.case_edit,
        name="case_update",
    ),
    path(
        "grunnlag/kommune/<int:municipality_pk>/klagesaker/<int:pk>/slett/",
        views.case_delete,
        name="case_delete",
    ),
    path(
        "grunnlag/kommune/<int:municipality_pk>/tilsyn/nytt/",
        views.finding_edit,
        name="finding_create",
    ),
    path(
        "grunnlag/kommune/<int:municipality_pk>/tilsyn/<int:pk>/",
        views.finding_edit,
        name="finding_update",
    ),
    path(
        "grunnlag/kommune/<int:municipality_pk>/tilsyn/<int:pk>/slett/",
        views.finding_delete,
        name="finding_delete",
    ),
    path("vurdering/pulje/<int:cohort_pk>/", views.cohort_scores, name="cohort_scores"),
    path("vurdering/soknad/<int:application_pk>/", views.score, name="score"),
    path(
        "vurdering/soknad/<int:application_pk>/beregning/<int:score_pk>/",
        views.stored_score,
        name="stored_score",
    ),
    path("vurdering/soknad/<int:application_pk>/beregn/", views.rescore, name="rescore"),
    path("vurdering/soknad/<int:application_pk>/motivasjon/", views.grade, name="grade"),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/invitasjoner/",
        views_process.invitation_list,
        name="invitations",
    ),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/rangering/",
        views_process.ranking,
        name="ranking",
    ),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/rangering.<str:fmt>",
        views_process.ranking_export,
        name="ranking_export",
    ),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/soknad/<int:application_pk>/flytt/",
        views_process.move,
        name="move",
    ),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/soknad/<int:application_pk>/innstill/",
        views_process.recommend,
        name="recommend",
    ),
    path("pulje/<int:cohort_pk>/embete/<int:office_pk>/send/", views_process.send, name="send"),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/las-opp/",
        views_process.unlock,
        name="unlock",
    ),
    path("pulje/<int:cohort_pk>/status/", views_process.overview, name="overview"),
    path("pulje/<int:cohort_pk>/utvalg/", views_process.national, name="national"),
    path(
        "pulje/<int:cohort_pk>/utvalg.<str:fmt>",
        views_process.national_export,
        name="national_export",
    ),
    path(
        "pulje/<int:cohort_pk>/soknad/<int:application_pk>/vedtak/",
        views_process.decide,
        name="decide",
    ),
    path("pulje/<int:cohort_pk>/publiser/", views_process.publish, name="publish"),
    path("pulje/<int:cohort_pk>/brev/", views_letters.letters, name="letters"),
    path(
        "pulje/<int:cohort_pk>/embete/<int:office_pk>/brev/invitasjoner/",
        views_letters.start_invitations,
        name="start_invitations",
    ),
    path("brev/bunke/<int:pk>/", views_letters.batch, name="batch"),
    path("brev/bunke/<int:pk>/zip/", views_letters.batch_zip, name="batch_zip"),
    path("brev/bunke/<int:pk>/i-ko/", views_letters.requeue, name="requeue"),
    path(
        "pulje/<int:cohort_pk>/brev/vedtak/",
        views_letters.start_decisions,
        name="start_decisions",
    ),
    path("brev/<int:pk>/", views_letters.letter_pdf, name="letter"),
    path("brev/<int:pk>/prov-igjen/", views_letters.retry, name="retry"),
]
