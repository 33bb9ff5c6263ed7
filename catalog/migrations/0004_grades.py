import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

CATEGORIES = [("general", "一般数据"), ("important", "重要数据"), ("core", "核心数据")]


class Migration(migrations.Migration):
    """Lhasa art. 39 分级分类管理: a grade on every version and data item (docs/grading.md)."""

    dependencies = [
        ("catalog", "0003_catalog_import"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="entryversion",
            name="grade_level",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="数据分级"),
        ),
        migrations.AddField(
            model_name="entryversion",
            name="grade_category",
            field=models.CharField(choices=CATEGORIES, default="general", max_length=10, verbose_name="数据分类"),
        ),
        migrations.AddField(
            model_name="entryversion",
            name="grade_confirmed",
            field=models.BooleanField(default=False, verbose_name="分级已确认"),
        ),
        migrations.AddField(
            model_name="entryversion",
            name="grade_confirmed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="分级确认人",
            ),
        ),
        migrations.AddField(
            model_name="entryversion",
            name="grade_confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="分级确认时间"),
        ),
        migrations.AddField(
            model_name="dataitem",
            name="grade_level",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="数据分级"),
        ),
        migrations.AddField(
            model_name="dataitem",
            name="grade_category",
            field=models.CharField(choices=CATEGORIES, default="general", max_length=10, verbose_name="数据分类"),
        ),
        migrations.AddField(
            model_name="dataitem",
            name="grade_confirmed",
            field=models.BooleanField(default=False, verbose_name="分级已确认"),
        ),
    ]
