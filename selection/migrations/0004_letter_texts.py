from django.db import migrations


def load_texts(apps, schema_editor):
    from selection.letters.defaults import install

    install(apps.get_model("selection", "LetterTemplate"), apps.get_model("selection", "SenderSettings"))


class Migration(migrations.Migration):
    dependencies = [("selection", "0003_process_and_letters")]

    operations = [migrations.RunPython(load_texts, migrations.RunPython.noop)]
