"""Domain errors. Services raise them; one API handler and the views turn them into answers."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the portal refused the operation. HTTP 400 with the (Chinese) message."""

    status_code = 400
    default_message = _("操作无法完成。")
    default_code = "invalid"

    def __init__(self, message=None, *, code: str | None = None, errors: dict | None = None):
        self.message = message if message is not None else self.default_message
        self.code = code or self.default_code
        self.errors = errors or {}
        super().__init__(str(self.message))


class PermissionDeniedError(DomainError):
    status_code = 403
    default_message = _("您没有执行此操作的权限。")
    default_code = "permission_denied"


class NotFoundError(DomainError):
    status_code = 404
    default_message = _("未找到该对象。")
    default_code = "not_found"


class InvalidTransitionError(DomainError):
    status_code = 400
    default_message = _("当前状态下不能执行此操作。")
    default_code = "invalid_transition"


class ConflictError(DomainError):
    status_code = 409
    default_message = _("数据已被他人修改，请刷新后重试。")
    default_code = "conflict"
