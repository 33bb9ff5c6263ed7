"""The sharing pages: apply, review narrowed, use in the granted mode (htmx answers in place)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.roles import Role
from sharing.models import Application, Grant
from sharing.services import applications, scenarios
from tests.factories import user_with_role
from tests.sharing import factories


def test_staff_applies_and_the_officer_approves_narrowed_on_the_pages(world, client):
    client.force_login(world.applicant)
    page = client.get(reverse("sharing:apply", args=[world.entry.pk]))
    assert page.status_code == 200 and "有条件共享" in page.content.decode()
    end = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    response = client.post(
        reverse("sharing:apply", args=[world.entry.pk]),
        {
            "purpose": "核定低保待遇",
            "scenario_text": "社会救助待遇审核",
            "items": ["id_number", "name", "district"],
            "mode": "query",
            "end_date": end,
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302 and response.url == reverse("sharing:application", args=[application.pk])

    client.force_login(world.provider_officer)
    assert application.entry_version.name in client.get(reverse("sharing:review")).content.decode()
    detail = client.get(reverse("sharing:application", args=[application.pk])).content.decode()
    assert 'data-testid="approve-form"' in detail
    client.post(
        reverse("sharing:application_approve", args=[application.pk]),
        {"items": ["id_number", "district"], "mode": "query", "end_date": end, "note": "按最小授权"},
    )
    grant = Grant.objects.get(application=application)
    assert grant.items == ["id_number", "district"]

    client.force_login(world.applicant)
    body = client.get(reverse("sharing:grant", args=[grant.pk])).content.decode()
    assert 'data-testid="query-form"' in body and 'data-testid="compare-form"' not in body
    partial = client.get(
        reverse("sharing:grant_query", args=[grant.pk]), {"f_district": "南湖区"}, HTTP_HX_REQUEST="true"
    )
    text = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in text and "共 2 行" in text and "南湖区" in text
    assert world.rows[-1]["id_number"] not in text and world.rows[-1]["id_number"][-4:] in text


def test_a_refusal_on_the_page_is_a_403_with_the_reason(world, client):
    grant = applications.application_approve(
        actor=world.provider_officer, application=factories.apply(world, items=["district"])
    )
    client.force_login(world.applicant)
    response = client.get(reverse("sharing:grant_query", args=[grant.pk]), {"f_name": "张某"})
    assert response.status_code == 403 and "该授权不包括信息项：姓名（name）" in response.content.decode()
    htmx = client.get(reverse("sharing:grant_query", args=[grant.pk]), {"f_name": "张某"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and 'data-testid="use-error"' in htmx.content.decode()


def test_a_not_shared_entry_leads_to_a_coordination_request(db, client):
    w = factories.world(share_type="not_shared", rows=False)
    client.force_login(w.applicant)
    response = client.get(reverse("sharing:apply", args=[w.entry.pk]))
    assert response.status_code == 302 and response.url == reverse("sharing:coordination_new", args=[w.entry.pk])
    response = client.post(response.url, {"need": "办理案件需核实违法记录"})
    assert response.status_code == 302
    client.force_login(w.provider_officer)
    page = client.get(response.url).content.decode()
    assert 'data-testid="answer-coordination"' in page


def test_scenario_grant_says_so_on_the_page(world, client, bureau_admin):
    scenarios.scenario_save(
        actor=bureau_admin,
        name="低保资格比对",
        entry=world.entry,
        items=["id_number", "name"],
        modes=["compare"],
        max_days=180,
    )
    application = factories.apply(world, items=["id_number"], mode="compare")
    client.force_login(world.applicant)
    body = client.get(reverse("sharing:application", args=[application.pk])).content.decode()
    assert "低保资格比对" in body and "直接授权" in body


@pytest.mark.parametrize("role", [Role.DEPARTMENT_STAFF, Role.DATA_OFFICER, Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN])
def test_every_sharing_page_renders_for_each_staff_role(world, client, role):
    user = user_with_role(role)
    client.force_login(user)
    application = factories.apply(world)
    for tab in ("applications", "grants", "provided", "objections", "coordinations"):
        assert client.get(reverse("sharing:home"), {"tab": tab}).status_code == 200
    for name in ("sharing:choose_entry", "sharing:review", "sharing:usage"):
        assert client.get(reverse(name)).status_code == 200
    expected = 200 if role in (Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN) else 404
    assert client.get(reverse("sharing:application", args=[application.pk])).status_code == expected
    evaluation = client.get(reverse("sharing:evaluation")).status_code
    assert evaluation == (200 if role in (Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN) else 403)
    scenario_page = client.get(reverse("sharing:scenarios")).status_code
    assert scenario_page == (200 if role in (Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN) else 403)


def test_the_bureau_admin_defines_a_scenario_and_switches_auto_grant(world, client, bureau_admin):
    client.force_login(bureau_admin)
    response = client.post(
        reverse("sharing:scenario_new"),
        {
            "name": "待遇核定",
            "entry": world.entry.pk,
            "items": "id_number, district",
            "modes": ["query"],
            "max_days": 90,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    client.post(reverse("sharing:policy"), {"auto_grant_unconditional": "on"})
    assert scenarios.policy().auto_grant_unconditional
    page = client.get(reverse("sharing:scenarios")).content.decode()
    assert "待遇核定" in page


def test_a_decision_by_someone_who_may_not_decide_is_a_403_with_the_reason(world, client):
    application = factories.apply(world)
    client.force_login(world.applicant_officer)  # the applicant's own officer, not the provider's
    response = client.post(reverse("sharing:application_refuse", args=[application.pk]), {"reason": "不同意"})
    assert response.status_code == 403 and "您不是该申请的审核人" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
