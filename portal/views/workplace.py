"""The user's workplace: to-do inbox and notifications (docs/features.md P2)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portal import inbox
from portal.models import Notification
from portal.notification_kinds import KINDS
from portal.services import workplace
from portal.visibility import hidden_404


@login_required
def inbox_page(request):
    kind = request.GET.get("kind", "")
    labels = inbox.labels()
    items = inbox.inbox_for(request.user, kinds=[kind] if kind in labels else None)
    return render(request, "portal/inbox.html", {"items": items, "labels": labels, "kind": kind})


@login_required
def notification_list(request):
    page = Paginator(Notification.objects.filter(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "portal/notifications.html", {"page": page, "kinds": KINDS})


@login_required
@require_POST
def notification_read(request, pk):
    urls = list(Notification.objects.filter(user=request.user, pk=pk).values_list("url", flat=True)[:1])
    if not urls:
        raise hidden_404(Notification, pk)  # someone else's (audited, SECURITY.md 14.4) or none: as the API answers
    workplace.notification_mark_read(actor=request.user, notification_id=pk)
    target = urls[0]
    if target and target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("notifications")


@login_required
@require_POST
def notification_read_all(request):
    workplace.notification_mark_read(actor=request.user)
    return redirect("notifications")


@login_required
def notification_settings(request):
    if request.method == "POST":
        workplace.preferences_set(actor=request.user, email_kinds=set(request.POST.getlist("email")) & set(KINDS))
        return redirect("notification_settings")
    return render(
        request,
        "portal/notification_settings.html",
        {"kinds": KINDS, "enabled": workplace.email_enabled_kinds(request.user)},
    )
