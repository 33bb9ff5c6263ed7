from django.db import migrations

BATCH = 2000


def propose_grades(apps, schema_editor):
    """Existing versions and items get a *proposed* grade: the suggestion from their type and name
    (at least the sensitive level where the officer had ticked 敏感), never confirmed — the bureau
    reviewer confirms it (Lhasa art. 39; docs/grading.md "Existing data")."""
    from protection.grading.conf import setting
    from protection.grading.suggest import suggest_item

    DataItem = apps.get_model("catalog", "DataItem")
    EntryVersion = apps.get_model("catalog", "EntryVersion")
    sensitive_level = setting("PROTECTION_SENSITIVE_LEVEL")
    versions = EntryVersion.objects.filter(grade_level__isnull=True).only("id", "open_type").order_by("id")
    for version in versions.iterator(chunk_size=BATCH):
        open_resource = version.open_type != "not_open"
        items = list(DataItem.objects.filter(version_id=version.id, grade_level__isnull=True))
        for item in items:
            level = suggest_item(type=item.type, key=item.key, name=item.name, open_resource=open_resource).level
            item.grade_level = max(level, sensitive_level) if item.sensitive else level
            item.grade_confirmed = False
        DataItem.objects.bulk_update(items, ["grade_level", "grade_confirmed"], batch_size=BATCH)
        top = max([item.grade_level for item in items], default=1 if open_resource else 2)
        EntryVersion.objects.filter(pk=version.id).update(grade_level=top, grade_confirmed=False)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_grades")]

    operations = [migrations.RunPython(propose_grades, migrations.RunPython.noop, elidable=True)]
