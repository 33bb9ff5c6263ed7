"""The key status page (bureau administrator, auditor): read-only, no key material."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from portal.permissions import can

from .selectors import VIEW, status


@login_required
def status_page(request):
    if not can(request.user, VIEW):
        raise PermissionDenied
    return render(request, "encryption/status.html", {"status": status()})
