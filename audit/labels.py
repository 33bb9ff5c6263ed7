"""Chinese names of the log's action codes and object types, for the auditor's pick-lists and results.

An auditor reads 操作 and 对象类型 in words, not as `catalog.rows.read` (issue 19, part 8; Lhasa
art. 41: the log must be readable by those who check it). The codes stay what the entries hold and
what the API filters by; the page shows the label with the code in its title attribute.

Action codes are plain strings chosen where an app calls record(); they are named here in one table
(tests/audit/ui/test_labels.py fails on a code written in the source without a name). Object types of
model targets are "app_label.model_name" and take the model's own verbose_name; the few tuple targets
with a made-up type are named in OBJECT_TYPES.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _

# The first part of a code: the area it belongs to (optgroups of the pick-list, and the prefix filter).
AREAS = {
    "auth": _("登录与账号"),
    "accounts": _("用户与部门管理"),
    "portal": _("平台基础"),
    "catalog": _("数据目录"),
    "grading": _("分类分级"),
    "sharing": _("数据共享"),
    "openness": _("数据开放"),
    "incidents": _("安全事件"),
    "signatures": _("电子签名"),
    "detection": _("安全监测"),
    "selfchecks": _("安全自查"),
    "audit": _("审计日志"),
    "admin": _("管理后台"),
    "request": _("访问控制"),
    "http": _("请求防护"),
    "beat": _("定时任务"),
}

ACTIONS = {
    # 登录与账号
    "auth.login": _("登录"),
    "auth.login_failed": _("登录失败"),
    "auth.locked_out": _("账号被锁定"),
    "auth.logout": _("退出登录"),
    "auth.session.expired": _("会话超时"),
    "auth.otp.enrol": _("绑定动态口令"),
    "auth.otp.verify": _("验证动态口令"),
    "auth.otp.reset": _("重置动态口令"),
    "auth.token_issued": _("签发接口令牌"),
    "auth.token_revoked": _("吊销接口令牌"),
    "auth.credentials.revoke": _("吊销登录凭据"),
    # 用户与部门管理 (accounts.services.users)
    "accounts.user.create": _("新建用户"),
    "accounts.user.update": _("修改用户"),
    "accounts.user.deactivate": _("停用用户"),
    "accounts.user.reactivate": _("启用用户"),
    "accounts.user.unlock": _("解锁用户"),
    "accounts.user.roles": _("调整用户角色"),
    "accounts.user.password_reset": _("发送重设密码链接"),
    "accounts.department.create": _("新建部门"),
    "accounts.department.update": _("修改部门"),
    # 平台基础
    "portal.calendar.set": _("设置工作日历"),
    "portal.calendar.remove": _("删除日历调整"),
    "portal.calendar.year_complete": _("标记年度日历已录入"),
    "portal.calendar.missing_dismiss": _("忽略日历缺失提醒"),
    "portal.evaluation.export": _("导出考核报告"),
    "portal.password.reset.request": _("申请重设密码"),
    "portal.password.reset": _("重设密码"),
    "portal.password.reset.mail_failed": _("重设密码邮件发送失败"),
    "portal.policy.set": _("设置期限规则"),
    "portal.user.department": _("调整用户所属部门"),
    # 数据目录
    "catalog.entry.create": _("新建目录"),
    "catalog.entry.update": _("修改目录"),
    "catalog.entry.submit": _("提交目录审核"),
    "catalog.entry.approve": _("目录审核通过"),
    "catalog.entry.return": _("目录退回修改"),
    "catalog.entry.revise": _("修订目录"),
    "catalog.entry.withdraw": _("撤销目录"),
    "catalog.entry.flag_unmaintained": _("标记目录未按期更新"),
    "catalog.entry.grades_confirm": _("确认目录分级"),
    "catalog.duty.record": _("登记目录更新责任"),
    "catalog.duty.confirm": _("确认目录更新"),
    "catalog.duty.remind": _("提醒目录更新"),
    "catalog.duty.overdue": _("目录更新超期"),
    "catalog.duty.shift": _("顺延目录更新期限"),
    "catalog.export": _("导出目录"),
    "catalog.import.start": _("开始导入目录"),
    "catalog.import.finish": _("完成导入目录"),
    "catalog.import.refuse": _("拒绝导入目录"),
    "catalog.load.start": _("开始加载数据"),
    "catalog.load.finish": _("完成加载数据"),
    "catalog.load.remove": _("删除已加载数据"),
    "catalog.rows.read": _("读取数据"),
    "catalog.rows.preview": _("预览数据"),
    "catalog.synonym.save": _("保存检索同义词"),
    "catalog.synonym.delete": _("删除检索同义词"),
    # 分类分级
    "grading.level.add": _("新增分级"),
    "grading.level.rename": _("修改分级名称"),
    "grading.level.remove": _("删除分级"),
    # 数据共享
    "sharing.application.submit": _("提交共享申请"),
    "sharing.application.approve": _("同意共享申请"),
    "sharing.application.co_approve": _("会签共享申请"),
    "sharing.application.refuse": _("拒绝共享申请"),
    "sharing.application.cancel": _("撤回共享申请"),
    "sharing.coordination.open": _("发起共享协调"),
    "sharing.coordination.escalate": _("上报共享协调"),
    "sharing.coordination.conclude": _("完成共享协调"),
    "sharing.deadline.remind": _("提醒共享审核期限"),
    "sharing.deadline.overdue": _("共享审核超期"),
    "sharing.deadline.shift": _("顺延共享审核期限"),
    "sharing.grant.create": _("授予共享权限"),
    "sharing.grant.renew": _("续期共享权限"),
    "sharing.grant.revoke": _("收回共享权限"),
    "sharing.grant.expire": _("共享权限到期"),
    "sharing.objection.raise": _("提出数据异议"),
    "sharing.policy.update": _("修改共享规则"),
    # 数据开放
    "openness.user.register": _("注册开放平台用户"),
    "openness.user.register.repeat": _("重复注册开放平台用户"),
    "openness.user.confirm": _("确认开放平台用户"),
    "openness.apikey.create": _("创建开放接口密钥"),
    "openness.apikey.renew": _("续期开放接口密钥"),
    "openness.apikey.revoke": _("吊销开放接口密钥"),
    "openness.api.call": _("调用开放接口"),
    "openness.download": _("下载开放数据"),
    "openness.preview": _("预览开放数据"),
    "openness.upload.create": _("上传开放数据"),
    "openness.application.submit": _("提交开放申请"),
    "openness.application.approve": _("同意开放申请"),
    "openness.application.refuse": _("拒绝开放申请"),
    "openness.application.overdue": _("开放申请超期"),
    "openness.application.rereview_request": _("申请复核开放申请"),
    "openness.application.rereview_decide": _("复核开放申请"),
    "openness.application.rereview_overdue": _("开放申请复核超期"),
    "openness.dataset.confirm_current": _("确认开放数据集为最新"),
    "openness.dataset.stale": _("开放数据集未按期更新"),
    "openness.dataset.withdraw": _("撤回开放数据集"),
    "openness.version.propose": _("提交开放数据集版本"),
    "openness.version.approve": _("发布开放数据集版本"),
    "openness.version.return": _("退回开放数据集版本"),
    "openness.policy.publish": _("发布开放规则"),
    # 安全事件、电子签名
    "incidents.evidence.read": _("查看事件证据"),
    "incidents.report_upward.read": _("查看事件上报"),
    "incidents.template.change": _("修改事件报告模板"),
    "signatures.certificate.issue": _("签发证书"),
    # 备份与恢复、用户与部门管理
    "backoffice.backup": _("数据备份"),
    "backoffice.restore": _("数据恢复"),
    "backoffice.restore_drill": _("恢复演练"),
    "accounts.user.change": _("修改用户"),
    "accounts.user.link_mail_failed": _("设置密码链接邮件发送失败"),
    "accounts.department.change": _("修改部门"),
    "signatures.certificate.revoke": _("吊销证书"),
    "signatures.evidence.download": _("下载签名证据"),
    "detection.rule.change": _("修改监测规则"),
    "detection.alert.close": _("关闭安全告警"),
    "detection.alert.escalate": _("升级安全告警"),
    "selfchecks.run.request": _("发起安全自查"),
    "selfchecks.run.schedule": _("安排安全自查"),
    "selfchecks.run.finish": _("完成安全自查"),
    "selfchecks.assessment.create": _("新建风险评估"),
    "selfchecks.assessment.update": _("修改风险评估"),
    # 审计日志
    "audit.view": _("查询审计日志"),
    "audit.api.view": _("通过接口查询审计日志"),
    "audit.entry.view": _("查看审计记录"),
    "audit.export": _("导出审计日志"),
    "audit.integrity.view": _("查看审计完整性"),
    "audit.heads.download": _("下载链头存证文件"),
    "audit.head.export": _("链头存证"),
    "audit.verify": _("校验审计日志"),
    "audit.verify.start": _("发起审计日志校验"),
    "audit.verify.view": _("查看校验结果"),
    "audit.retention.drop": _("清理到期审计日志"),
    "audit.retention.refused": _("拒绝清理审计日志"),
    "audit.usage.view": _("查看数据使用日志"),
    # 管理后台、访问控制
    "admin.add": _("后台新增"),
    "admin.change": _("后台修改"),
    "admin.delete": _("后台删除"),
    "admin.address_denied": _("后台访问地址被拒绝"),
    "admin.beat.protected_refused": _("拒绝修改受保护的定时任务"),
    "beat.protected_restored": _("恢复受保护的定时任务"),
    "request.denied": _("拒绝访问"),
    "http.body_too_large": _("请求体过大"),
}

# Object types of tuple targets that are not a model's "app_label.model_name".
OBJECT_TYPES = {
    "AuditVerification": _("完整性校验"),
}


def action_label(code: str) -> str:
    """The action's name; an unnamed code keeps its code (better the code than a wrong word)."""
    return str(ACTIONS.get(code, code))


def area_label(code: str) -> str:
    return str(AREAS.get(code.split(".", 1)[0], code.split(".", 1)[0]))


def object_type_label(object_type: str) -> str:
    """The model's verbose_name for "app_label.model_name", the table's name otherwise, else the code."""
    if not object_type:
        return ""
    if object_type in OBJECT_TYPES:
        return str(OBJECT_TYPES[object_type])
    if "." in object_type:
        app_label, model_name = object_type.split(".", 1)
        try:
            return str(apps.get_model(app_label, model_name)._meta.verbose_name)
        except (LookupError, ValueError):
            pass
    return object_type


def action_choices() -> list:
    """The pick-list: per area, "全部" (the area's prefix) then each named action, as optgroups."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, label in ACTIONS.items():
        area = code.split(".", 1)[0]
        groups.setdefault(area, [(f"{area}.", _("全部%(area)s操作") % {"area": area_label(code)})])
        groups[area].append((code, str(label)))
    return [(str(AREAS.get(area, area)), options) for area, options in groups.items()]


def object_type_choices() -> list[tuple[str, str]]:
    """Object types an entry may name: the portal's own models (not Django's or libraries'), by name."""
    from django.conf import settings

    root = str(settings.BASE_DIR)
    choices = []
    for config in apps.get_app_configs():
        if not str(config.path).startswith(root) or "/.venv/" in str(config.path):
            continue
        for model in config.get_models():
            meta = model._meta
            choices.append((f"{meta.app_label}.{meta.model_name}", f"{meta.verbose_name}（{meta.app_label}）"))
    choices += [(code, str(label)) for code, label in OBJECT_TYPES.items()]
    return sorted(choices, key=lambda choice: choice[0])
