import django.core.validators
from django.db import migrations, models

# The default four levels of 一般数据 (protection.grading.constants.DEFAULT_LEVELS), written out here
# so that this migration stays as it ran; the bureau administrator renames or adds levels later.
DEFAULT_LEVELS = [
    (1, "公开", "可向社会开放的数据"),
    (2, "内部", "仅在政务部门间共享的数据"),
    (3, "敏感", "泄露后可能损害个人或组织权益的数据，共享时默认脱敏"),
    (4, "高度敏感", "泄露后可能造成严重损害的数据，有条件共享须经大数据管理局会签"),
]


def seed_levels(apps, schema_editor):
    GradeLevel = apps.get_model("grading", "GradeLevel")
    for number, name, description in DEFAULT_LEVELS:
        GradeLevel.objects.get_or_create(number=number, defaults={"name": name, "description": description})


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="GradeLevel",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "number",
                    models.PositiveSmallIntegerField(
                        unique=True, validators=[django.core.validators.MinValueValidator(1)], verbose_name="级别"
                    ),
                ),
                ("name", models.CharField(max_length=40, verbose_name="级别名称")),
                ("description", models.CharField(blank=True, max_length=200, verbose_name="说明")),
            ],
            options={
                "verbose_name": "数据分级级别",
                "verbose_name_plural": "数据分级级别",
                "ordering": ["number"],
                "permissions": [("manage_gradelevel", "维护数据分级级别")],
            },
        ),
        migrations.RunPython(seed_levels, migrations.RunPython.noop),
    ]
