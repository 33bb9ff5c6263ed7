"""The kinds of notification, for the preferences page. Apps add theirs with register()."""
from django.utils.translation import gettext_lazy as _

KINDS: dict[str, str] = {}


def register(kind: str, label) -> None:
    KINDS[kind] = label


for _kind, _label in [
    ("catalog.review_waiting", _("资源目录待审核")),
    ("catalog.approved", _("资源目录已发布")),
    ("catalog.returned", _("资源目录被退回")),
    ("catalog.withdrawn", _("资源目录已撤销")),
    ("catalog.duty", _("目录更新任务")),
    ("catalog.duty_reminder", _("目录更新即将到期")),
    ("catalog.duty_overdue", _("目录更新已超期")),
    ("catalog.maintenance_due", _("目录年度维护")),
    ("audit.usage_summary", _("月度数据使用日志")),
]:
    register(_kind, _label)
