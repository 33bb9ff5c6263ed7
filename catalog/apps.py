from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("资源目录")

    def ready(self):
        from catalog import inbox, metrics
        from portal import navigation
        from portal.roles import Role, register_role_permissions

        bureau = ("catalog.review_entryversion", "catalog.view_all_entries", "catalog.view_all_rows",
                  "catalog.add_dutychange", "catalog.view_dutychange")
        register_role_permissions(Role.BUREAU_REVIEWER, *bureau)
        register_role_permissions(Role.BUREAU_ADMIN, *bureau, "catalog.delete_dataload")
        navigation.register(navigation.NavItem("catalog", _("资源目录"), "catalog:list",
                                               roles=navigation.STAFF, order=20))
        navigation.register(navigation.NavItem("catalog-review", _("目录审核"), "catalog:review_queue",
                                               roles=frozenset({Role.BUREAU_REVIEWER}), order=21))
        navigation.register(navigation.NavItem("catalog-duties", _("目录更新"), "catalog:duties", order=22,
                                               roles=frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN,
                                                                Role.DATA_OFFICER})))
        inbox.register_sources()
        metrics.register_metrics()
        from catalog.services.loads import upload_max_bytes
        from portal import uploads

        uploads.register_upload_max(upload_max_bytes)
        _forget_facet_counts_on_change()


def _forget_facet_counts_on_change():
    from django.db.models.signals import post_delete, post_save

    from catalog.models import EntryVersion, ResourceEntry
    from catalog.selectors import forget_facet_counts

    for model in (ResourceEntry, EntryVersion):
        post_save.connect(forget_facet_counts, sender=model, dispatch_uid=f"catalog-facets-save-{model.__name__}")
        post_delete.connect(forget_facet_counts, sender=model, dispatch_uid=f"catalog-facets-delete-{model.__name__}")
