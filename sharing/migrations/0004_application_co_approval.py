import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The bureau's co-approval (会签) of a conditional share of 高度敏感 or 重要数据 (docs/grading.md)."""

    dependencies = [
        ("sharing", "0003_grant_daily_quotas"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="co_approved_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="会签人",
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="co_approved_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="会签时间"),
        ),
        migrations.AddField(
            model_name="application",
            name="co_approval_note",
            field=models.TextField(blank=True, verbose_name="会签意见"),
        ),
    ]
