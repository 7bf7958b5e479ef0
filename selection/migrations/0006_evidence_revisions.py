import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('selection', '0005_revisions_for_stale_forms'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='complaintcasecount',
            name='revision',
            field=models.PositiveIntegerField(default=1, verbose_name='versjon'),
        ),
        migrations.AddField(
            model_name='complaintcasecount',
            name='updated_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='sist endret av'),
        ),
        migrations.AddField(
            model_name='supervisionfinding',
            name='revision',
            field=models.PositiveIntegerField(default=1, verbose_name='versjon'),
        ),
        migrations.AddField(
            model_name='supervisionfinding',
            name='updated_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='sist endret av'),
        ),
    ]
