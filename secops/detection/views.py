"""Pages of detection: the alerts and their evidence (the bureau's security staff and the auditors),
the rules and their settings (the bureau admin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.errors import PermissionDeniedError
from portal.pages import refused
from portal.permissions import can, require
from portal.visibility import visible_or_404
from secops.detection import forms, selectors
from secops.detection.models import Alert
from secops.detection.rules import SPECS
from secops.detection.services import alerts, rules


@login_required
def alert_list(request):
    require(request.user, selectors.VIEW_ALERTS)
    visible = selectors.alerts_visible_to(request.user)
    status = request.GET.get("status", "open")
    if status in Alert.Status.values:
        visible = visible.filter(status=status)
    return render(
        request,
        "detection/alerts.html",
        {
            "alerts": visible[:200],
            "status": status,
            "statuses": Alert.Status.choices,
            "may_edit_rules": can(request.user, rules.CHANGE),
        },
    )


@login_required
def alert_detail(request, pk):
    alert = visible_or_404(selectors.alerts_visible_to(request.user), pk=pk)
    return render(
        request,
        "detection/alert.html",
        {
            "alert": alert,
            "evidence": selectors.evidence_of(alert)[:500],
            "may_close": alert.status == Alert.Status.OPEN and can(request.user, alerts.CLOSE),
            "may_escalate": alert.incident_id is None and can(request.user, alerts.CLOSE),
            "form": forms.CloseForm(),
        },
    )


@login_required
@require_POST
def alert_close(request, pk):
    alert = visible_or_404(selectors.alerts_visible_to(request.user), pk=pk)
    require(request.user, alerts.CLOSE)
    form = forms.CloseForm(request.POST)
    if not form.is_valid():
        for errs in form.errors.values():
            for message in errs:
                messages.error(request, message)
        return redirect("detection:alert", alert.pk)
    with refused(request):
        alerts.alert_close(actor=request.user, alert=alert, note=form.cleaned_data["note"])
        messages.success(request, _("告警已处理。"))
    return redirect("detection:alert", alert.pk)


@login_required
def rule_list(request):
    require(request.user, selectors.VIEW_RULES)
    shown = [(rule, SPECS[rule.code]) for rule in selectors.rules_visible_to(request.user)]
    return render(request, "detection/rules.html", {"rules": shown})


@login_required
def rule_edit(request, pk):
    rule = visible_or_404(selectors.rules_visible_to(request.user), pk=pk)
    if not can(request.user, rules.CHANGE):
        raise PermissionDeniedError()
    form = forms.RuleForm(request.POST or None, rule=rule)
    if request.method == "POST" and form.is_valid():
        with refused(request, form=form):
            rules.rule_update(actor=request.user, rule=rule, **form.cleaned_data)
            messages.success(request, _("监测规则已保存。"))
            return redirect("detection:rules")
    return render(request, "detection/rule_edit.html", {"rule": rule, "spec": SPECS[rule.code], "form": form})


@login_required
@require_POST
def alert_escalate(request, pk):
    alert = visible_or_404(selectors.alerts_visible_to(request.user), pk=pk)
    require(request.user, alerts.CLOSE)
    with refused(request):
        alerts.alert_escalate(actor=request.user, alert=alert)
        messages.success(request, _("告警已报告为安全事件。"))
    return redirect("detection:alert", alert.pk)
