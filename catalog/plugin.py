"""What the catalog brings to the portal (portal.plugins)."""

from django.utils.translation import gettext_lazy as _

from catalog import deadline_shifts, inbox, metrics
from catalog.services.loads import upload_max_bytes
from portal.navigation import STAFF, NavItem
from portal.plugins import Plugin
from portal.roles import Role

_BUREAU = (
    "catalog.review_entryversion",
    "catalog.view_all_entries",
    "catalog.view_all_rows",
    "catalog.add_dutychange",
    "catalog.view_dutychange",
)
# 检索同义词 (issue 18 part 8): the bureau admin edits them (catalog.services.synonyms)
_SYNONYMS = (
    "catalog.view_searchsynonym",
    "catalog.add_searchsynonym",
    "catalog.change_searchsynonym",
    "catalog.delete_searchsynonym",
)


def _connect() -> None:
    """The facet counts are cached; a change of an entry or a version forgets them."""
    from django.db.models.signals import post_delete, post_save

    from catalog.models import EntryVersion, ResourceEntry
    from catalog.selectors import forget_facet_counts

    for model in (ResourceEntry, EntryVersion):
        post_save.connect(forget_facet_counts, sender=model, dispatch_uid=f"catalog-facets-save-{model.__name__}")
        post_delete.connect(forget_facet_counts, sender=model, dispatch_uid=f"catalog-facets-delete-{model.__name__}")

    # Grading (docs/grading.md): a grade level may be removed only while no version or item uses it.
    from protection.grading.levels import register_usage_check

    register_usage_check(_level_in_use)


def _level_in_use(number: int) -> bool:
    from catalog.models import DataItem, EntryVersion

    return (
        DataItem.objects.filter(grade_level__gte=number).exists()
        or EntryVersion.objects.filter(grade_level__gte=number).exists()
    )


PLUGIN = Plugin(
    navigation=(
        NavItem("catalog", _("资源目录"), "catalog:list", roles=STAFF, order=20),
        NavItem(
            "catalog-review", _("目录审核"), "catalog:review_queue", roles=frozenset({Role.BUREAU_REVIEWER}), order=21
        ),
        NavItem(
            "catalog-duties",
            _("目录更新"),
            "catalog:duties",
            order=22,
            roles=frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN, Role.DATA_OFFICER}),
        ),
        # issue 18 part 8: the bureau admin keeps the search synonyms; the reviewer reads them
        NavItem(
            "catalog-synonyms",
            _("检索同义词"),
            "catalog:synonyms",
            order=23,
            roles=frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN}),
        ),
    ),
    notification_kinds={
        "catalog.review_waiting": _("资源目录待审核"),
        "catalog.approved": _("资源目录已发布"),
        "catalog.returned": _("资源目录被退回"),
        "catalog.withdrawn": _("资源目录已撤销"),
        "catalog.duty": _("目录更新任务"),
        "catalog.duty_reminder": _("目录更新即将到期"),
        "catalog.duty_overdue": _("目录更新已超期"),
        "catalog.maintenance_due": _("目录年度维护"),
    },
    inbox_sources=inbox.SOURCES,
    metrics=(metrics.PROVIDER,),
    role_permissions={
        Role.BUREAU_REVIEWER: (*_BUREAU, "catalog.view_searchsynonym"),
        Role.BUREAU_ADMIN: (*_BUREAU, "catalog.delete_dataload", *_SYNONYMS),
    },
    deadline_shifters=(deadline_shifts.shift_update_duties,),
    upload_max_bytes=(upload_max_bytes,),
    connect=_connect,
)
