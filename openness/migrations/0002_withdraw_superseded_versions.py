"""SECURITY.md 14.2: a withdrawal withdraws every version of a dataset. Datasets withdrawn before this
kept their superseded versions as "superseded" (readable by number): mark them withdrawn too."""

from django.db import migrations


def withdraw_superseded(apps, schema_editor):
    DatasetVersion = apps.get_model("openness", "DatasetVersion")
    DatasetVersion.objects.filter(status="superseded", dataset__withdrawn_at__isnull=False).update(status="withdrawn")


class Migration(migrations.Migration):
    dependencies = [("openness", "0001_initial")]

    # Not reversed: which versions were superseded before the withdrawal is not needed afterwards,
    # and putting them back would make them readable again.
    operations = [migrations.RunPython(withdraw_superseded, migrations.RunPython.noop)]
