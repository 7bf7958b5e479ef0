from django.db import migrations


def load_texts(apps, schema_editor):
    from selection.letter_defaults import DEFAULTS

    LetterTemplate = apps.get_model("selection", "LetterTemplate")
    SenderSettings = apps.get_model("selection", "SenderSettings")
    for (kind, language), (subject, body) in DEFAULTS.items():
        LetterTemplate.objects.get_or_create(
            kind=kind, language=language, defaults={"subject": subject, "body": body}
        )
    if not SenderSettings.objects.exists():
        SenderSettings.objects.create()


class Migration(migrations.Migration):
    dependencies = [("selection", "0003_process_and_letters")]

    operations = [migrations.RunPython(load_texts, migrations.RunPython.noop)]
