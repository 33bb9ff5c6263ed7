"""Reading the parameters of a CKAN action call: a GET query string or a POST JSON body, as CKAN reads
them (a JSON object or list may arrive as a string in a query string)."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _


class ActionError(Exception):
    """An answer of CKAN's error envelope: Validation Error (409), Not Found Error (404),
    Authorization Error (403); `fields` are the per-parameter messages of a Validation Error."""

    def __init__(self, status: int, kind: str, message: str = "", fields: dict | None = None):
        super().__init__(message)
        self.status, self.kind, self.message, self.fields = status, kind, message, fields or {}

    def error(self) -> dict:
        body = {"__type": self.kind}
        if self.message:
            body["message"] = self.message
        body.update(self.fields)
        return body


def invalid(name: str, message: str) -> ActionError:
    return ActionError(409, "Validation Error", fields={name: [message]})


def not_found(message: str | None = None) -> ActionError:
    return ActionError(404, "Not Found Error", message or _("未找到。"))


def text(params: dict, name: str, default: str = "", max_length: int = 200) -> str:
    value = params.get(name, default)
    if value is None:
        return default
    if isinstance(value, (dict, list, bool)):
        raise invalid(name, _("必须是字符串。"))
    return str(value).replace("\x00", "")[:max_length]


def required(params: dict, name: str) -> str:
    value = text(params, name).strip()
    if not value:
        raise invalid(name, _("缺少必填参数。"))
    return value


def integer(params: dict, name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    value = params.get(name, default)
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        raise invalid(name, _("必须是整数。"))
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise invalid(name, _("必须是整数。")) from None
    if number < minimum or (maximum is not None and number > maximum):
        if maximum is None:
            raise invalid(name, _("不能小于 %(min)s。") % {"min": minimum})
        raise invalid(name, _("必须在 %(min)s 到 %(max)s 之间。") % {"min": minimum, "max": maximum})
    return number


def boolean(params: dict, name: str, default: bool = False) -> bool:
    value = params.get(name, default)
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("true", "1", "yes", "on"):
        return True
    if str(value).lower() in ("false", "0", "no", "off", ""):
        return False
    raise invalid(name, _("必须是 true 或 false。"))


def structured(params: dict, name: str, kind: type, default):
    """A dict or list parameter, itself or as a JSON string (CKAN's query-string form)."""
    value = params.get(name, default)
    if value in (None, ""):
        return default
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            if kind is list:  # CKAN also takes a comma-separated list ("fields=a,b")
                return [part.strip() for part in value.split(",") if part.strip()]
            raise invalid(name, _("不是有效的 JSON。")) from None
    if not isinstance(value, kind):
        raise invalid(name, _("类型无效。"))
    return value
