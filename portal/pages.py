"""The page side of domain errors, written once (the API's side: portal.api's exception handler).

A service refuses with a DomainError (portal.errors) and has written nothing: it runs in one
transaction. A page then shows the refusal in one of three ways:
- on its form, re-rendered: ``form_errors(form, error)``, or ``with refused(request, form=form):``;
- as a message on the page it redirects to: ``with refused(request):`` around the service call;
- as an error page with the error's status (403 for a refusal of permission, 409 for a conflict, 429
  with Retry-After for a rate limit): any DomainError a page view lets through, turned by
  DomainErrorPageMiddleware (config.middleware).
A refusal of permission is never a form error or a message unless the page says so
(``permission_as_message=True``): it is the error page, as Django's own PermissionDenied is. A rate
limit is always the 429 page.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from portal.errors import DomainError, PermissionDeniedError


def form_errors(form, error: DomainError, *, rename: dict | None = None, default_field: str | None = None) -> None:
    """Put a service's refusal on the form: on each field it names (through `rename` when the form
    calls it otherwise), else on `default_field` or on top of the form."""
    if isinstance(error, PermissionDeniedError):
        raise error
    for field, errs in (error.errors or {}).items():
        target = (rename or {}).get(field, field)
        for message in errs:
            form.add_error(target if target in form.fields else None, message)
    if not error.errors:
        form.add_error(default_field if default_field in form.fields else None, str(error.message))


class refused:  # a lower-case name: it reads as a statement, `with refused(request): ...`
    """Show a service's refusal raised inside the block on the page, and go on after the block.

    With `form`: on the form (form_errors), which the view then renders again. Without: as an error
    message for the next page, which the view redirects to. The rest of the block (the success
    message, the redirect) does not run."""

    def __init__(self, request, *, form=None, permission_as_message: bool = False, **form_options):
        self.request, self.form, self.form_options = request, form, form_options
        self.permission_as_message = permission_as_message
        self.error: DomainError | None = None

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback) -> bool:
        if error is None or not isinstance(error, DomainError):
            return False
        if isinstance(error, PermissionDeniedError) and not self.permission_as_message:
            return False  # the error page (DomainErrorPageMiddleware)
        if error.status_code == 429:
            return False  # a rate limit is the 429 page with Retry-After, never a message
        self.error = error
        if self.form is not None and isinstance(error, PermissionDeniedError):
            self.form.add_error(None, str(error.message))
        elif self.form is not None:
            form_errors(self.form, error, **self.form_options)
        else:
            messages.error(self.request, str(error.message))
        return True


def error_page(request, error: DomainError):
    """The page of a refusal a view let through: its message, with its status (JSON under /api/, in
    the shape of the API's errors, for a view there that is not the API's)."""
    answer: HttpResponse
    if request.path.startswith("/api/"):
        answer = JsonResponse({"detail": str(error.message), "code": error.code}, status=error.status_code)
    else:
        answer = render(
            request,
            "errors/error.html",
            {"message": error.message, "status": error.status_code},
            status=error.status_code,
        )
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:  # a rate limit (SECURITY.md 14.6) says when to come back
        answer["Retry-After"] = str(retry_after)
    return answer
