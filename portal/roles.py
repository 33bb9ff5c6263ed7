"""The six roles of the spec, kept as Django groups named by their code.

Convention for permissions (see portal.permissions):
- a *city-wide* role (bureau reviewer, bureau admin, auditor) holds model permissions that apply
  to every object of the model;
- a *department* role (department staff, data officer) holds model permissions as capabilities
  that apply only to objects its department (or the user) was granted with guardian.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", _("大数据局管理员")
    BUREAU_REVIEWER = "bureau_reviewer", _("大数据局审核员")
    AUDITOR = "auditor", _("审计员")
    DATA_OFFICER = "data_officer", _("部门数据管理员")
    DEPARTMENT_STAFF = "department_staff", _("部门工作人员")
    PUBLIC = "public", _("公众用户")

    @classmethod
    def ordered(cls) -> list["Role"]:
        return list(cls)

    @classmethod
    def city_wide(cls) -> tuple["Role", ...]:
        return (cls.BUREAU_ADMIN, cls.BUREAU_REVIEWER, cls.AUDITOR)

    @classmethod
    def department_roles(cls) -> tuple["Role", ...]:
        return (cls.DATA_OFFICER, cls.DEPARTMENT_STAFF)


# Model permissions of each role on the portal's own models, as "app_label.codename". Apps add theirs
# in their plugin (portal.plugins, `role_permissions`); ensure_role_groups() applies role_permissions().
ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.BUREAU_ADMIN: {
        "portal.add_department",
        "portal.change_department",
        "portal.view_department",
        "portal.add_user",
        "portal.change_user",
        "portal.view_user",
        "portal.add_calendarday",
        "portal.change_calendarday",
        "portal.delete_calendarday",
        "portal.view_calendarday",
        "portal.add_calendaryear",
        "portal.change_calendaryear",
        "portal.delete_calendaryear",
        "portal.view_calendaryear",
        "portal.view_missingcalendaryear",
        "portal.delete_missingcalendaryear",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accesslog",
        "django_celery_beat.view_periodictask",
        "django_celery_beat.change_periodictask",
        "portal.view_evaluation",
    },
    Role.BUREAU_REVIEWER: {"portal.view_department", "portal.view_user", "portal.view_evaluation"},
    Role.AUDITOR: {"audit.view_auditentry", "portal.view_department"},
    Role.DATA_OFFICER: {
        "portal.view_department",
        "portal.maintain_catalog",
        "portal.review_share_requests",
        "portal.publish_open_data",
    },
    Role.DEPARTMENT_STAFF: {"portal.view_department"},
    Role.PUBLIC: set(),
}

# What a department's group is granted on its own department object at creation.
DEPARTMENT_SELF_PERMISSIONS = (
    "portal.maintain_catalog",
    "portal.review_share_requests",
    "portal.publish_open_data",
)


def role_permissions(role: Role) -> set[str]:
    """The role's model permissions: the portal's own and those every installed app adds."""
    from portal import plugins

    perms = set(ROLE_PERMISSIONS[role])
    for plugin in plugins.plugins():
        perms.update(plugin.role_permissions.get(role, ()))
    return perms


def role_group_name(role: Role) -> str:
    return role.value


def department_group_name(department_id: int) -> str:
    return f"department:{department_id}"
