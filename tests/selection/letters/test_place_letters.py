"""The letters after publication: the promotion's decision letter, the confirmation that a
municipality does not take part, the reminder and the closing letter, in the municipality's
målform, each made once; and the office's e-mail."""

import datetime
import io

from django.core import mail
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from laeringsmiljo.models import AuditEvent
from selection.letters import services as letters
from selection.letters.batches import send_answer_reminders, send_closing_letters
from selection.models import Letter, Participation
from selection.process import settlement
from tests.selection.process.helpers import published_cohort


def _text(letter):
    letters.generate_letter(letter_id=letter.pk)
    letter.refresh_from_db()
    assert letter.status == "laget", letter.failure
    with letter.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
        return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _promote(written_standard):
    selected, reserve, _third = published_cohort(3)
    reserve.municipality.written_standard = written_standard
    reserve.municipality.save()
    settlement.decline(
        participation=Participation.objects.get(application=selected), reason="Nei.", actor=None
    )
    place = Participation.objects.get(application=selected).place
    participation = settlement.promote(place=place, application=reserve, actor=None)
    return participation, Letter.objects.get(application=reserve, kind="decision_promoted")


def test_the_promoted_municipality_gets_a_decision_letter_with_the_answer_deadline(db):
    participation, letter = _promote("nb")
    text = _text(letter)
    assert "tatt opp fra reservelisten" in text
    deadline = formats.date_format(participation.answer_by, "j. F Y")
    assert f"innen {deadline}" in " ".join(text.split())
    assert "neste reserve i embetets rangering (plass 2)" in " ".join(text.split())


def test_the_promotion_letter_in_nynorsk(db):
    participation, letter = _promote("nn")
    assert letter.language == "nn"
    text = " ".join(_text(letter).split())
    assert "teken opp frå reservelista" in text
    with translation.override("nn"):
        deadline = formats.date_format(participation.answer_by, "j. F Y")
    assert f"innan {deadline}" in text


def test_a_declining_municipality_gets_its_confirmation_and_the_office_an_email(
    db, django_capture_on_commit_callbacks
):
    selected, _reserve = published_cohort(2)
    office = selected.municipality.county.office
    office.email = "post@sf.example"
    office.save()
    with django_capture_on_commit_callbacks(execute=True):
        settlement.decline(
            participation=Participation.objects.get(application=selected),
            reason="Vi har ikke kapasitet.",
            actor=None,
        )
    letter = Letter.objects.get(application=selected, kind="withdrawal")
    text = " ".join(_text(letter).split())
    assert "kommunen takket nei til plassen" in text
    assert "Vi har ikke kapasitet." in text
    office_mail = [m for m in mail.outbox if m.to == ["post@sf.example"]]
    assert len(office_mail) == 1
    assert "en plass er ledig" in office_mail[0].subject


def test_an_office_that_writes_nynorsk_gets_its_email_in_nynorsk(
    db, django_capture_on_commit_callbacks
):
    selected, _reserve = published_cohort(2)
    office = selected.municipality.county.office
    office.email = "post@sf.example"
    office.default_written_standard = "nn"
    office.save()
    with django_capture_on_commit_callbacks(execute=True):
        settlement.decline(
            participation=Participation.objects.get(application=selected),
            reason="Vi har ikkje kapasitet.",
            actor=None,
        )
    [office_mail] = [m for m in mail.outbox if m.to == ["post@sf.example"]]
    municipality, cohort = selected.municipality.name, selected.cohort.name
    assert office_mail.subject == f"{municipality} deltek ikkje i {cohort}: ein plass er ledig"
    assert "Grunngjeving: Vi har ikkje kapasitet." in office_mail.body
    assert "Udir avgjer om plassen går til neste reserve" in office_mail.body


def test_the_reminder_goes_a_week_before_the_deadline_once(db):
    selected, _reserve = published_cohort(2, answer_in_days=10)
    now = timezone.now()
    assert send_answer_reminders(now=now) == 0
    later = now + datetime.timedelta(days=4)
    assert send_answer_reminders(now=later) == 1
    assert send_answer_reminders(now=later) == 0
    letter = Letter.objects.get(application=selected, kind="answer_reminder")
    assert "må svare på plassen" in letter.subject or "svare" in _text(letter)
    assert AuditEvent.objects.filter(action="participation.reminded").count() == 1


def test_the_reserves_still_waiting_get_a_closing_letter_once_the_start_has_come(db):
    selected, promoted, waiting = published_cohort(3)
    settlement.decline(
        participation=Participation.objects.get(application=selected), reason="Nei.", actor=None
    )
    settlement.promote(
        place=Participation.objects.get(application=selected).place,
        application=promoted,
        actor=None,
    )
    cohort = selected.cohort
    start = timezone.make_aware(datetime.datetime.combine(cohort.start_date, datetime.time(8)))
    assert send_closing_letters(now=start - datetime.timedelta(days=1)) == 0
    assert send_closing_letters(now=start) == 1
    assert send_closing_letters(now=start + datetime.timedelta(days=1)) == 0
    closing = Letter.objects.filter(kind="reserve_closed")
    assert [letter.application for letter in closing] == [waiting]
    assert "ble ikke ledig" in " ".join(_text(closing[0]).split())
    assert AuditEvent.objects.filter(action="reserve.closed").count() == 1
