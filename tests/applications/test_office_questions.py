"""Questions to the municipality («Spørsmål til kommunen»): after submission a case officer of
the county's office asks, the municipality is told by e-mail and answers on the application
page, the application stays sent in; the office and Udir see both beside the score; the office
marks a question answered or asks again. Every refusal changes nothing."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application, OfficeQuestion
from laeringsmiljo.models import AuditEvent, Membership, Role
from selection.models import OfficeReview
from tests.applications.factories import complete_application
from tests.factories import UserFactory, office_user, udir_user
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://laeringsmiljo.example"
    application = complete_application(
        municipality__name="Fjordvik",
        municipality__written_standard="nn",
        municipality__email="postmottak@fjordvik.example",
    )
    member = UserFactory(first_name="Kari", last_name="Kommune")
    Membership.objects.create(
        user=member, role=Role.MUNICIPALITY, municipality=application.municipality
    )
    application = services.submit(application=application, actor=member)
    office = application.municipality.county.office
    mail.outbox.clear()
    return {
        "application": application,
        "member": member,
        "officer": office_user(office, first_name="Siri", last_name="Saksbehandler"),
        "office": office,
        "commit": django_capture_on_commit_callbacks,
    }


def post(client, case, user, name, data, *args):
    sign_in(client, user)
    with case["commit"](execute=True):
        return client.post(
            reverse(f"applications:{name}", args=[case["application"].pk, *args]),
            data,
            follow=True,
        )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def unchanged(application):
    current = Application.objects.get(pk=application.pk)
    return (current.status, current.reference, current.submission_count) == (
        Application.Status.SUBMITTED,
        application.reference,
        1,
    )


def test_the_office_asks_and_the_municipality_answers_without_the_application_reopening(
    client, case
):
    application = case["application"]
    response = post(
        client, case, case["officer"], "ask_question", {"text": "Hvor mange elever går på skolen?"}
    )
    assert messages_of(response) == [
        "Spørsmålet er sendt til Fjordvik. Kommunen får beskjed på e-post."
    ]
    [message] = mail.outbox
    assert message.to == ["kari@kommune.example", "postmottak@fjordvik.example"]
    office = case["office"].name
    assert message.subject == f"Spørsmål frå {office} om søknaden {application.reference}"
    assert "Hvor mange elever går på skolen?" in message.body
    assert f"https://laeringsmiljo.example/soknader/{application.pk}/#sporsmal" in message.body
    assert "Søknaden er framleis send inn og blir ikkje eit utkast igjen." in message.body

    sign_in(client, case["member"])
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Hvor mange elever går på skolen?" in page
    assert 'for="svar-' in page
    question = OfficeQuestion.objects.get()
    response = post(
        client,
        case,
        case["member"],
        "answer_question",
        {"text": "Det går 212 elever der."},
        question.pk,
    )
    assert messages_of(response) == [f"Svaret er sendt til {office}."]
    assert unchanged(application)
    question.refresh_from_db()
    assert (question.answer, question.answered_by) == ("Det går 212 elever der.", case["member"])

    for user in (case["officer"], udir_user()):
        sign_in(client, user)
        page = client.get(reverse("selection:score", args=[application.pk])).content.decode()
        assert "Spørsmål til kommunen" in page
        assert "Det går 212 elever der." in page
        assert "Svar fra Kari Kommune" in page
    assert list(
        AuditEvent.objects.filter(action__startswith="office_question.")
        .order_by("pk")
        .values_list("action", "actor")
    ) == [
        ("office_question.asked", case["officer"].pk),
        ("office_question.answered", case["member"].pk),
    ]


def test_the_office_marks_a_question_answered_or_asks_again(client, case):
    post(client, case, case["officer"], "ask_question", {"text": "Første spørsmål?"})
    first = OfficeQuestion.objects.get()
    response = post(client, case, case["officer"], "close_question", {}, first.pk)
    assert messages_of(response) == ["Spørsmålet er markert som besvart."]
    response = post(client, case, case["officer"], "close_question", {}, first.pk)
    assert messages_of(response) == ["Spørsmålet er allerede markert som besvart."]
    response = post(
        client,
        case,
        case["member"],
        "answer_question",
        {"text": "For sent?"},
        first.pk,
    )
    assert messages_of(response) == [
        "Embetet har markert spørsmålet som besvart, så det trenger ikke svar lenger."
    ]
    post(
        client,
        case,
        case["officer"],
        "ask_question",
        {"text": "Og dette, da?", "follows": first.pk, "fra": "poeng"},
    )
    second = OfficeQuestion.objects.get(follows=first)
    assert second.text == "Og dette, da?"
    response = post(
        client,
        case,
        case["officer"],
        "ask_question",
        {"text": "En gang til?", "follows": first.pk},
    )
    assert messages_of(response) == ["Det er allerede spurt igjen etter dette spørsmålet."]
    assert OfficeQuestion.objects.count() == 2
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Skriv spørsmålet til kommunen."),
        ("   \n ", "Skriv spørsmålet til kommunen."),
        (
            "Hei\x0bder",
            "«Spørsmål til kommunen» har et usynlig tegn som ikke kan lagres (U+000B), rett "
            "etter «Hei». Det følger ofte med tekst som er limt inn fra et annet program: slett "
            "tegnet (ofte et linjeskift) der og skriv det på nytt, eller lim inn teksten som ren "
            "tekst, og prøv igjen.",
        ),
        (
            "x" * 5001,
            "«Spørsmål til kommunen» kan være på høyst 5\xa0000 tegn, men teksten har 5\xa0001. "
            "Kort den ned med 1 tegn.",
        ),
    ],
)
def test_an_empty_or_bad_question_is_refused(client, case, text, message):
    response = post(client, case, case["officer"], "ask_question", {"text": text})
    assert messages_of(response) == [message]
    assert (OfficeQuestion.objects.count(), len(mail.outbox)) == (0, 0)


def test_a_double_click_asks_once_and_answers_once(client, case):
    post(client, case, case["officer"], "ask_question", {"text": "Hvor mange?"})
    response = post(client, case, case["officer"], "ask_question", {"text": "Hvor mange?"})
    assert messages_of(response) == [
        "Det samme spørsmålet er allerede stilt og venter på svar. Det er ikke sendt igjen."
    ]
    question = OfficeQuestion.objects.get()
    post(client, case, case["member"], "answer_question", {"text": "Tolv."}, question.pk)
    response = post(
        client, case, case["member"], "answer_question", {"text": "Tretten."}, question.pk
    )
    question.refresh_from_db()
    assert messages_of(response) == [
        f"Spørsmålet ble besvart {_when(question.answered_at)}. Svaret er ikke endret."
    ]
    assert question.answer == "Tolv."
    assert len(mail.outbox) == 1


def _when(at):
    from laeringsmiljo.times import date_and_time

    return date_and_time(at)


def test_an_empty_answer_is_refused(client, case):
    post(client, case, case["officer"], "ask_question", {"text": "Hvor mange?"})
    question = OfficeQuestion.objects.get()
    response = post(client, case, case["member"], "answer_question", {"text": " "}, question.pk)
    assert messages_of(response) == ["Skriv svaret til embetet."]
    question.refresh_from_db()
    assert (question.answer, question.answered_at) == ("", None)


def test_an_answer_after_the_office_has_sent_its_recommendation_is_refused_with_the_reason(
    client, case
):
    post(client, case, case["officer"], "ask_question", {"text": "Hvor mange?"})
    question = OfficeQuestion.objects.get()
    OfficeReview.objects.create(
        cohort=case["application"].cohort, office=case["office"], sent_at=timezone.now()
    )
    response = post(client, case, case["member"], "answer_question", {"text": "Tolv."}, question.pk)
    assert messages_of(response) == [
        "Svaret kan ikke sendes: Embetets innstilling er sendt til Udir, så søknaden kan ikke "
        "endres. Udir må låse opp innstillingen først."
    ]
    question.refresh_from_db()
    assert question.answer == ""
    response = post(client, case, case["officer"], "ask_question", {"text": "Og nå?"})
    assert messages_of(response)[0].startswith("Spørsmålet kan ikke stilles: Embetets innstilling")
    assert OfficeQuestion.objects.count() == 1


def test_no_question_on_a_draft(client, case):
    services.withdraw(application=case["application"], actor=case["member"])
    response = post(client, case, case["officer"], "ask_question", {"text": "Hvor mange?"})
    assert messages_of(response) == [
        "Søknaden er ikke sendt inn nå, så kommunen kan endre den selv. Spørsmål kan stilles "
        "når den er sendt inn."
    ]
    assert OfficeQuestion.objects.count() == 0


def test_only_the_countys_office_asks_and_only_the_municipality_answers(client, case):
    application = case["application"]
    ask = reverse("applications:ask_question", args=[application.pk])
    sign_in(client, office_user())
    assert client.post(ask, {"text": "Fra et annet embete?"}).status_code == 404
    sign_in(client, udir_user())
    assert client.post(ask, {"text": "Fra Udir?"}).status_code == 403
    sign_in(client, case["member"])
    assert client.post(ask, {"text": "Fra kommunen selv?"}).status_code == 403
    assert OfficeQuestion.objects.count() == 0
    post(client, case, case["officer"], "ask_question", {"text": "Hvor mange?"})
    question = OfficeQuestion.objects.get()
    answer = reverse("applications:answer_question", args=[application.pk, question.pk])
    close = reverse("applications:close_question", args=[application.pk, question.pk])
    other = UserFactory()
    Membership.objects.create(
        user=other, role=Role.MUNICIPALITY, municipality=complete_application().municipality
    )
    sign_in(client, other)
    assert client.post(answer, {"text": "Fra en annen kommune"}).status_code == 404
    sign_in(client, case["officer"])
    assert client.post(answer, {"text": "Fra embetet"}).status_code == 403
    sign_in(client, case["member"])
    assert client.post(close, {}).status_code == 403
    question.refresh_from_db()
    assert (question.answer, question.closed_at) == ("", None)
    # A question of another application is not found through this one.
    elsewhere = OfficeQuestion.objects.create(application=complete_application(), text="Annen")
    response = post(
        client,
        case,
        case["member"],
        "answer_question",
        {"text": "Feil søknad"},
        elsewhere.pk,
    )
    assert messages_of(response) == ["Spørsmålet finnes ikke på denne søknaden."]
    elsewhere.refresh_from_db()
    assert elsewhere.answer == ""
