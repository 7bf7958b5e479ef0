from django.urls import path

from selection import views

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
]
