"""API of the search synonyms (issue 18 part 8): the bureau admin lists, adds, changes and deletes them,
the bureau reviewer reads them; the same services as the page (catalog.services.synonyms)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from catalog.api.views import object_pk
from catalog.services import synonyms as service
from catalog.synonyms import SearchSynonym
from portal.api.permissions import PortalPermission


class SynonymSerializer(serializers.ModelSerializer):
    updated_by = serializers.CharField(source="updated_by.username", read_only=True)

    class Meta:
        model = SearchSynonym
        fields = ["id", "term", "synonyms", "updated_by", "updated_at", "created_at"]
        read_only_fields = fields


@extend_schema_field(
    {
        "oneOf": [{"type": "array", "items": {"type": "string"}, "maxItems": 10}, {"type": "string"}],
        "description": "A list of words, or one string separated by commas, 、, ; or new lines.",
    }
)
class WordsField(serializers.Field):
    """A list of words or one string of them; the service checks each word (one place for the rules)."""

    default_error_messages = {"invalid": _("同义词应为字符串或字符串列表。")}

    def to_internal_value(self, data):
        if isinstance(data, str):
            return data[:2000]
        if isinstance(data, list) and all(isinstance(word, str) for word in data):
            return data[:100]
        self.fail("invalid")

    def to_representation(self, value):
        return value


class SynonymWriteSerializer(serializers.Serializer):
    term = serializers.CharField(max_length=200, help_text="1-50 CJK characters, letters, digits or spaces.")
    synonyms = WordsField(help_text="1-10 words, each 1-50 CJK characters, letters, digits or spaces.")


class SynonymViewSet(viewsets.ViewSet):
    """检索同义词: a term and the words a search for it also looks for (养老院 → 养老机构)."""

    permission_classes = [IsAuthenticated, PortalPermission]
    required_perms = {
        "GET": "catalog.view_searchsynonym",
        "POST": "catalog.add_searchsynonym",
        "PUT": "catalog.change_searchsynonym",
        "PATCH": "catalog.change_searchsynonym",
        "DELETE": "catalog.delete_searchsynonym",
    }
    serializer_class = SynonymSerializer
    queryset = SearchSynonym.objects.all()  # for the schema's type of the id; reads go through _row

    def _row(self, pk) -> SearchSynonym:
        return get_object_or_404(SearchSynonym, pk=object_pk(pk))

    @extend_schema(responses={200: SynonymSerializer(many=True)})
    def list(self, request):
        rows = SearchSynonym.objects.select_related("updated_by").order_by("term")
        return Response(SynonymSerializer(rows, many=True).data)

    @extend_schema(request=SynonymWriteSerializer, responses={201: SynonymSerializer})
    def create(self, request):
        body = SynonymWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = service.synonym_create(actor=request.user, **body.validated_data)
        return Response(SynonymSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: SynonymSerializer})
    def retrieve(self, request, pk=None):
        return Response(SynonymSerializer(self._row(pk)).data)

    def _change(self, request, pk, *, partial: bool):
        row = self._row(pk)
        body = SynonymWriteSerializer(data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        values = {"term": row.term, "synonyms": list(row.synonyms), **body.validated_data}
        row = service.synonym_change(actor=request.user, synonym=row, **values)
        return Response(SynonymSerializer(row).data)

    @extend_schema(request=SynonymWriteSerializer, responses={200: SynonymSerializer})
    def update(self, request, pk=None):
        return self._change(request, pk, partial=False)

    @extend_schema(request=SynonymWriteSerializer, responses={200: SynonymSerializer})
    def partial_update(self, request, pk=None):
        return self._change(request, pk, partial=True)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, pk=None):
        service.synonym_delete(actor=request.user, synonym=self._row(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
