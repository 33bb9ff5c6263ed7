"""System checks: the portal refuses to start with a retention under 3 years (Lhasa art. 41)."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def retention_at_least_three_years(app_configs, **kwargs):
    from audit.services.retention import MINIMUM_YEARS, retention_years

    try:
        retention_years()
    except ImproperlyConfigured:
        return [
            Error(
                f"AUDIT_RETENTION_YEARS={settings.AUDIT_RETENTION_YEARS!r} is under the legal minimum.",
                hint=f"审计日志至少保存 {MINIMUM_YEARS} 年（拉萨市办法第四十一条）：设置 AUDIT_RETENTION_YEARS >= {MINIMUM_YEARS}。",
                id="audit.E001",
            )
        ]
    return []
