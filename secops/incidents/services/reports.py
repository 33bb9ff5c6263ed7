"""The report to the competent authority (向主管部门报告, Tongren art. 36, Sixian art. 39, Lhasa
art. 39 安全报告): a Word file in Chinese generated from the incident, from a template the bureau
edits (Django template language: {{ 事件.名称 }}, {% for 行 in 处置记录 %}; a line starting with
"# " is a heading). The file is kept encrypted (protection.encryption.files)."""

from __future__ import annotations

import io
import uuid

import docx
from django.db import transaction
from django.template import Context, Engine, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from portal.errors import DomainError, PermissionDeniedError
from portal.permissions import can
from protection.encryption import files
from secops.incidents import conf
from secops.incidents.models import Action, Incident, ReportTemplate, UpwardReport
from secops.incidents.services.evidence import evidence_dir
from secops.incidents.services.register import log, require_handler

EDIT_TEMPLATE = "incidents.change_reporttemplate"
_ENGINE = Engine(autoescape=False)  # the output is a Word file, not HTML; no loaders: no file is read

DEFAULT_TEMPLATE = """# 关于{{ 事件.名称 }}的{% if 事件.演练 %}应急演练{% endif %}网络安全事件报告
{{ 报送单位 }}：
现将{{ 事件.报告时间 }}发生的网络安全事件报告如下。
# 一、事件基本情况
事件类型：{{ 事件.类型 }}；事件级别：{{ 事件.级别 }}；当前状态：{{ 事件.状态 }}。
报告人：{{ 事件.报告人 }}（{{ 事件.报告部门 }}）。
事件经过：{{ 事件.经过 }}
涉及的数据：{{ 事件.涉及数据|default:"暂未查明" }}
受影响部门：{{ 事件.受影响部门|default:"无" }}
涉及资源：{{ 事件.涉及资源|default:"无" }}
# 二、已采取的控制措施
{% for 项 in 控制措施 %}{{ forloop.counter }}. {{ 项 }}
{% empty %}暂未采取控制措施。
{% endfor %}# 三、通知情况
{% for 项 in 通知 %}{{ 项 }}
{% empty %}尚未通知受影响的部门和用户。
{% endfor %}# 四、处置经过
{% for 行 in 处置记录 %}{{ 行 }}
{% endfor %}
报告单位：市大数据局
报告时间：{{ 生成时间 }}
"""


def template_body() -> str:
    row = ReportTemplate.objects.order_by("pk").first()
    return row.body if row is not None else DEFAULT_TEMPLATE


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y年%m月%d日 %H:%M") if value else ""


def context_of(incident: Incident) -> dict:
    """What the template may show: plain strings only (no object whose methods a template could call)."""
    reporter = incident.reported_by
    return {
        "事件": {
            "名称": incident.title,
            "类型": incident.get_kind_display(),
            "级别": incident.get_level_display(),
            "状态": incident.get_status_display(),
            "演练": incident.is_drill,
            "经过": incident.description,
            "涉及数据": incident.exposed,
            "建议": incident.advice,
            "报告时间": _when(incident.reported_at),
            "报告人": (reporter.get_full_name() or reporter.username) if reporter else _("系统监测"),
            "报告部门": str(incident.reporter_department or _("大数据局")),
            "受影响部门": "、".join(d.name for d in incident.affected_departments.all()),
            "涉及资源": "、".join(str(e) for e in incident.entries.all()),
            "涉及个人记录": "、".join(incident.persons),
            "首次响应时间": _when(incident.responded_at),
            "控制时间": _when(incident.contained_at),
        },
        "控制措施": [
            f"{h}（{_when(h.applied_at)}，{_('生效中') if h.active else _('已解除')}）：{h.reason}"
            for h in incident.containments.all()
        ],
        "通知": [f"{_when(n.sent_at)} {n.title}（{n.recipients.count()} 人）" for n in incident.notices.all()],
        "处置记录": [f"{_when(a.at)} {a.text}" for a in incident.actions.all()],
        "报送单位": conf.setting("AUTHORITY"),
        "生成时间": _when(timezone.now()),
    }


def render_text(incident: Incident, body: str | None = None) -> str:
    try:
        return _ENGINE.from_string(template_body() if body is None else body).render(Context(context_of(incident)))
    except TemplateSyntaxError as exc:
        raise DomainError(_("报告模板有误：%(e)s") % {"e": exc}, code="bad_template") from None


def render_docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        if line.startswith("# "):
            document.add_heading(line[2:].strip(), level=1)
        elif line.strip():
            document.add_paragraph(line.rstrip())
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def report_upward(*, actor, incident: Incident) -> UpwardReport:
    """Generate the report and record it as made (the upward deadline is met by its time)."""
    require_handler(actor)
    content = render_docx(render_text(incident))
    path = evidence_dir() / f"report-{uuid.uuid4().hex}.docx.enc"
    files.encrypt_chunks([content], path)
    try:
        with transaction.atomic():
            incident = Incident.objects.select_for_update().get(pk=incident.pk)
            now = timezone.now()
            report = UpwardReport.objects.create(
                incident=incident,
                made_by=actor,
                made_at=now,
                authority=conf.setting("AUTHORITY")[:200],
                file_path=path.name,
            )
            if incident.upward_reported_at is None:
                incident.upward_reported_at = now
                incident.save(update_fields=["upward_reported_at"])
            late = now > incident.upward_due_at
            log(
                incident,
                Action.Kind.UPWARD,
                actor,
                _("已生成向%(a)s的事件报告%(late)s。")
                % {"a": report.authority, "late": _("（已超过报告期限）") if late else ""},
                audit="incidents.report_upward",
                detail={"report": report.pk, "late": late},
            )
    except Exception:
        files.remove(path)
        raise
    return report


def report_content(*, actor, report: UpwardReport) -> bytes:
    """The Word file, decrypted; each download is audited."""
    record(
        "incidents.report_upward.read",
        actor=actor,
        target=report.incident,
        detail={"incident": report.incident_id, "report": report.pk},
    )
    return b"".join(files.decrypt_chunks(evidence_dir() / report.file_path))


def template_save(*, actor, body: str) -> ReportTemplate:
    """The bureau edits the template; one that does not render is refused with the parser's reason."""
    if not can(actor, EDIT_TEMPLATE):
        raise PermissionDeniedError(_("只有大数据局管理员可以修改报告模板。"))
    if not body.strip():
        raise DomainError(_("模板内容不能为空。"), code="empty")
    try:
        _ENGINE.from_string(body)
    except TemplateSyntaxError as exc:
        raise DomainError(_("报告模板有误：%(e)s") % {"e": exc}, code="bad_template") from None
    with transaction.atomic():
        row = ReportTemplate.objects.select_for_update().order_by("pk").first() or ReportTemplate()
        row.body, row.changed_by = body, actor
        row.save()
        record("incidents.template.change", actor=actor, target=row, detail={"length": len(body)})
    return row
