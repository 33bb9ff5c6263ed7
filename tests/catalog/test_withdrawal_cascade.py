"""C2 with S3, S5, O6 (Hechi 2nd art. 29, Lhasa art. 37): withdrawing a catalog entry ends, in the same
transaction and with its reason, everything running on it — its open dataset is withdrawn and
announced, its grants revoked, its pending applications refused with their deadlines closed, its
coordination requests closed — each step audited and its holder or applicant told."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from catalog import withdrawal
from catalog.services import entries
from openness.models import Dataset, DatasetVersion
from openness.services import publishing
from portal.errors import DomainError, PermissionDeniedError
from portal.models import Notification
from portal.roles import Role
from sharing.models import Application, Coordination, Deadline, Grant
from sharing.services import applications, coordination, deadlines, use
from tests.factories import user_with_role
from tests.openness.factories import company, entry_with_rows, propose

LAW = "《企业信息公示暂行条例》第十条"
REASON = "职能划转至市场监管局"


@dataclass
class World:
    officer: object
    entry: object
    dataset: Dataset
    grant: Grant
    pending: Application
    open_request: Coordination
    escalated_request: Coordination
    applicant: object
    applicant_officer: object
    other_applicant: object


def _apply(applicant, entry, mode):
    return applications.application_submit(
        actor=applicant,
        entry=entry,
        purpose="核查企业登记信息",
        scenario_text="市场主体信用监管",
        items=["uscc", "company_name"],
        mode=mode,
        end_date=timezone.localdate() + dt.timedelta(days=60),
    )


@pytest.fixture
def world(db):
    officer = user_with_role(Role.DATA_OFFICER)
    reviewer = user_with_role(Role.BUREAU_REVIEWER)
    applicant = user_with_role(Role.DEPARTMENT_STAFF)
    applicant_officer = user_with_role(Role.DATA_OFFICER, department=applicant.department)
    other_applicant = user_with_role(Role.DEPARTMENT_STAFF)
    # Not shared at first: two departments ask for it by coordination, one of them taken to the bureau.
    entry = entry_with_rows(
        officer,
        [company(n) for n in range(1, 6)],
        reviewer=reviewer,
        share_type="not_shared",
        open_type="not_open",
        legal_basis=LAW,
    )
    open_request = coordination.coordination_open(actor=applicant, entry=entry, need="核查市场主体，履行监管职责")
    escalated_request = coordination.coordination_open(actor=other_applicant, entry=entry, need="信用联合惩戒")
    coordination.coordination_answer(actor=officer, coordination=escalated_request, agreed=False, answer="暂不提供")
    coordination.coordination_escalate(actor=other_applicant, coordination=escalated_request)
    # Then revised to conditional sharing and open data: a grant, a pending application, a dataset.
    entries.entry_revise(actor=officer, entry=entry)
    entries.version_update(
        actor=officer,
        entry=entry,
        content={
            "share_type": "conditional",
            "share_condition": "仅用于市场监管",
            "share_modes": ["query", "statistics"],
            "open_type": "unconditional",
        },
    )
    entries.entry_submit(actor=officer, entry=entry)
    entries.entry_approve(actor=reviewer, entry=entry)
    entry.refresh_from_db()
    grant = applications.application_approve(actor=officer, application=_apply(applicant, entry, "query"))
    pending = _apply(applicant, entry, "statistics")
    version = publishing.version_approve(actor=reviewer, version=propose(officer, entry))
    return World(
        officer,
        entry,
        version.dataset,
        grant,
        pending,
        open_request,
        escalated_request,
        applicant,
        applicant_officer,
        other_applicant,
    )


def _withdraw(w):
    entries.entry_withdraw(actor=w.officer, entry=w.entry, reason=REASON)


def _audited(action, obj):
    entry = AuditEntry.objects.filter(action=action, object_id=str(obj.pk)).order_by("-id").first()
    assert entry is not None, action
    assert entry.actor_id is not None and entry.detail.get("cause") == "catalog.entry.withdraw"
    return entry


def _told(user, key):
    return Notification.objects.filter(user=user, key=key).first()


def test_the_open_dataset_is_withdrawn_announced_and_no_longer_downloadable(world, client):
    _withdraw(world)
    dataset = Dataset.objects.get(pk=world.dataset.pk)
    assert dataset.is_withdrawn and REASON in dataset.withdrawal_reason
    assert dataset.published_version.status == DatasetVersion.Status.WITHDRAWN
    assert client.get(reverse("openness:download", args=[dataset.pk, "csv"])).status_code == 410
    page = client.get(reverse("openness:dataset", args=[dataset.pk])).content.decode()
    assert "撤回公告" in page and REASON in page
    assert REASON in client.get(reverse("openness:withdrawn")).content.decode()
    _audited("openness.dataset.withdraw", dataset)
    assert _told(world.officer, f"openness.withdrawn:{dataset.pk}") is not None


def test_live_grants_are_revoked_with_the_reason_and_their_holder_is_told(world):
    _withdraw(world)
    grant = Grant.objects.get(pk=world.grant.pk)
    assert grant.status == Grant.Status.REVOKED and REASON in grant.revoke_reason
    with pytest.raises(PermissionDeniedError) as refused:
        use.grant_query(actor=world.applicant, grant=grant)
    assert refused.value.code == "revoked" and REASON in str(refused.value)
    _audited("sharing.grant.revoke", grant)
    for user in (world.applicant, world.applicant_officer):
        notice = _told(user, f"sharing.grant.revoke:{grant.pk}")
        assert notice is not None and REASON in notice.body


def test_pending_applications_are_refused_and_their_deadlines_closed(world):
    deadline = Deadline.objects.get(application=world.pending)
    _withdraw(world)
    application = Application.objects.get(pk=world.pending.pk)
    assert application.status == Application.Status.REFUSED and REASON in application.decision_note
    deadline.refresh_from_db()
    assert deadline.closed_at is not None
    # nothing is left to remind, warn about or escalate, however late the sweep runs
    assert deadlines.sweep_deadlines(now=deadline.due_at + dt.timedelta(days=30)) == {
        "reminded": 0,
        "warned": 0,
        "escalated": 0,
    }
    _audited("sharing.application.refuse", application)
    notice = _told(world.applicant, f"sharing.application.decided:{application.pk}")
    assert notice is not None and REASON in notice.body


def test_coordination_requests_are_closed_even_those_before_the_bureau(world):
    # the data officer withdrawing may not rule on escalated requests: the withdrawal does it anyway
    deadline = Deadline.objects.get(coordination=world.open_request)
    _withdraw(world)
    declined = Coordination.objects.get(pk=world.open_request.pk)
    assert declined.status == Coordination.Status.DECLINED and REASON in declined.answer
    deadline.refresh_from_db()
    assert deadline.closed_at is not None
    concluded = Coordination.objects.get(pk=world.escalated_request.pk)
    assert concluded.status == Coordination.Status.CONCLUDED and REASON in concluded.conclusion
    _audited("sharing.coordination.decline", declined)
    _audited("sharing.coordination.conclude", concluded)
    assert _told(world.applicant, f"sharing.coordination.answered:{declined.pk}") is not None
    assert _told(world.other_applicant, f"sharing.coordination.concluded:{concluded.pk}") is not None
    with pytest.raises(DomainError) as refused:
        coordination.coordination_escalate(actor=world.applicant, coordination=declined)
    assert refused.value.code == "entry_withdrawn"


def test_a_withdrawn_entry_takes_no_new_application(world):
    _withdraw(world)
    other = user_with_role(Role.DEPARTMENT_STAFF)
    with pytest.raises(DomainError) as refused:
        _apply(other, world.entry, "query")
    assert refused.value.code == "entry_withdrawn" and "已撤销" in str(refused.value)
    assert not Application.objects.filter(applicant=other).exists()


def test_a_failing_step_rolls_back_the_whole_withdrawal(world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("handler failed")

    real = withdrawal.handlers()
    monkeypatch.setattr(withdrawal, "handlers", lambda: (*real, broken))  # runs after every real step
    with pytest.raises(RuntimeError):
        _withdraw(world)
    world.entry.refresh_from_db()
    assert not world.entry.is_withdrawn
    assert not Dataset.objects.get(pk=world.dataset.pk).is_withdrawn
    assert Grant.objects.get(pk=world.grant.pk).status == Grant.Status.ACTIVE
    assert Application.objects.get(pk=world.pending.pk).status == Application.Status.SUBMITTED
    assert Deadline.objects.get(application=world.pending).closed_at is None
    assert Coordination.objects.get(pk=world.open_request.pk).status == Coordination.Status.OPEN
    assert Coordination.objects.get(pk=world.escalated_request.pk).status == Coordination.Status.ESCALATED
    assert not AuditEntry.objects.filter(
        action__in=["catalog.entry.withdraw", "sharing.grant.revoke", "openness.dataset.withdraw"]
    ).exists()
    assert not Notification.objects.filter(key=f"sharing.grant.revoke:{world.grant.pk}").exists()
