"""The sharing API: token-authenticated grant use exactly in the grant, the same services as the
pages, errors as {"detail", "code", "errors"} in Chinese, a valid OpenAPI schema."""

import datetime as dt
import json

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEntry
from sharing.models import Application, GrantUse
from sharing.services import applications
from tests.factories import PASSWORD
from tests.sharing import factories


def token_client(user):
    api = APIClient()
    token = api.post("/api/auth/token/", {"username": user.username, "password": PASSWORD}, format="json")
    assert token.status_code == 200, token.content
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    return api


def approved(w, **kwargs):
    return applications.application_approve(actor=w.provider_officer, application=factories.apply(w, **kwargs))


def test_the_holder_queries_with_its_token_and_is_refused_on_another_item(world):
    grant = approved(world, items=["id_number", "district"])
    api = token_client(world.applicant)
    ok = api.get(f"/api/sharing/grants/{grant.pk}/query/", {"district": "西山县", "page_size": 2})
    assert ok.status_code == 200
    data = ok.json()
    assert data["count"] == 5 and len(data["rows"]) == 2 and set(data["rows"][0]) == {"id_number", "district"}
    assert data["columns"][0] == {"key": "id_number", "name": "身份证号", "masked": True}
    refused = api.get(f"/api/sharing/grants/{grant.pk}/query/", {"items": "name"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "item_not_granted" and "姓名（name）" in refused.json()["detail"]
    use = GrantUse.objects.get(outcome="denied")
    assert use.channel == "api" and use.user == world.applicant
    assert (
        AuditEntry.objects.filter(action="sharing.grant.query", outcome="denied", actor_id=world.applicant.pk).count()
        == 1
    )


def test_another_department_is_refused_not_holder_without_learning_who_holds_the_grant(world, make_user):
    from portal.roles import Role

    grant = approved(world)
    stranger = make_user(Role.DEPARTMENT_STAFF)
    refused = token_client(stranger).get(f"/api/sharing/grants/{grant.pk}/query/")
    assert refused.status_code == 403 and refused.json()["code"] == "not_holder"
    assert world.department.name not in refused.json()["detail"]
    provider = token_client(world.provider_officer).get(f"/api/sharing/grants/{grant.pk}/query/")
    assert provider.status_code == 403 and provider.json()["code"] == "not_holder"
    assert world.department.name in provider.json()["detail"]
    assert token_client(stranger).get(f"/api/sharing/grants/{grant.pk + 1000}/query/").status_code == 404


def test_compare_and_statistics_through_the_api(world):
    compare = approved(world, items=["id_number", "name"], mode="compare")
    person = world.rows[0]
    api = token_client(world.applicant)
    answer = api.post(
        f"/api/sharing/grants/{compare.pk}/compare/",
        {"key": "id_number", "key_value": person["id_number"], "values": {"name": "不是他"}},
        format="json",
    )
    assert answer.status_code == 200
    assert answer.json()["results"] == {"id_number": "match", "name": "no_match"}
    stats = approved(world, items=["district", "amount"], mode="statistics")
    answer = api.get(f"/api/sharing/grants/{stats.pk}/statistics/", {"group_by": "district", "measures": "sum:amount"})
    assert answer.status_code == 200 and len(answer.json()["groups"]) == 2  # 南湖区 (2 rows) is left out
    assert "suppressed_groups" not in answer.json()  # SECURITY.md 14.3: how many were left out is not said
    bad = api.get(f"/api/sharing/grants/{stats.pk}/statistics/", {"group_by": "district", "measures": "median"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"


@pytest.mark.django_db(transaction=True)
def test_pull_streams_through_the_api():
    w = factories.world()
    grant = approved(w, items=["district", "amount"], mode="pull")
    api = token_client(w.applicant)
    response = api.get(f"/api/sharing/grants/{grant.pk}/pull/", {"output": "json"})
    assert response.status_code == 200 and response.streaming
    rows = json.loads(b"".join(response.streaming_content))
    assert len(rows) == len(w.rows) and set(rows[0]) == {"district", "amount"}
    response = api.get(f"/api/sharing/grants/{grant.pk}/pull/", {"output": "csv", "district": "南湖区"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert lines == ["所属区县,月保障金额（元）", "南湖区,620.00", "南湖区,630.00"]


def test_apply_review_and_errors_through_the_api(world):
    api = APIClient()
    api.force_authenticate(world.applicant)
    end = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    bad = api.post(
        "/api/sharing/applications/",
        {"entry": world.entry.pk, "purpose": "核定", "items": ["name"], "mode": "query", "end_date": end},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_application"
    assert "scenario_text" in bad.json()["errors"] and "应用场景" in bad.json()["detail"]
    assert not Application.objects.exists()
    created = api.post(
        "/api/sharing/applications/",
        {
            "entry": world.entry.pk,
            "purpose": "核定",
            "scenario_text": "待遇审核",
            "items": ["name", "district"],
            "mode": "query",
            "end_date": end,
        },
        format="json",
    )
    assert created.status_code == 201 and created.json()["deadline"]["due_at"]
    officer = APIClient()
    officer.force_authenticate(world.provider_officer)
    queue = officer.get("/api/sharing/applications/review-queue/").json()
    assert [a["id"] for a in queue["results"]] == [created.json()["id"]]
    approved_ = officer.post(
        f"/api/sharing/applications/{created.json()['id']}/approve/", {"items": ["district"]}, format="json"
    )
    assert approved_.status_code == 200 and approved_.json()["status"] == "approved"
    grant_id = approved_.json()["grant"]
    assert api.get(f"/api/sharing/grants/{grant_id}/").json()["items"] == ["district"]
    assert api.get("/api/sharing/grants/", {"side": "held"}).json()["count"] == 1
    assert officer.get("/api/sharing/grants/", {"side": "provided"}).json()["count"] == 1


def test_usage_logs_reach_the_provider_and_the_user(world, make_user):
    from portal.roles import Role

    grant = approved(world, items=["district"])
    api = token_client(world.applicant)
    api.get(f"/api/sharing/grants/{grant.pk}/query/")
    provider = APIClient()
    provider.force_authenticate(world.provider_officer)
    provided = provider.get("/api/sharing/usage/", {"side": "provided"}).json()
    assert provided["count"] == 1 and provided["results"][0]["user_department"] == world.department.pk
    assert provided["results"][0]["mode"] == "query" and provided["results"][0]["amount"] == len(world.rows)
    assert api.get("/api/sharing/usage/", {"side": "used"}).json()["count"] == 1
    stranger = APIClient()
    stranger.force_authenticate(make_user(Role.DEPARTMENT_STAFF))
    assert stranger.get("/api/sharing/usage/").json()["count"] == 0


def test_objection_and_coordination_flows_through_the_api(world):
    grant = approved(world)
    api = APIClient()
    api.force_authenticate(world.applicant)
    raised = api.post(
        "/api/sharing/objections/",
        {"grant": grant.pk, "rows": "第 2 行", "items": ["name"], "reason": "姓名与户籍不一致"},
        format="json",
    )
    assert raised.status_code == 201 and raised.json()["deadline"]["kind"] == "objection"
    officer = APIClient()
    officer.force_authenticate(world.provider_officer)
    answered = officer.post(
        f"/api/sharing/objections/{raised.json()['id']}/answer/",
        {"outcome": "correct", "answer": "已按户籍信息更正"},
        format="json",
    )
    assert answered.status_code == 200 and answered.json()["status"] == "corrected"
    again = officer.post(
        f"/api/sharing/objections/{raised.json()['id']}/answer/", {"outcome": "confirm", "answer": "x"}, format="json"
    )
    assert again.status_code == 409


def test_overdue_counts_and_policy_are_for_the_bureau(world, bureau_admin):
    api = APIClient()
    api.force_authenticate(world.applicant)
    assert api.get("/api/sharing/evaluation/overdue/").status_code == 403
    assert api.put("/api/sharing/policy/", {"auto_grant_unconditional": True}, format="json").status_code == 403
    api.force_authenticate(bureau_admin)
    assert api.get("/api/sharing/evaluation/overdue/").status_code == 200
    assert api.put("/api/sharing/policy/", {"auto_grant_unconditional": True}, format="json").json() == {
        "auto_grant_unconditional": True
    }


def test_the_openapi_schema_documents_the_sharing_api(client, staff):
    client.force_login(staff)  # issue 17 part 8: the internal API's schema is for signed-in staff
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    for path in (
        "/api/sharing/applications/",
        "/api/sharing/grants/{id}/query/",
        "/api/sharing/grants/{id}/compare/",
        "/api/sharing/grants/{id}/statistics/",
        "/api/sharing/grants/{id}/pull/",
        "/api/sharing/evaluation/overdue/",
    ):
        assert path in paths, path
