"""The reason in a decision letter is in the municipality's målform: the proposal's reason is
written out in the letter's language, and Udir is told the letter's målform where it writes."""

import io
import re
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from selection.models import Decision, Letter, SenderSettings
from selection.process import decisions
from tests.factories import municipality_user, udir_user
from tests.nynorsk import bokmal_words
from tests.pageforms import form_data
from tests.selection.process.helpers import submitted_applications
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


def _text(letter):
    with letter.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def _recommended_and_sent(written_standard, verdicts):
    applications = submitted_applications(len(verdicts), capacity=1)
    for application in applications:
        application.municipality.written_standard = written_standard
        application.municipality.save()
    for application, verdict in zip(applications, verdicts, strict=True):
        decisions.recommend(
            application=application, verdict=verdict, justification="Begrunnet.", actor=None
        )
    first = applications[0]
    decisions.send_to_udir(
        cohort=first.cohort,
        office=first.municipality.county.office,
        justification="Samlet.",
        actor=None,
    )
    return applications


def _national_page(client, cohort, language="nb"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    office_id = cohort.schedules.get().office_id
    page = reverse("selection:national", args=[cohort.pk])
    return client.get(f"{page}?kontor={office_id}").content.decode()


def _reason_field(page, application):
    """What the reason field of the application's decision form holds, and its attributes."""
    match = re.search(
        rf'<textarea ([^>]*)id="grunn-{application.pk}"([^>]*)>(.*?)</textarea>', page, re.S
    )
    return unescape(match.group(3)), match.group(1) + match.group(2)


def _decide_as_proposed(client, cohort, applications):
    """Udir takes every proposal with the reason its page offers, as a user would."""
    overview = decisions.national_overview(cohort=cohort)
    page = _national_page(client, cohort)
    for row in overview["offices"][0]["rows"]:
        application = row["ranked"].application
        reason, _attributes = _reason_field(page, application)
        url = reverse("selection:decide", args=[cohort.pk, application.pk])
        data = form_data(page, url)
        data.update(outcome=row["proposed"].outcome, reason=reason, deviation_reason="")
        response = client.post(url, data)
        assert response.status_code == 302
    assert Decision.objects.filter(application__in=applications).count() == len(applications)


def _publish(cohort, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decisions.publish(cohort=cohort, actor=None)


def _user_data(application):
    municipality = application.municipality
    return [
        municipality.name,
        municipality.county.office.name,
        municipality.postal_address,
        application.reference,
    ]


def test_a_nynorsk_decision_letter_from_the_proposal_has_no_bokmal(
    client, django_capture_on_commit_callbacks
):
    # Selected within capacity, reserve, and not recommended: every reason the proposal gives.
    applications = _recommended_and_sent("nn", ["anbefalt", "anbefalt", "ikke_anbefalt"])
    cohort = applications[0].cohort
    sign_in(client, udir_user())
    _decide_as_proposed(client, cohort, applications)
    _publish(cohort, django_capture_on_commit_callbacks)
    letters = Letter.objects.filter(application__in=applications).select_related("application")
    assert sorted((letter.kind, letter.language, letter.status) for letter in letters) == [
        ("decision_not_selected", "nn", "laget"),
        ("decision_reserve", "nn", "laget"),
        ("decision_selected", "nn", "laget"),
    ]
    for letter in letters:
        text = _text(letter)
        assert bokmal_words(text, ignore=_user_data(letter.application)) == []
    texts = {letter.kind: " ".join(_text(letter).split()) for letter in letters}
    assert "Innstilt som nr. 1, innanfor kapasiteten." in texts["decision_selected"]
    assert "Kapasiteten er fylt; står som reserve." in texts["decision_reserve"]
    assert "Ikkje innstilt av embetet." in texts["decision_not_selected"]


def test_a_kept_proposal_reason_follows_a_malform_corrected_after_the_decision(
    client, django_capture_on_commit_callbacks
):
    # Decided while the register said bokmål, corrected to nynorsk in admin before publishing.
    applications = _recommended_and_sent("nb", ["anbefalt"])
    (application,) = applications
    cohort = application.cohort
    sign_in(client, udir_user())
    _decide_as_proposed(client, cohort, applications)
    decision = Decision.objects.get(application=application)
    assert decision.reason == "Innstilt som nr. 1, innenfor kapasiteten."
    assert (decision.reason_code, decision.reason_rank) == ("within_capacity", 1)
    application.municipality.written_standard = "nn"
    application.municipality.save()
    _publish(cohort, django_capture_on_commit_callbacks)
    letter = Letter.objects.get(application=application)
    text = _text(letter)
    assert letter.language == "nn"
    assert "Innstilt som nr. 1, innanfor kapasiteten." in " ".join(text.split())
    assert bokmal_words(text, ignore=_user_data(application)) == []


def test_a_reason_udir_writes_goes_into_the_letter_as_written(
    client, django_capture_on_commit_callbacks
):
    applications = _recommended_and_sent("nn", ["anbefalt"])
    (application,) = applications
    cohort = application.cohort
    sign_in(client, udir_user())
    url = reverse("selection:decide", args=[cohort.pk, application.pk])
    data = form_data(_national_page(client, cohort), url)
    data.update(
        outcome="valgt", reason="Ein sterk søknad med ein tydeleg plan.", deviation_reason=""
    )
    response = client.post(url, data)
    assert response.status_code == 302
    decision = Decision.objects.get(application=application)
    assert (decision.reason_code, decision.reason_rank) == ("", None)
    _publish(cohort, django_capture_on_commit_callbacks)
    text = " ".join(_text(Letter.objects.get(application=application)).split())
    # After the facts of the case, which the service assembles, as Udir wrote it.
    office = application.municipality.county.office.name
    assert f"Grunngjeving: {office} rangerte søknaden som nr. 1 av 1 søknad." in text
    facts, written = text.split(" Ein sterk søknad med ein tydeleg plan.")
    assert "Kravet i kriterium 6" in facts


@pytest.mark.parametrize(
    ("written_standard", "neutral_default", "language", "note"),
    [
        ("nn", "nb", "nn", "Skriv begrunnelsen på nynorsk: kommunen har nynorsk som målform."),
        ("nb", "nn", "nb", "Skriv begrunnelsen på bokmål: kommunen har bokmål som målform."),
        (
            "noytral",
            "nn",
            "nn",
            "Skriv begrunnelsen på nynorsk: kommunen har nøytral målform, og Udir skriver "
            "nynorsk til nøytrale kommuner.",
        ),
        (
            "noytral",
            "nb",
            "nb",
            "Skriv begrunnelsen på bokmål: kommunen har nøytral målform, og Udir skriver bokmål "
            "til nøytrale kommuner.",
        ),
    ],
)
def test_udir_is_told_the_letters_malform_where_it_writes_the_reason(
    client, written_standard, neutral_default, language, note
):
    sender = SenderSettings.current()
    sender.default_written_standard = neutral_default
    sender.save()
    (application,) = _recommended_and_sent(written_standard, ["anbefalt"])
    sign_in(client, udir_user())
    page = _national_page(client, application.cohort)
    reason, attributes = _reason_field(page, application)
    assert f'lang="{language}"' in attributes
    assert f'aria-describedby="malform-{application.pk}"' in attributes
    assert f'<p class="form-text small mt-0 mb-1" id="malform-{application.pk}">{note}</p>' in page
    # The proposal's reason is offered as the letter will give it.
    assert (
        reason
        == {
            "nb": "Innstilt som nr. 1, innenfor kapasiteten.",
            "nn": "Innstilt som nr. 1, innanfor kapasiteten.",
        }[language]
    )


def test_a_kept_proposal_reason_is_shown_in_the_readers_language(
    client, django_capture_on_commit_callbacks
):
    # Udir decides on a bokmål page; the nynorsk pages show the reason in nynorsk.
    (application,) = _recommended_and_sent("nb", ["anbefalt"])
    cohort = application.cohort
    sign_in(client, udir_user())
    _decide_as_proposed(client, cohort, [application])
    nynorsk = "Innstilt som nr. 1, innanfor kapasiteten."
    page = _national_page(client, cohort, "nn")
    assert f'<p class="small mb-1">{nynorsk}</p>' in page
    _publish(cohort, django_capture_on_commit_callbacks)
    sign_in(client, municipality_user(application.municipality))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    page = client.get(reverse("municipality_start")).content.decode()
    assert f"</strong>. {nynorsk}</dd>" in page
    assert "innenfor" not in page
