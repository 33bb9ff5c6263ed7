"""The bureau admin's page of the settings it owns: deadline lengths and cited articles (issue 19, part 4;
docs/features.md, "Deadlines by city"). Reads portal.policy; changes go through portal.services.policy."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import policy as registry
from portal.models import PolicySetting
from portal.pages import refused
from portal.permissions import can
from portal.services.policy import policy_set


class PolicyForm(forms.Form):
    value = forms.CharField(label=gettext_lazy("新的取值"), max_length=registry.MAX_TEXT)
    effective_from = forms.DateField(
        label=gettext_lazy("生效日期"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    reason = forms.CharField(
        label=gettext_lazy("依据或原因"),
        max_length=300,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": gettext_lazy("例如：依据本市办法第十九条")}
        ),
    )

    def __init__(self, *args, found: registry.Policy, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["effective_from"].widget.attrs["min"] = today.isoformat()
        if found.kind == registry.DAYS:
            self.fields["value"].widget = forms.NumberInput(
                attrs={"class": "form-control", "min": registry.MIN_DAYS, "max": registry.MAX_DAYS}
            )
            self.fields["value"].help_text = _("%(min)s 至 %(max)s 个工作日") % {
                "min": registry.MIN_DAYS,
                "max": registry.MAX_DAYS,
            }
        else:
            self.fields["value"].widget = forms.TextInput(attrs={"class": "form-control"})


def summary(found: registry.Policy, today) -> dict:
    """What the page shows of one setting: the value in force, since when, and what is scheduled."""
    rows = registry.history(found.key)
    current = next(((d, v) for d, v in rows if d <= today), None)
    return {
        "policy": found,
        "value": registry.value(found.key, on=today),
        "since": current[0] if current else None,
        "is_default": current is None,
        "scheduled": sorted((d, v) for d, v in rows if d > today),
    }


def _allowed(request) -> None:
    if not can(request.user, "portal.view_policysetting"):
        raise PermissionDenied


@login_required
def policy_list(request):
    """Every setting with its value in force today and the changes scheduled."""
    _allowed(request)
    today = timezone.localdate()
    groups: dict = {}
    for found in registry.REGISTRY.values():
        groups.setdefault(str(found.group), []).append(summary(found, today))
    return render(request, "portal/policy_list.html", {"groups": groups, "today": today})


@login_required
def policy_detail(request, key: str):
    """One setting: its history and the form to set a new value from a date (today or later)."""
    _allowed(request)
    found = registry.REGISTRY.get(key)
    if found is None:
        raise Http404
    today = timezone.localdate()
    form = PolicyForm(request.POST or None, found=found, initial={"effective_from": today})
    status = 200
    if request.method == "POST":
        if not can(request.user, "portal.add_policysetting"):
            raise PermissionDenied
        if form.is_valid():
            with refused(request, form=form):
                policy_set(actor=request.user, key=key, **form.cleaned_data)
                messages.success(
                    request,
                    _("已设置「%(label)s」，自 %(date)s 起生效；已在办的事项仍按原期限办理。")
                    % {"label": found.label, "date": form.cleaned_data["effective_from"].isoformat()},
                )
                return redirect("policy_detail", key=key)
        status = 400
    history = PolicySetting.objects.filter(key=key).select_related("set_by").order_by("-effective_from", "-created_at")
    return render(
        request,
        "portal/policy_detail.html",
        {"item": summary(found, today), "form": form, "history": history, "today": today},
        status=status,
    )
