"""Filters of the audit log, shared by the auditor's pages, the export and the API.

Every filter maps to an indexed column (time range, department, actor, action, object); bad input
is a form error (HTTP 400 with a Chinese message), never a 500.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import validate_ipv46_address
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from audit.labels import action_choices, object_type_choices
from audit.models import AuditEntry, Outcome
from portal.selectors import department_tree


class Moment:
    """A point in time typed by the user, remembering whether only a date was given."""

    def __init__(self, value: dt.datetime, date_only: bool):
        self.value, self.date_only = value, date_only

    def __str__(self):
        return self.value.date().isoformat() if self.date_only else self.value.isoformat()


class MomentField(forms.CharField):
    default_error_messages = {"invalid": _("请输入有效的日期或时间，例如 2026-01-31 或 2026-01-31 08:30。")}

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return Moment(timezone.make_aware(dt.datetime.combine(day, dt.time.min)), True)
        try:
            moment = parse_datetime(value.replace(" ", "T", 1))
        except ValueError:
            moment = None
        if moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return Moment(moment, False)


@extend_schema_field(OpenApiTypes.STR)  # a date (2026-01-31) or a date-time (2026-01-31 08:30)
class MomentFilter(django_filters.Filter):
    """since: from this instant (or the start of this day); until: up to this instant (or the end of this day)."""

    field_class = MomentField

    def __init__(self, *args, end: bool = False, **kwargs):
        self.end = end
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        if not self.end:
            return qs.filter(occurred_at__gte=value.value)
        if value.date_only:
            return qs.filter(occurred_at__lt=value.value + dt.timedelta(days=1))
        return qs.filter(occurred_at__lte=value.value)


def department_choices() -> list[tuple[str, str]]:
    """Every department, as a tree: 市, then its 县/区 and departments, indented."""
    choices: list[tuple[str, str]] = []

    def walk(nodes, depth):
        for node in nodes:
            department = node["department"]
            choices.append((str(department.pk), "\u3000" * depth + department.name))
            walk(node["children"], depth + 1)

    walk(department_tree(active_only=False), 0)
    return choices


class AuditEntryFilter(django_filters.FilterSet):
    since = MomentFilter(label=_("起始时间"))
    until = MomentFilter(label=_("截止时间"), end=True)
    department = django_filters.ChoiceFilter(
        label=_("部门"), choices=department_choices, method="by_department", empty_label=_("全部部门")
    )
    owner_department = django_filters.ChoiceFilter(
        label=_("数据提供部门"), choices=department_choices, method="by_owner", empty_label=_("全部部门")
    )
    actor = django_filters.CharFilter(
        label=_("操作人"), method="by_actor", max_length=150, help_text=_("账号或真实姓名")
    )
    action = django_filters.CharFilter(
        label=_("操作"),
        field_name="action",
        lookup_expr="startswith",
        max_length=60,
        help_text=_("操作代码或其前缀，如 catalog."),
    )
    outcome = django_filters.ChoiceFilter(label=_("结果"), choices=Outcome.choices, empty_label=_("全部结果"))
    object_type = django_filters.CharFilter(label=_("对象类型"), max_length=60)
    object_id = django_filters.CharFilter(label=_("对象ID"), max_length=64)
    client_ip = django_filters.CharFilter(label=_("客户端地址"), method="by_ip", max_length=45)
    request_id = django_filters.CharFilter(label=_("请求ID"), max_length=64)

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def by_department(self, qs, name, value: str):
        return qs.filter(department_id=int(value))

    def by_owner(self, qs, name, value: str):
        return qs.filter(owner_department_id=int(value))

    def by_actor(self, qs, name, value):
        value = value.strip()
        ids = list(
            get_user_model().objects.filter(Q(username=value) | Q(real_name=value)).values_list("pk", flat=True)[:50]
        )
        # Entries outlive accounts: a removed account is still found by the name the entry kept.
        return qs.filter(Q(actor_id__in=ids) | Q(actor_username=value)) if ids else qs.filter(actor_username=value)

    def by_ip(self, qs, name, value):
        return qs.filter(client_ip=value.strip())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["client_ip"].validators.append(validate_ipv46_address)
        # Pick-lists in words (issue 19, part 8); the fields stay text, so the API and a typed URL
        # still filter by any code or prefix.
        self.form.fields["action"].widget = forms.Select(choices=[("", _("全部操作")), *action_choices()])
        self.form.fields["object_type"].widget = forms.Select(choices=[("", _("全部对象类型")), *object_type_choices()])
        for field in self.form.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)
        self.form.fields["since"].widget.attrs["placeholder"] = "2026-01-01"
        self.form.fields["until"].widget.attrs["placeholder"] = "2026-01-31 18:00"

    def applied(self) -> dict:
        """The filters in use, as text (for the audit entry of a search or an export)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: str(v) for k, v in self.form.cleaned_data.items() if v not in (None, "")}
