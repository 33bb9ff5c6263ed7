"""SECURITY.md 14.16: open-data API keys expire. Keys made before get the default lifetime from their
creation (settings.OPEN_DATA["API_KEY_DAYS"], 365 by default; 0 leaves them without expiry)."""

import datetime as dt

from django.db import migrations, models


def set_expiry(apps, schema_editor):
    from openness.conf import setting

    days = int(setting("API_KEY_DAYS"))
    if days <= 0:
        return
    ApiKey = apps.get_model("openness", "ApiKey")
    for key in ApiKey.objects.filter(expires_at__isnull=True).only("pk", "created_at").iterator():
        ApiKey.objects.filter(pk=key.pk).update(expires_at=key.created_at + dt.timedelta(days=days))


class Migration(migrations.Migration):
    dependencies = [("openness", "0002_withdraw_superseded_versions")]

    operations = [
        migrations.AddField(
            model_name="apikey",
            name="expires_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="有效期至"),
        ),
        migrations.RunPython(set_expiry, migrations.RunPython.noop),
    ]
