from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpennessConfig(AppConfig):
    name = "openness"
    verbose_name = _("数据开放")

    def ready(self):
        from openness import inbox
        from portal import navigation, notification_kinds
        from portal.roles import Role, register_role_permissions

        register_role_permissions(Role.BUREAU_REVIEWER, "openness.review_datasetversion",
                                  "openness.view_all_datasets", "openness.rereview_application")
        register_role_permissions(Role.PUBLIC, "openness.add_application", "openness.add_apikey")
        navigation.register(navigation.NavItem("open-publish", _("开放发布"), "openness:manage", order=40,
                                               roles=frozenset({Role.DATA_OFFICER})))
        navigation.register(navigation.NavItem("open-review", _("开放审核"), "openness:review_queue", order=41,
                                               roles=frozenset({Role.BUREAU_REVIEWER})))
        navigation.register(navigation.NavItem("open-applications", _("开放申请"), "openness:applications",
                                               order=42, roles=frozenset({Role.PUBLIC, Role.DATA_OFFICER,
                                                                          Role.BUREAU_REVIEWER})))
        navigation.register(navigation.NavItem("open-keys", _("接口密钥"), "openness:keys", order=43,
                                               roles=frozenset({Role.PUBLIC})))
        for kind, label in [
            ("openness.review_waiting", _("开放数据待审核")),
            ("openness.published", _("开放数据已发布")),
            ("openness.returned", _("开放数据发布被退回")),
            ("openness.withdrawn", _("开放数据已撤回")),
            ("openness.stale", _("开放数据未按时更新")),
            ("openness.application", _("依申请开放：收到申请")),
            ("openness.application.approved", _("依申请开放：申请已同意")),
            ("openness.application.refused", _("依申请开放：申请未同意")),
            ("openness.application.overdue", _("依申请开放：答复已超期")),
            ("openness.rereview", _("依申请开放：复核请求")),
            ("openness.application.rereviewed", _("依申请开放：复核结果")),
            ("openness.rereview.overdue", _("依申请开放：复核已超期")),
        ]:
            notification_kinds.register(kind, label)
        inbox.register_sources()

        # Lhasa art. 37: the open dataset of a withdrawn catalog entry is withdrawn and announced.
        from catalog import withdrawal
        from openness.services import publishing

        withdrawal.register("openness.datasets", publishing.withdraw_for_withdrawn_entry)

        from openness.services.uploads import upload_max_bytes
        from portal import uploads

        uploads.register_upload_max(upload_max_bytes)

        from openness import metrics

        metrics.register_metrics()

        # Issue 14.9: a new password revokes the user's open-data API keys.
        from openness.credentials import revoke_keys_of
        from portal.services.credentials import register_revoker

        register_revoker("openness_api_keys", revoke_keys_of)
