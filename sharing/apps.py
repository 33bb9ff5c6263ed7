from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = _("数据共享")

    def ready(self):
        from catalog import selectors as catalog_selectors
        from portal import navigation, notification_kinds
        from portal.roles import Role, register_role_permissions
        from sharing import inbox, selectors

        department = ("sharing.apply_for_data", "sharing.use_grant")
        register_role_permissions(Role.DEPARTMENT_STAFF, *department)
        register_role_permissions(Role.DATA_OFFICER, *department)
        bureau = ("sharing.view_all_applications", "sharing.revoke_any_grant", "sharing.view_scenario",
                  "sharing.view_deadline")
        register_role_permissions(Role.BUREAU_REVIEWER, *bureau, "sharing.review_unconditional",
                                  "sharing.rule_escalated")
        register_role_permissions(Role.BUREAU_ADMIN, *bureau, "sharing.add_scenario", "sharing.change_scenario",
                                  "sharing.view_sharingpolicy", "sharing.change_sharingpolicy")

        staff = navigation.STAFF
        navigation.register(navigation.NavItem("sharing", _("数据共享"), "sharing:home", roles=staff, order=30))
        navigation.register(navigation.NavItem("sharing-review", _("共享审核"), "sharing:review", order=31,
                                               roles=frozenset({Role.DATA_OFFICER, Role.BUREAU_REVIEWER})))
        navigation.register(navigation.NavItem("sharing-scenarios", _("应用场景"), "sharing:scenarios", order=32,
                                               roles=frozenset({Role.BUREAU_ADMIN})))

        for kind, label in [
            ("sharing.application_received", _("共享申请待审核")),
            ("sharing.application_decided", _("共享申请结果")),
            ("sharing.deadline_reminder", _("共享事项即将到期")),
            ("sharing.deadline_overdue", _("共享事项已超期")),
            ("sharing.escalated", _("逾期事项上报大数据局")),
            ("sharing.grant_changed", _("共享授权撤销或到期")),
            ("sharing.grant_expiring", _("共享授权即将到期")),
            ("sharing.objection", _("数据异议")),
            ("sharing.coordination", _("协调申请")),
        ]:
            notification_kinds.register(kind, label)

        if selectors.grants_full_rows not in catalog_selectors.ROW_ACCESS_CHECKS:
            catalog_selectors.ROW_ACCESS_CHECKS.append(selectors.grants_full_rows)
        inbox.register_sources()

        # A withdrawn catalog entry ends what waits on it and what is granted on it (Hechi 2nd art. 29):
        # applications first, so that a renewal being decided is settled before the grants are read.
        from catalog import withdrawal
        from sharing.services import applications, coordination, grants

        withdrawal.register("sharing.applications", applications.refuse_for_withdrawn_entry)
        withdrawal.register("sharing.coordinations", coordination.close_for_withdrawn_entry)
        withdrawal.register("sharing.grants", grants.revoke_for_withdrawn_entry)

        from sharing import metrics

        metrics.register_metrics()
