"""The account management API (issue 19 part 6): the same services and scope as the pages, under
/api/accounts/users/ and /api/accounts/departments/."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts import selectors
from accounts.services import departments, staff
from accounts.services.departments import FIELDS as DEPARTMENT_FIELDS
from portal.errors import PermissionDeniedError
from portal.models import Department, User
from portal.roles import Role


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    department_name = serializers.CharField(source="department.name", default="", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "real_name", "department", "department_name", "roles", "email", "phone", "title"]
        fields += ["is_active", "last_login"]
        read_only_fields = fields

    def get_roles(self, user) -> list[dict]:
        return [{"code": r.value, "name": str(r.label)} for r in user.roles]


class UserWriteSerializer(serializers.Serializer):
    real_name = serializers.CharField(max_length=50)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), allow_null=True, required=False, default=None
    )
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), allow_empty=False)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)


class UserCreateSerializer(UserWriteSerializer):
    username = serializers.CharField(max_length=150)


class LinkSerializer(serializers.Serializer):
    user = UserSerializer()
    url = serializers.CharField(help_text=_("一次性设置密码链接"))
    mailed_to = serializers.CharField()


class DeactivateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class UnlockSerializer(serializers.Serializer):
    attempts_cleared = serializers.IntegerField()


def _site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _link(link) -> Response:
    return Response(
        {"user": UserSerializer(link.user).data, "url": link.url, "mailed_to": link.mailed_to},
        status=status.HTTP_201_CREATED,
    )


class StaffUserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The accounts the caller manages: every one for the bureau admin, their own department's staff
    for a data officer."""

    serializer_class = UserSerializer
    filterset_fields = ["department", "is_active"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not selectors.may_manage_staff(request.user):
            raise PermissionDeniedError()

    def get_queryset(self):
        return selectors.users_manageable_by(self.request.user)

    def get_object(self):
        return staff.manageable_user(self.request.user, self.kwargs["pk"])

    def _fresh(self, pk) -> Response:
        return Response(UserSerializer(User.objects.get(pk=pk)).data)

    @extend_schema(request=UserCreateSerializer, responses={201: LinkSerializer})
    def create(self, request):
        form = UserCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return _link(staff.user_create(actor=request.user, site_url=_site_url(request), **form.validated_data))

    @extend_schema(request=UserWriteSerializer, responses=UserSerializer)
    def partial_update(self, request, pk=None):
        user = self.get_object()
        current = {
            "real_name": user.real_name,
            "department": user.department_id,
            "roles": [r.value for r in user.roles],
            "email": user.email,
            "phone": user.phone,
            "title": user.title,
        }
        form = UserWriteSerializer(data={**current, **request.data})
        form.is_valid(raise_exception=True)
        staff.user_change(actor=request.user, pk=user.pk, **form.validated_data)
        return self._fresh(user.pk)

    @extend_schema(request=DeactivateSerializer, responses=UserSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        form = DeactivateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = self.get_object()
        staff.user_deactivate(actor=request.user, pk=user.pk, reason=form.validated_data["reason"])
        return self._fresh(user.pk)

    @extend_schema(request=None, responses=UserSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        user = self.get_object()
        staff.user_reactivate(actor=request.user, pk=user.pk)
        return self._fresh(user.pk)

    @extend_schema(request=None, responses=UnlockSerializer)
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        user = self.get_object()
        return Response({"attempts_cleared": staff.user_unlock(actor=request.user, pk=user.pk)})

    @extend_schema(request=None, responses={201: LinkSerializer})
    @action(detail=True, methods=["post"], url_path="password-reset")
    def password_reset(self, request, pk=None):
        user = self.get_object()
        return _link(staff.user_password_reset(actor=request.user, pk=user.pk, site_url=_site_url(request)))


class DepartmentWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", *DEPARTMENT_FIELDS]
        # the services check uniqueness and the tree in one transaction (accounts.services.departments)
        extra_kwargs = {"code": {"validators": []}, "uscc": {"validators": []}}


class ManagedDepartmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The bureau admin adds, renames, moves and switches off departments."""

    serializer_class = DepartmentWriteSerializer

    def get_queryset(self):
        return selectors.departments_managed_by(self.request.user)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not selectors.departments_managed_by(request.user).exists() or not selectors.may_manage_staff(request.user):
            raise PermissionDeniedError()

    def create(self, request):
        form = DepartmentWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        department = departments.department_create(actor=request.user, **form.validated_data)
        return Response(DepartmentWriteSerializer(department).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        department = self.get_object()
        form = DepartmentWriteSerializer(department, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        department = departments.department_change(actor=request.user, pk=department.pk, **form.validated_data)
        return Response(DepartmentWriteSerializer(department).data)
