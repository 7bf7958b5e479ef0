from django.urls import path

from applications import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("pulje/<int:cohort_pk>/kommune/<int:municipality_pk>/start/", views.start, name="start"),
    path("tilgang/", views.access, name="access"),
    path(
        "tilgang/<int:cohort_pk>/<int:municipality_pk>/<str:token>/",
        views.access_link,
        name="access_link",
    ),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/vedlegg/", views.attachments, name="attachments"),
    path("<int:pk>/vedlegg/<int:attachment_pk>/", views.download_attachment, name="attachment"),
    path(
        "<int:pk>/vedlegg/<int:attachment_pk>/slett/",
        views.remove_attachment,
        name="remove_attachment",
    ),
    path("<int:pk>/send/", views.submit, name="submit"),
    path("<int:pk>/kvittering/", views.receipt, name="receipt"),
    path("<int:pk>/kvittering/send-igjen/", views.resend_receipt, name="resend_receipt"),
    path("<int:pk>/trekk/", views.withdraw, name="withdraw"),
    path("<int:pk>/hjelp/", views.ask_for_help, name="help"),
    path("<int:pk>/gjenapne/", views.reopen, name="reopen"),
    path("<int:pk>/kolleger/", views.invite_colleague, name="invite_colleague"),
    path("<int:pk>/forpliktelser/send/", views.request_commitments, name="request_commitments"),
    path(
        "<int:pk>/forpliktelser/<int:commitment_pk>/send-igjen/",
        views.resend_commitment,
        name="resend_commitment",
    ),
    path("forpliktelse/", views.commitment, name="commitment"),
    path(
        "forpliktelse/<int:commitment_pk>/<str:token>/",
        views.commitment_link,
        name="commitment_link",
    ),
    path("<int:pk>/kontaktperson/", views.hand_over, name="hand_over"),
    path("<int:pk>/sporsmal/", views.ask_question, name="ask_question"),
    path(
        "<int:pk>/sporsmal/<int:question_pk>/svar/",
        views.answer_question,
        name="answer_question",
    ),
    path(
        "<int:pk>/sporsmal/<int:question_pk>/besvart/",
        views.close_question,
        name="close_question",
    ),
    path("<int:pk>/<slug:slug>/", views.section, name="section"),
]
