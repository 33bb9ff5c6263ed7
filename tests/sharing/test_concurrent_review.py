"""Two reviewers deciding the same application at the same moment give one decision; the other is
told, in Chinese, that it was already decided (409)."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from audit.models import AuditEntry
from portal.errors import ConflictError
from portal.roles import Role
from sharing.models import Application, Grant
from sharing.services import applications
from tests.factories import user_with_role
from tests.sharing import factories


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_the_same_moment_give_one_decision():
    w = factories.world(rows=False)
    second_officer = user_with_role(Role.DATA_OFFICER, department=w.provider)
    application = factories.apply(w)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(call):
        try:
            barrier.wait()
            call()
            outcomes.append("decided")
        except ConflictError as exc:
            outcomes.append(str(exc.message))
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=decide,
            args=(lambda: applications.application_approve(actor=w.provider_officer, application=application),),
        ),
        threading.Thread(
            target=decide,
            args=(
                lambda: applications.application_refuse(
                    actor=second_officer, application=application, reason="不符合条件"
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes, key=len)[0] == "decided" and len(outcomes) == 2
    assert "已经办理" in sorted(outcomes, key=len)[1]
    application.refresh_from_db()
    decisions = AuditEntry.objects.filter(
        object_id=str(application.pk), action__in=["sharing.application.approve", "sharing.application.refuse"]
    )
    assert decisions.count() == 1
    assert Grant.objects.filter(application=application).count() == (application.status == Application.Status.APPROVED)


def test_the_second_decision_through_the_api_is_a_409_in_chinese(world):
    application = factories.apply(world)
    api = APIClient()
    api.force_authenticate(world.provider_officer)
    first = api.post(f"/api/sharing/applications/{application.pk}/approve/", {}, format="json")
    assert first.status_code == 200, first.content
    second = api.post(f"/api/sharing/applications/{application.pk}/refuse/", {"reason": "晚到的决定"}, format="json")
    assert second.status_code == 409
    assert second.json()["code"] == "already_decided" and "已经办理" in second.json()["detail"]
