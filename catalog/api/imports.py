"""Catalog import for API clients (docs/features.md C6, SECURITY.md 14.7): upload a workbook, then read the import's state.

The same service as the import page: a small workbook is imported during the request (201 with
the result), a large one by a Celery job (202, pending; GET the import until it is done).
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from catalog import selectors
from catalog.models import CatalogImport
from catalog.services import imports
from portal.api.schema import file_upload
from portal.visibility import visible_or_404


class CatalogImportSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField(help_text=_("后台导入时已读取的行数"))

    class Meta:
        model = CatalogImport
        fields = [
            "id",
            "status",
            "filename",
            "file_size",
            "in_background",
            "progress",
            "rows",
            "created",
            "refused",
            "message",
            "created_at",
            "finished_at",
        ]

    def get_progress(self, job) -> int | None:
        return imports.import_progress(job)


class CatalogImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class ImportViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Imports of catalog entries from the exported Excel layout: upload, then read the state."""

    serializer_class = CatalogImportSerializer
    parser_classes = [MultiPartParser]
    pagination_class = None

    def get_queryset(self):
        return CatalogImport.objects.select_related("department")

    def get_object(self):
        from catalog.api.views import object_pk

        # SECURITY.md 14.4: someone else's import is a 404, audited
        return visible_or_404(selectors.imports_visible_to(self.request.user), pk=object_pk(self.kwargs["pk"]))

    @extend_schema(
        request=file_upload(CatalogImportUploadSerializer, "目录.xlsx"),
        responses={201: CatalogImportSerializer, 202: CatalogImportSerializer},
    )
    def create(self, request):
        department = request.user.department
        if department is None:
            raise PermissionDenied(_("只有部门用户可以导入资源目录。"))
        data = CatalogImportUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = imports.import_start(actor=request.user, department=department, upload=data.validated_data["file"])
        code = status.HTTP_202_ACCEPTED if job.status == CatalogImport.Status.PENDING else status.HTTP_201_CREATED
        return Response(CatalogImportSerializer(job).data, status=code)
