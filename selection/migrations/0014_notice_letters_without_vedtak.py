from django.db import migrations


def reword(apps, schema_editor):
    from selection.letters.defaults import install_sections

    install_sections(
        apps.get_model("selection", "LetterTemplate"),
        {"decision_selected", "decision_reserve", "decision_not_selected", "decision_promoted"},
    )


class Migration(migrations.Migration):
    """The default decision texts say {decided} and {decision} where they said «har vedtatt»
    and «vedtaket», so that a notice of the result does not call itself a decision; texts an
    administrator rewrote are kept."""

    dependencies = [
        ("selection", "0013_settlement_letters"),
    ]

    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
