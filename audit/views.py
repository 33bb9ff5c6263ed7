"""The auditor's view of the log (search, export and verification come with the audit issue)."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from audit.models import AuditEntry
from audit.services import record
from portal.permissions import can


@login_required
def audit_log(request):
    if not can(request.user, "audit.view_auditentry"):
        record("audit.view", outcome="denied")
        raise PermissionDenied
    entries = AuditEntry.objects.all()
    action = request.GET.get("action", "").strip()[:60]
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    record("audit.view", detail={"action": action, "page": page.number})
    return render(request, "audit/log.html", {"page": page, "action": action})
