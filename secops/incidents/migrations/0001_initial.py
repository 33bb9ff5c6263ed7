import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalog", "0005_grade_existing"),
        ("openness", "0003_apikey_expires_at"),
        ("portal", "0006_apitoken"),
        ("sharing", "0003_grant_daily_quotas"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Incident",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=200, verbose_name="事件名称")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("leak", "数据泄露"),
                            ("unauthorised", "越权访问"),
                            ("tampering", "篡改"),
                            ("account", "账号被盗用"),
                            ("outage", "服务中断"),
                            ("other", "其他"),
                        ],
                        max_length=16,
                        verbose_name="事件类型",
                    ),
                ),
                (
                    "level",
                    models.CharField(
                        choices=[("general", "一般"), ("larger", "较大"), ("major", "重大"), ("critical", "特别重大")],
                        max_length=16,
                        verbose_name="事件级别",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("reported", "已报告"),
                            ("handling", "处置中"),
                            ("contained", "已控制"),
                            ("closed", "已关闭"),
                        ],
                        default="reported",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("is_drill", models.BooleanField(default=False, verbose_name="应急演练")),
                ("description", models.TextField(verbose_name="事件经过")),
                ("exposed", models.TextField(blank=True, verbose_name="涉及的数据")),
                ("advice", models.TextField(blank=True, verbose_name="建议采取的措施")),
                ("reported_at", models.DateTimeField(verbose_name="报告时间")),
                ("response_due_at", models.DateTimeField(verbose_name="首次响应期限")),
                ("upward_due_at", models.DateTimeField(verbose_name="向主管部门报告期限")),
                ("responded_at", models.DateTimeField(blank=True, null=True, verbose_name="首次响应时间")),
                ("upward_reported_at", models.DateTimeField(blank=True, null=True, verbose_name="向主管部门报告时间")),
                ("contained_at", models.DateTimeField(blank=True, null=True, verbose_name="控制时间")),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="关闭时间")),
                ("summary", models.TextField(blank=True, verbose_name="处置总结")),
                ("persons", models.JSONField(blank=True, default=list, verbose_name="涉及个人记录")),
                (
                    "affected_departments",
                    models.ManyToManyField(
                        blank=True, related_name="+", to="portal.department", verbose_name="受影响部门"
                    ),
                ),
                (
                    "affected_users",
                    models.ManyToManyField(
                        blank=True, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="受影响用户"
                    ),
                ),
                (
                    "entries",
                    models.ManyToManyField(
                        blank=True, related_name="+", to="catalog.resourceentry", verbose_name="涉及资源"
                    ),
                ),
                (
                    "grants",
                    models.ManyToManyField(blank=True, related_name="+", to="sharing.grant", verbose_name="涉及授权"),
                ),
                (
                    "reported_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="报告人",
                    ),
                ),
                (
                    "reporter_department",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.department",
                        verbose_name="报告部门",
                    ),
                ),
            ],
            options={
                "verbose_name": "安全事件",
                "verbose_name_plural": "安全事件",
                "ordering": ["-reported_at", "-id"],
                "permissions": [("report_incident", "报告安全事件"), ("handle_incident", "处置安全事件")],
            },
        ),
        migrations.CreateModel(
            name="Evidence",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("audit", "审计记录"), ("receipt", "存证回执"), ("file", "文件")],
                        max_length=8,
                        verbose_name="类型",
                    ),
                ),
                ("audit_entry_id", models.BigIntegerField(blank=True, null=True, verbose_name="审计记录编号")),
                ("receipt", models.CharField(blank=True, max_length=64, verbose_name="回执编号")),
                ("file_name", models.CharField(blank=True, max_length=200, verbose_name="文件名")),
                ("file_path", models.CharField(blank=True, editable=False, max_length=300)),
                ("file_size", models.PositiveBigIntegerField(blank=True, null=True, verbose_name="文件大小")),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="说明")),
                ("added_at", models.DateTimeField(verbose_name="添加时间")),
                (
                    "added_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="添加人",
                    ),
                ),
                (
                    "incident",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="evidence",
                        to="incidents.incident",
                        verbose_name="安全事件",
                    ),
                ),
            ],
            options={
                "verbose_name": "证据",
                "verbose_name_plural": "证据",
                "ordering": ["added_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="Containment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("grant", "暂停授权"),
                            ("user", "停用账号"),
                            ("api_key", "暂停接口密钥"),
                            ("dept_entry", "暂停部门对资源的访问"),
                            ("downloads", "暂停数据集下载"),
                        ],
                        max_length=12,
                        verbose_name="措施",
                    ),
                ),
                ("reason", models.TextField(verbose_name="原因")),
                ("active", models.BooleanField(default=True, verbose_name="生效中")),
                ("applied_at", models.DateTimeField(verbose_name="实施时间")),
                ("lifted_at", models.DateTimeField(blank=True, null=True, verbose_name="解除时间")),
                ("lift_reason", models.TextField(blank=True, verbose_name="解除原因")),
                (
                    "api_key",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="openness.apikey",
                        verbose_name="接口密钥",
                    ),
                ),
                (
                    "applied_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="实施人",
                    ),
                ),
                (
                    "dataset",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="openness.dataset",
                        verbose_name="数据集",
                    ),
                ),
                (
                    "department",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="portal.department",
                        verbose_name="部门",
                    ),
                ),
                (
                    "entry",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalog.resourceentry",
                        verbose_name="资源",
                    ),
                ),
                (
                    "grant",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="sharing.grant",
                        verbose_name="授权",
                    ),
                ),
                (
                    "lifted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="解除人",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="账号",
                    ),
                ),
                (
                    "incident",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="containments",
                        to="incidents.incident",
                        verbose_name="安全事件",
                    ),
                ),
            ],
            options={
                "verbose_name": "控制措施",
                "verbose_name_plural": "控制措施",
                "ordering": ["applied_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="Action",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("report", "报告"),
                            ("state", "状态变更"),
                            ("contain", "控制措施"),
                            ("lift", "解除措施"),
                            ("notice", "通知"),
                            ("upward", "向主管部门报告"),
                            ("evidence", "证据"),
                            ("note", "记录"),
                        ],
                        max_length=12,
                        verbose_name="类型",
                    ),
                ),
                ("at", models.DateTimeField(verbose_name="时间")),
                ("text", models.TextField(verbose_name="内容")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
                (
                    "incident",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="actions",
                        to="incidents.incident",
                        verbose_name="安全事件",
                    ),
                ),
            ],
            options={
                "verbose_name": "处置记录",
                "verbose_name_plural": "处置记录",
                "ordering": ["at", "id"],
            },
        ),
        migrations.CreateModel(
            name="Notice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=200, verbose_name="标题")),
                ("body", models.TextField(verbose_name="内容")),
                ("sent_at", models.DateTimeField(verbose_name="发送时间")),
                ("emails", models.JSONField(default=list, verbose_name="邮件地址")),
                (
                    "incident",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notices",
                        to="incidents.incident",
                        verbose_name="安全事件",
                    ),
                ),
                (
                    "recipients",
                    models.ManyToManyField(related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="接收人"),
                ),
                (
                    "sent_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="发送人",
                    ),
                ),
            ],
            options={
                "verbose_name": "事件通知",
                "verbose_name_plural": "事件通知",
                "ordering": ["sent_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="ReportTemplate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("body", models.TextField(verbose_name="模板内容")),
                ("changed_at", models.DateTimeField(auto_now=True, verbose_name="修改时间")),
                (
                    "changed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="修改人",
                    ),
                ),
            ],
            options={
                "verbose_name": "事件报告模板",
                "verbose_name_plural": "事件报告模板",
            },
        ),
        migrations.CreateModel(
            name="UpwardReport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("made_at", models.DateTimeField(verbose_name="生成时间")),
                ("authority", models.CharField(max_length=200, verbose_name="报送单位")),
                ("file_path", models.CharField(editable=False, max_length=300)),
                (
                    "incident",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="upward_reports",
                        to="incidents.incident",
                        verbose_name="安全事件",
                    ),
                ),
                (
                    "made_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="报告人",
                    ),
                ),
            ],
            options={
                "verbose_name": "事件报告",
                "verbose_name_plural": "事件报告",
                "ordering": ["made_at", "id"],
            },
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(fields=["status", "reported_at"], name="incidents_open"),
        ),
        migrations.AddIndex(
            model_name="containment",
            index=models.Index(condition=models.Q(("active", True)), fields=["kind"], name="incidents_active_hold"),
        ),
    ]
