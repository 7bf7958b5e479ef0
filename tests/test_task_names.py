from laeringsmiljo.celery import app


def test_the_task_names_stay_the_ones_queued_messages_carry():
    # Messages waiting in the broker name their task; a task that moves keeps its name.
    app.loader.import_default_modules()
    names = {name for name in app.tasks if not name.startswith("celery.")}
    assert names == {
        "applications.tasks.send_access_link",
        "applications.tasks.send_commitment_request",
        "applications.tasks.send_office_question",
        "applications.tasks.send_receipt",
        "laeringsmiljo.tasks.health_check",
        "laeringsmiljo.tasks.send_password_reset",
        "selection.tasks.email_office_task",
        "selection.tasks.export_archive_task",
        "selection.tasks.generate_letter_task",
        "selection.tasks.generate_letters_task",
        "selection.tasks.journal_submission_task",
        "selection.tasks.requeue_stranded_letters_task",
        "selection.tasks.send_letter_task",
        "selection.tasks.send_reminder_task",
        "selection.tasks.send_scheduled_reminders_task",
        "selection.tasks.send_test_letter_task",
        "selection.tasks.settle_cohorts_task",
        "selection.tasks.start_decision_letters_task",
    }
