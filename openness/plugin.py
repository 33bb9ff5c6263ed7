"""What the open-data app brings to the portal (portal.plugins)."""

from django.utils.translation import gettext_lazy as _

from openness import deadline_shifts, inbox, metrics
from openness.credentials import revoke_keys_of
from openness.services import publishing
from openness.services.uploads import upload_max_bytes
from portal.navigation import NavItem
from portal.plugins import Plugin
from portal.roles import Role

PLUGIN = Plugin(
    navigation=(
        NavItem("open-publish", _("开放发布"), "openness:manage", order=40, roles=frozenset({Role.DATA_OFFICER})),
        NavItem(
            "open-review", _("开放审核"), "openness:review_queue", order=41, roles=frozenset({Role.BUREAU_REVIEWER})
        ),
        NavItem(
            "open-applications",
            _("开放申请"),
            "openness:applications",
            order=42,
            roles=frozenset({Role.PUBLIC, Role.DATA_OFFICER, Role.BUREAU_REVIEWER}),
        ),
        NavItem("open-keys", _("接口密钥"), "openness:keys", order=43, roles=frozenset({Role.PUBLIC})),
    ),
    notification_kinds={
        "openness.review_waiting": _("开放数据待审核"),
        "openness.published": _("开放数据已发布"),
        "openness.returned": _("开放数据发布被退回"),
        "openness.withdrawn": _("开放数据已撤回"),
        "openness.stale": _("开放数据未按时更新"),
        "openness.application": _("依申请开放：收到申请"),
        "openness.application.approved": _("依申请开放：申请已同意"),
        "openness.application.refused": _("依申请开放：申请未同意"),
        "openness.application.overdue": _("依申请开放：答复已超期"),
        "openness.rereview": _("依申请开放：复核请求"),
        "openness.application.rereviewed": _("依申请开放：复核结果"),
        "openness.rereview.overdue": _("依申请开放：复核已超期"),
    },
    inbox_sources=inbox.SOURCES,
    inbox_not_counted=inbox.NOT_COUNTED,
    metrics=(metrics.PROVIDER,),
    role_permissions={
        Role.BUREAU_REVIEWER: (
            "openness.review_datasetversion",
            "openness.view_all_datasets",
            "openness.rereview_application",
        ),
        Role.PUBLIC: ("openness.add_application", "openness.add_apikey"),
    },
    # Lhasa art. 37: the open dataset of a withdrawn catalog entry is withdrawn and announced.
    withdrawal_handlers=(publishing.withdraw_for_withdrawn_entry,),
    deadline_shifters=(deadline_shifts.shift_application_deadlines,),
    # SECURITY.md 14.9: a new password revokes the user's open-data API keys.
    credential_revokers={"openness_api_keys": revoke_keys_of},
    upload_max_bytes=(upload_max_bytes,),
)
