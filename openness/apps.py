from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpennessConfig(AppConfig):
    name = "openness"
    verbose_name = _("数据开放")

    def ready(self):
        from openness import inbox
        from portal import navigation
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
        inbox.register_sources()

        from openness import metrics

        metrics.register_metrics()
