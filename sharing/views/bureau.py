"""Pages of the bureau and of usage: scenarios and the auto-grant switch (S1, S6), usage logs (S8),
overdue counts per department (S4, for the evaluation)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.pages import refused
from portal.permissions import can
from sharing import selectors
from sharing.forms import PolicyForm, ScenarioForm
from sharing.models import Deadline, Mode, Scenario
from sharing.services import scenarios


@login_required
def scenario_list(request):
    if not can(request.user, "sharing.view_scenario"):
        raise PermissionDenied
    return render(
        request,
        "sharing/scenarios.html",
        {
            "scenarios": selectors.scenarios_visible_to(request.user),
            "policy_form": PolicyForm(
                initial={"auto_grant_unconditional": scenarios.policy().auto_grant_unconditional}
            ),
            "manage": can(request.user, "sharing.change_scenario"),
            "manage_policy": can(request.user, "sharing.change_sharingpolicy"),
        },
    )


@login_required
def scenario_edit(request, pk=None):
    if not can(request.user, "sharing.change_scenario" if pk else "sharing.add_scenario"):
        raise PermissionDenied
    scenario = None
    if pk is not None:
        scenario = Scenario.objects.filter(pk=pk).first()
        if scenario is None:
            raise Http404
    form = ScenarioForm(request.POST or None, initial=ScenarioForm.initial_for(scenario) if scenario else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refused(request, form=form):
            scenarios.scenario_save(
                actor=request.user,
                scenario=scenario,
                name=data["name"],
                entry=data["entry"],
                items=form.item_keys(),
                modes=data["modes"],
                description=data["description"],
                departments=list(data["departments"]),
                max_days=data["max_days"],
                is_active=data["is_active"],
            )
            messages.success(request, _("应用场景已保存。"))
            return redirect("sharing:scenarios")
    return render(request, "sharing/scenario_form.html", {"form": form, "scenario": scenario})


@login_required
@require_POST
def policy_update(request):
    form = PolicyForm(request.POST)
    form.is_valid()
    with refused(request):
        scenarios.policy_set(
            actor=request.user, auto_grant_unconditional=form.cleaned_data.get("auto_grant_unconditional", False)
        )
        messages.success(request, _("共享设置已保存。"))
    return redirect("sharing:scenarios")


@login_required
def usage(request):
    """S8: who used the department's data, and the department's own use (the bureau: all)."""
    side = request.GET.get("side", "provided")
    side = side if side in ("provided", "used", "all") else "provided"
    if side == "all" and not selectors.sees_all(request.user):
        side = "provided"
    uses = selectors.uses_visible_to(request.user, side=side)
    page = Paginator(uses, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "sharing/usage.html",
        {
            "side": side,
            "page": page,
            "summary": selectors.usage_summary(uses),
            "query_string": f"side={side}",
            "sees_all": selectors.sees_all(request.user),
            "modes": dict(Mode.choices),
        },
    )


@login_required
def evaluation(request):
    if not can(request.user, "sharing.view_deadline"):
        raise PermissionDenied
    return render(
        request,
        "sharing/evaluation.html",
        {
            "rows": selectors.overdue_counts(),
            "kinds": dict(Deadline.Kind.choices),
            "sees_all": selectors.sees_all(request.user),
        },
    )
