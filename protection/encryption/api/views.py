"""GET /api/encryption/status/: the key status page's figures as JSON (bureau admin, auditor)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.permissions import require

from ..selectors import VIEW, status


class StatusView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        require(request.user, VIEW)
        return Response(status())
