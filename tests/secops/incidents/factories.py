"""An incident reported by a data officer, for the tests of what happens next."""

from secops.incidents.services import report_incident


def reported(officer, **overrides):
    fields = {
        "title": "低保数据疑似外泄",
        "kind": "leak",
        "level": "larger",
        "description": "发现一份低保对象名单出现在外部网站。",
        "exposed": "姓名、身份证号、救助金额",
        "advice": "请核对本部门使用记录，如有异常立即报告。",
    }
    return report_incident(actor=officer, **{**fields, **overrides})
