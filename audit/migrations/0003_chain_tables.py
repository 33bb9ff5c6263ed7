"""Tables of the hash chain, verification runs, head exports, partition drops and usage summaries.

All but the usage summaries are append-only like the entries: the same triggers refuse UPDATE,
DELETE and (outside maintenance) TRUNCATE.
"""

import django.contrib.postgres.fields
from django.db import migrations, models

PROTECTED = ["audit_auditblock", "audit_auditverification", "audit_auditheadexport", "audit_auditpartitiondrop"]

PROTECT = "\n".join(
    f"CREATE TRIGGER audit_forbid_change BEFORE UPDATE OR DELETE ON {t} "
    f"FOR EACH ROW EXECUTE FUNCTION audit_forbid_change();\n"
    f"CREATE TRIGGER audit_forbid_truncate BEFORE TRUNCATE ON {t} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION audit_forbid_truncate();"
    for t in PROTECTED
)
UNPROTECT = "\n".join(
    f"DROP TRIGGER IF EXISTS audit_forbid_change ON {t}; DROP TRIGGER IF EXISTS audit_forbid_truncate ON {t};"
    for t in PROTECTED
)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_partitioned_entries"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditBlock",
            fields=[
                ("number", models.BigIntegerField(primary_key=True, serialize=False, verbose_name="区块号")),
                ("month", models.DateField(verbose_name="月份")),
                ("txid_lo", models.BigIntegerField(verbose_name="起始事务号")),
                ("txid_hi", models.BigIntegerField(verbose_name="截止事务号")),
                ("entry_count", models.IntegerField(verbose_name="记录数")),
                ("first_id", models.BigIntegerField(null=True, verbose_name="首条记录ID")),
                ("last_id", models.BigIntegerField(null=True, verbose_name="末条记录ID")),
                (
                    "entry_ids",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.BigIntegerField(), default=list, size=None, verbose_name="记录ID"
                    ),
                ),
                ("entry_digests", models.BinaryField(default=bytes, verbose_name="记录摘要")),
                ("prev_hash", models.CharField(max_length=64, verbose_name="前一区块哈希")),
                ("block_hash", models.CharField(max_length=64, unique=True, verbose_name="区块哈希")),
                ("sealed_at", models.DateTimeField(verbose_name="封存时间")),
            ],
            options={
                "verbose_name": "审计链区块",
                "verbose_name_plural": "审计链区块",
                "ordering": ["number"],
                "default_permissions": (),
                "indexes": [
                    models.Index(fields=["month", "number"], name="audit_block_month"),
                    models.Index(fields=["txid_lo", "txid_hi"], name="audit_block_txids"),
                ],
            },
        ),
        migrations.CreateModel(
            name="AuditHeadExport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(unique=True, verbose_name="日期")),
                ("block_number", models.BigIntegerField(verbose_name="区块号")),
                ("block_hash", models.CharField(max_length=64, verbose_name="区块哈希")),
                ("file_path", models.CharField(max_length=500, verbose_name="文件")),
                ("exported_at", models.DateTimeField(verbose_name="导出时间")),
                ("notified", models.IntegerField(default=0, verbose_name="通知人数")),
            ],
            options={
                "verbose_name": "链头存证",
                "verbose_name_plural": "链头存证",
                "ordering": ["-day"],
                "default_permissions": (),
            },
        ),
        migrations.CreateModel(
            name="AuditPartitionDrop",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("partition", models.CharField(max_length=63, verbose_name="分区")),
                ("month", models.DateField(unique=True, verbose_name="月份")),
                ("range_from", models.DateTimeField(verbose_name="起始时间")),
                ("range_to", models.DateTimeField(verbose_name="截止时间")),
                ("row_count", models.BigIntegerField(verbose_name="记录数")),
                ("first_block", models.BigIntegerField(null=True, verbose_name="首个区块号")),
                ("last_block", models.BigIntegerField(null=True, verbose_name="末个区块号")),
                ("chain_head_number", models.BigIntegerField(null=True, verbose_name="当时链头区块号")),
                ("chain_head_hash", models.CharField(blank=True, max_length=64, verbose_name="当时链头哈希")),
                ("verified", models.BooleanField(verbose_name="删除前校验通过")),
                ("problems", models.JSONField(default=list, verbose_name="删除前发现的问题")),
                ("retention_years", models.IntegerField(verbose_name="保存年限")),
                ("dropped_at", models.DateTimeField(verbose_name="删除时间")),
            ],
            options={
                "verbose_name": "到期分区清理",
                "verbose_name_plural": "到期分区清理",
                "ordering": ["-month"],
                "default_permissions": (),
            },
        ),
        migrations.CreateModel(
            name="AuditVerification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("started_at", models.DateTimeField(verbose_name="开始时间")),
                ("finished_at", models.DateTimeField(verbose_name="完成时间")),
                ("trigger", models.CharField(max_length=20, verbose_name="触发方式")),
                ("ok", models.BooleanField(verbose_name="通过")),
                ("blocks_checked", models.BigIntegerField(default=0, verbose_name="校验区块数")),
                ("entries_checked", models.BigIntegerField(default=0, verbose_name="校验记录数")),
                ("unsealed_entries", models.BigIntegerField(default=0, verbose_name="待封存记录数")),
                ("altered_ids", models.JSONField(default=list, verbose_name="被篡改的记录")),
                ("removed_ids", models.JSONField(default=list, verbose_name="被删除的记录")),
                ("inserted_ids", models.JSONField(default=list, verbose_name="被插入的记录")),
                ("block_problems", models.JSONField(default=list, verbose_name="区块问题")),
                ("head_problems", models.JSONField(default=list, verbose_name="链头问题")),
                ("last_block_number", models.BigIntegerField(null=True, verbose_name="最新区块号")),
                ("last_block_hash", models.CharField(blank=True, max_length=64, verbose_name="最新区块哈希")),
            ],
            options={
                "verbose_name": "完整性校验",
                "verbose_name_plural": "完整性校验",
                "ordering": ["-started_at", "-id"],
                "default_permissions": ("view",),
            },
        ),
        migrations.CreateModel(
            name="UsageSummary",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("department_id", models.BigIntegerField(verbose_name="部门ID")),
                ("department_name", models.CharField(blank=True, max_length=100, verbose_name="部门")),
                (
                    "role",
                    models.CharField(
                        choices=[("provider", "数据提供部门"), ("user", "数据使用部门")],
                        max_length=10,
                        verbose_name="角色",
                    ),
                ),
                ("month", models.DateField(verbose_name="月份")),
                ("entry_count", models.BigIntegerField(default=0, verbose_name="记录数")),
                ("figures", models.JSONField(default=dict, verbose_name="统计")),
                ("computed_at", models.DateTimeField(verbose_name="统计时间")),
            ],
            options={
                "verbose_name": "月度使用汇总",
                "verbose_name_plural": "月度使用汇总",
                "ordering": ["-month", "department_id", "role"],
                "permissions": [("view_usage", "查看本部门数据使用日志")],
                "default_permissions": (),
                "constraints": [
                    models.UniqueConstraint(fields=("department_id", "role", "month"), name="audit_usage_once")
                ],
            },
        ),
        migrations.RunSQL(PROTECT, UNPROTECT),
    ]
