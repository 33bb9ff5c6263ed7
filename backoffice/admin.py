"""The bureau admin's back office (Django admin, in Chinese by LANGUAGE_CODE). Every change is audited."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.services.departments import FIELDS as department_fields
from audit.services import record
from portal.models import CalendarDay, CalendarYear, Department, MissingCalendarYear, User
from portal.roles import Role
from portal.services.calendar import days_of_year, workday_states
from portal.services.roles import set_user_roles
from portal.workdays import validate_calendar_date, validate_calendar_year

admin.site.site_header = _("政务数据共享开放平台 · 管理后台")
admin.site.site_title = _("管理后台")
admin.site.index_title = _("平台管理")
# Roles are defined in code (portal.roles); nobody edits their permissions by hand.
admin.site.unregister(Group)

# Roles that one account may not hold together (Lhasa art. 39: separation of duties).
CONFLICTING_ROLES = [
    {Role.AUDITOR, Role.BUREAU_ADMIN},
    {Role.AUDITOR, Role.BUREAU_REVIEWER},
    {Role.AUDITOR, Role.DATA_OFFICER},
    {Role.PUBLIC, Role.DEPARTMENT_STAFF},
    {Role.PUBLIC, Role.DATA_OFFICER},
]


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit entry for every add, change and delete made in the admin site."""

    def log_addition(self, request, obj, message):
        record("admin.add", actor=request.user, target=obj, detail={"message": str(message)[:500]})
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        record("admin.change", actor=request.user, target=obj, detail={"message": str(message)[:500]})
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            record("admin.delete", actor=request.user, target=obj)
        return super().log_deletions(request, queryset)


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["name", "level", "parent", "uscc", "is_bureau", "is_active"]
    list_filter = ["level", "is_bureau", "is_active"]
    search_fields = ["name", "short_name", "code", "uscc"]
    autocomplete_fields = ["parent"]
    fields = list(department_fields)  # the fields the portal's department pages edit, one list


class RoleFieldMixin(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        self.acting_user = kwargs.pop("acting_user", None)
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = [r.value for r in self.instance.roles]

    def clean_roles(self):
        roles = {Role(r) for r in self.cleaned_data.get("roles", [])}
        for pair in CONFLICTING_ROLES:
            if pair <= roles:
                names = "、".join(str(r.label) for r in pair)
                raise ValidationError(_("职责分离：同一账号不能同时担任 %(roles)s。") % {"roles": names})
        if self.instance.pk and self.acting_user is not None and self.instance.pk == self.acting_user.pk:
            if roles != set(self.instance.roles):
                raise ValidationError(_("不能修改自己的角色，请由其他管理员操作。"))
        return roles

    def clean(self):
        cleaned = super().clean()
        roles = cleaned.get("roles") or set()
        if roles & set(Role.department_roles()) and not cleaned.get("department"):
            self.add_error("department", _("部门工作人员和数据管理员必须属于一个部门。"))
        return cleaned


class PortalUserCreationForm(RoleFieldMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "real_name", "email", "department"]


class PortalUserChangeForm(RoleFieldMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin's fieldsets choose the fields (modelform_factory)


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    list_display = ["username", "real_name", "department", "role_labels", "is_active", "last_login"]
    list_filter = ["is_active", "groups", "department"]
    search_fields = ["username", "real_name", "email", "phone"]
    autocomplete_fields = ["department"]
    ordering = ["username"]
    # No is_superuser, no raw groups or permissions: roles are the only way to give rights.
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("实名信息"), {"fields": ["real_name", "email", "phone", "title", "department"]}),
        (_("角色与状态"), {"fields": ["roles", "is_active"]}),
        (_("重要日期"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "real_name", "email", "department", "roles", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class FormWithActor(form_class):
            def __init__(self, *args, **kw):
                kw["acting_user"] = request.user
                super().__init__(*args, **kw)

        return FormWithActor

    @admin.display(description=_("角色"))
    def role_labels(self, obj):
        return "、".join(str(r.label) for r in obj.roles)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department").prefetch_related("groups")

    def save_model(self, request, obj, form, change):
        roles = form.cleaned_data.get("roles", set())
        obj.is_staff = Role.BUREAU_ADMIN in roles
        super().save_model(request, obj, form, change)
        set_user_roles(obj, roles)


class CalendarDayAdminForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin chooses the fields (modelform_factory)

    def clean_date(self):
        date = self.cleaned_data["date"]
        validate_calendar_date(date)  # SECURITY.md 22.2: the calendar's one range of years
        return date


class CalendarYearAdminForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin chooses the fields (modelform_factory)

    def clean_year(self):
        year = self.cleaned_data["year"]
        validate_calendar_year(year)
        return year


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    form = CalendarDayAdminForm
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]

    # Like portal.services.calendar: a date that becomes a working day or stops being one moves the
    # open deadlines whose window holds it, in the same transaction as the edit.
    def save_model(self, request, obj, form, change):
        if obj.kind == CalendarDay.Kind.WORKDAY and obj.date.weekday() < 5:
            from django.contrib import messages

            messages.warning(request, _("调休上班日通常为周六或周日，请核对。"))
        dates = {obj.date}
        if change and "date" in form.changed_data and form.initial.get("date"):
            dates.add(form.initial["date"])  # the row moved from that date: it changes too
        before = workday_states(dates)
        super().save_model(request, obj, form, change)
        _shift(request, before)

    def delete_model(self, request, obj):
        before = workday_states({obj.date})
        super().delete_model(request, obj)
        _shift(request, before)

    def delete_queryset(self, request, queryset):
        before = workday_states(set(queryset.values_list("date", flat=True)))
        super().delete_queryset(request, queryset)
        _shift(request, before)


def _shift(request, before: dict) -> None:
    from portal.deadline_shifts import shift_open_deadlines

    shift_open_deadlines(actor=request.user, before=before)


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdmin):
    form = CalendarYearAdminForm
    list_display = ["year", "source", "recorded_at"]

    def save_model(self, request, obj, form, change):
        before = {} if change else workday_states(days_of_year(obj.year))
        super().save_model(request, obj, form, change)
        MissingCalendarYear.objects.filter(year=obj.year).delete()
        if before:
            _shift(request, before)


@admin.register(MissingCalendarYear)
class MissingCalendarYearAdmin(AuditedAdmin):
    list_display = ["year", "first_needed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# SECURITY.md 14.15: django-otp's TOTP device admin shows each device's key and QR code: whoever reads it
# could produce the user's codes. Devices are reset on /accounts/security/ (audited), never viewed.
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
