"""The OpenAPI schema of the API (drf-spectacular), with the error answers of every operation.

Every error of the API has one shape (portal.api.errors): {"detail": message, "code": code,
"errors": {field: [messages]}}. drf-spectacular documents only the success answer, so a client
(and the fuzzer, SECURITY.md 14.F: schemathesis' status-code and response-schema checks)
could not tell a documented refusal from an undocumented one. PortalAutoSchema adds, to each
operation, the errors its view can give, found from the view itself:

- 400 when the request carries input (a body, query or path parameters);
- 401 and 403 when the view authenticates or checks permissions (DRF answers 403 for a missing
  sign-in when session authentication comes first, 401 when a token or key is refused);
- 404 when the path names an object, or the list is paginated (a page past the end);
- 409 when it changes the object the path names (decided by someone else meanwhile);
- 429 when the view is throttled.

A view documents its other errors (409, 410, 429 of a quota...) in its own `@extend_schema`
responses, with `ERROR` as their body.

Two more things the views do alike are written down here once:
- request bodies are documented as JSON (multipart only where a file is uploaded): DRF also parses
  HTML forms, where a missing boolean reads as false (the checkbox rule), so a form body without a
  required field would be taken for a valid one;
- the generic list parameters (django-filter's filters, DRF's `page`) take an empty value as "not
  given" (`?status=` lists everything), and a boolean filter any value but true / false;
- a text field takes no NUL, and if it may not be blank, at least one character that is not white
  space (DRF trims it first).
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ApiErrorSerializer(serializers.Serializer):
    """The one error shape of the API."""

    detail = serializers.CharField(help_text="错误说明（中文）")
    code = serializers.CharField(help_text="错误代码，如 invalid、permission_denied、not_found、throttled")
    errors = serializers.DictField(
        required=False,
        child=serializers.JSONField(),
        help_text="按字段的错误信息：{字段: [信息]}（列表中的对象按下标嵌套）",
    )

    class Meta:
        ref_name = "ApiError"


ERROR = ApiErrorSerializer
MESSAGES = {
    400: "请求有误（字段错误见 errors）",
    401: "未登录或凭据无效",
    403: "无权执行此操作",
    404: "对象不存在或不可见",
    409: "数据已被他人修改",
    410: "数据集已撤销",
    429: "请求过于频繁或超出配额",
}


# Dates the working-day calendar covers (portal.workdays.validate_calendar_date: 2004-01-01 to
# 2100-12-31), as a pattern that accepts exactly the real dates of those years (2100 is no leap year).
CALENDAR_DATE_PATTERN = (
    r"(?:(?:20(?:0[4-9]|[1-9][0-9])|2100)-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    r"|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|20(?:0[48]|[2468][048]|[13579][26])-02-29)"
)
CALENDAR_DATE = {
    "type": "string",
    "pattern": f"^{CALENDAR_DATE_PATTERN}$",
    "description": "YYYY-MM-DD，2004-01-01 至 2100-12-31",
}
# The same date, or a moment of it (ISO 8601; without a zone: Asia/Shanghai).
CALENDAR_MOMENT = {
    "type": "string",
    "description": "YYYY-MM-DD 或 ISO 8601 时刻，2004 年至 2100 年",
    "pattern": f"^{CALENDAR_DATE_PATTERN}(?:T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?"
    r"(?:\+08:00)?)?$",
}
EMPTY = {"type": "string", "maxLength": 0}


def _or_empty(parameter: dict) -> dict:
    schema = parameter.get("schema", {})
    if schema.get("type") == "string" and not ({"enum", "pattern", "minLength", "format"} & set(schema)):
        return parameter  # "" is valid already
    return {
        **parameter,
        "schema": {"anyOf": [schema, EMPTY]},
        "description": (parameter.get("description", "") + "（留空表示不限）").strip(),
    }


def _lenient_boolean(parameter: dict) -> dict:
    """django-filter's BooleanFilter reads true / false (True, 1...) and takes any other value for
    "not given" (Django's NullBooleanSelect): documented as such, not as a strict boolean."""
    if parameter.get("schema", {}).get("type") != "boolean":
        return parameter
    return {
        **parameter,
        "schema": {"type": "string"},
        "description": (parameter.get("description", "") + "（true 或 false；其他值不筛选）").strip(),
    }


def file_upload(serializer, filename: str) -> dict:
    """A multipart body whose `file` the server reads by its name's extension (.csv, .xlsx): the
    example name is documented (and schemathesis sends it; it would name the part after its bytes)."""
    from drf_spectacular.utils import OpenApiRequest

    disposition = {"schema": {"type": "string", "example": f'form-data; name="file"; filename="{filename}"'}}
    return {
        "multipart/form-data": OpenApiRequest(
            serializer, encoding={"file": {"headers": {"Content-Disposition": disposition}}}
        )
    }


def error(code: int, description: str | None = None) -> OpenApiResponse:
    """An error answer for `@extend_schema(responses={...})`."""
    return OpenApiResponse(ERROR, description=description or MESSAGES.get(code, ""))


class PortalAutoSchema(AutoSchema):
    def _error_codes(self) -> set[int]:
        view = self.view
        codes = set()
        has_input = bool(
            self.method in ("POST", "PUT", "PATCH")
            or "{" in self.path
            or self._get_filter_parameters()
            or self._get_pagination_parameters()
            or self.get_override_parameters()
        )
        if has_input:
            codes.add(400)
        if view.get_authenticators() or any(type(p).__name__ != "AllowAny" for p in view.get_permissions()):
            codes |= {401, 403}
        if "{" in self.path or self._get_pagination_parameters():
            codes.add(404)
        if "{" in self.path and self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.add(409)  # the object was decided or changed meanwhile (already_decided, conflict)
        if view.get_throttles():
            codes.add(429)
        return codes

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # DRF refuses a NUL in any CharField, and trims one before refusing it blank: "   " is not a
        # valid name or reason.
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and schema.get("type") == "string"
            and "pattern" not in schema
        ):
            blank = field.allow_blank or not field.trim_whitespace
            schema["pattern"] = r"^[^\u0000]*$" if blank else r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
        return schema

    def map_parsers(self):
        types = super().map_parsers()
        return (
            [t for t in types if t == "application/json"] or [t for t in types if t == "multipart/form-data"] or types
        )

    def _get_filter_parameters(self):
        return [_or_empty(_lenient_boolean(p)) for p in super()._get_filter_parameters()]

    def _get_pagination_parameters(self):
        return [_or_empty(p) if p.get("name") == "page" else p for p in super()._get_pagination_parameters()]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in sorted(self._error_codes()):
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    error(code), str(code), media_types=["application/json"], direction=direction
                )
        return responses


class DynamicParameters(PortalAutoSchema):
    """For a view whose parameters are known only when the schema is generated (this year's bounds,
    the inbox kinds the apps registered): the view's `schema_parameters()` are added then."""

    def get_override_parameters(self):
        return [*super().get_override_parameters(), *self.view.schema_parameters()]
