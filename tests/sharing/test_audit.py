"""Every application, review, escalation, grant change and grant use writes an audit entry, which
names the provider so that the usage logs reach it (A1, A5; Lhasa art. 41)."""

import datetime as dt

from django.utils import timezone

from audit.models import AuditEntry
from sharing.services import applications, deadlines, grants, objections, use
from tests.sharing import factories


def test_each_step_of_a_grants_life_is_audited_with_the_provider(world):
    application = factories.apply(world, items=["district"])
    late = factories.apply(world, items=["district"], mode="compare")
    deadlines.sweep_deadlines(now=late.deadline.remind_at + dt.timedelta(minutes=1))  # the reminders
    deadlines.sweep_deadlines(now=timezone.now() + dt.timedelta(days=30))  # the warnings, the escalations
    grant = applications.application_approve(actor=world.provider_officer, application=application)
    use.grant_query(actor=world.applicant, grant=grant)
    objections.objection_raise(actor=world.applicant, grant=grant, rows="第 1 行", items=["district"], reason="有误")
    grants.grant_revoke(actor=world.provider_officer, grant=grant, reason="停止提供")
    applications.application_refuse(actor=world.reviewer, application=late, reason="逾期后由大数据局裁决不予授权")
    actions = list(
        AuditEntry.objects.filter(action__startswith="sharing.").values_list("action", "owner_department_id")
    )
    expected = {
        "sharing.application.submit",
        "sharing.deadline.remind",
        "sharing.deadline.overdue",
        "sharing.application.escalate",
        "sharing.grant.create",
        "sharing.application.approve",
        "sharing.grant.query",
        "sharing.objection.raise",
        "sharing.grant.revoke",
        "sharing.application.refuse",
    }
    assert expected <= {a for a, _o in actions}
    assert {owner for _a, owner in actions} == {world.provider.pk}
