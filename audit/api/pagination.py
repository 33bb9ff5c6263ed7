from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from audit.pagination import keyset_page


class KeysetPagination(BasePagination):
    """{"next": url or null, "results": [...]}: newest first, `cursor` from the previous page."""

    page_size = 50
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        try:
            rows, self.next_cursor = keyset_page(
                queryset, cursor=request.query_params.get(self.cursor_query_param), size=self.page_size
            )
        except ValueError:
            raise ValidationError({self.cursor_query_param: [_("分页参数无效，请从第一页重新查询。")]}) from None
        return rows

    def get_next_link(self):
        if not self.next_cursor:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, self.next_cursor)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {"type": "object", "properties": {"next": {"type": "string", "nullable": True}, "results": schema}}
