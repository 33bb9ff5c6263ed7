"""Issue 19 part 4: the page and the API of the settings the bureau owns: permission, bounds, the
effective date, history, the audit entry, and the article text rendered from the setting."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from portal.models import PolicySetting
from portal.services.policy import policy_set
from tests.sharing import factories


def test_the_page_lists_every_setting_with_its_value_and_the_statement(client, bureau_admin):
    client.force_login(bureau_admin)
    page = client.get(reverse("policy_list")).content.decode()
    assert "期限与条款设置" in page and "已在办的事项仍按受理时计算的期限办理" in page
    assert 'data-testid="value-SHARE_REVIEW_WORKING_DAYS">5<' in page
    assert "拉萨办法第二十二条" in page


def test_setting_a_value_from_the_page_is_stored_audited_and_shown_in_the_history(client, bureau_admin):
    client.force_login(bureau_admin)
    today = timezone.localdate()
    url = reverse("policy_detail", args=["SHARE_REVIEW_WORKING_DAYS"])
    answer = client.post(url, {"value": "7", "effective_from": today.isoformat(), "reason": "泗县办法第二十七条"})
    assert answer.status_code == 302
    row = PolicySetting.objects.get(key="SHARE_REVIEW_WORKING_DAYS")
    assert (row.value, row.effective_from, row.set_by) == ("7", today, bureau_admin)
    entry = AuditEntry.objects.get(action="portal.policy.set")
    assert entry.detail["before"] == "5" and entry.detail["value"] == "7" and entry.actor_id == bureau_admin.pk
    page = client.get(url).content.decode()
    assert "泗县办法第二十七条" in page and "<strong>7</strong>" in page


@pytest.mark.parametrize(
    "body, field",
    [
        ({"value": "0"}, "value"),
        ({"value": "61"}, "value"),
        ({"value": "五"}, "value"),
        ({"value": "-3"}, "value"),
        ({"effective_from": "2001-01-01"}, "effective_from"),
        ({"effective_from": "2026-13-45"}, "effective_from"),
        ({"reason": ""}, "reason"),
    ],
)
def test_bad_values_are_form_errors_and_write_nothing(client, bureau_admin, body, field):
    client.force_login(bureau_admin)
    data = {"value": "6", "effective_from": timezone.localdate().isoformat(), "reason": "依据"} | body
    answer = client.post(reverse("policy_detail", args=["OBJECTION_WORKING_DAYS"]), data)
    assert answer.status_code == 400
    assert f'data-testid="error-{field}"' in answer.content.decode()
    assert not PolicySetting.objects.exists() and not AuditEntry.objects.filter(action="portal.policy.set").exists()


def test_a_date_in_the_past_is_refused_by_the_api_with_400(client, bureau_admin):
    client.force_login(bureau_admin)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    answer = client.post(
        reverse("api_policy_detail", args=["OBJECTION_WORKING_DAYS"]),
        json.dumps({"value": "6", "effective_from": yesterday.isoformat(), "reason": "x"}),
        content_type="application/json",
    )
    assert answer.status_code == 400 and "不能早于今天" in answer.content.decode()
    assert not PolicySetting.objects.exists()


def test_the_api_sets_and_lists(client, bureau_admin):
    client.force_login(bureau_admin)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    answer = client.post(
        reverse("api_policy_detail", args=["OBJECTION_ARTICLE"]),
        json.dumps({"value": "河池办法第三十条", "effective_from": tomorrow.isoformat(), "reason": "本市办法"}),
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["value"] == "拉萨办法第二十三条"  # in force today: the new text starts tomorrow
    assert body["history"][0]["value"] == "河池办法第三十条"
    listed = {row["key"]: row for row in client.get(reverse("api_policy_list")).json()}
    assert listed["SHARE_REVIEW_WORKING_DAYS"]["value"] == "5" and listed["SHARE_REVIEW_WORKING_DAYS"]["since"] is None
    assert client.get(reverse("api_policy_detail", args=["NO_SUCH_KEY"])).status_code == 404


def test_only_the_bureau_admin_sets_and_reads(client, reviewer, officer):
    for user in (reviewer, officer):
        client.force_login(user)
        assert client.get(reverse("policy_list")).status_code == 403
        data = {"value": "6", "effective_from": timezone.localdate().isoformat(), "reason": "x"}
        assert client.post(reverse("policy_detail", args=["OBJECTION_WORKING_DAYS"]), data).status_code == 403
        assert client.post(reverse("api_policy_detail", args=["OBJECTION_WORKING_DAYS"]), data).status_code == 403
    assert not PolicySetting.objects.exists()


def test_the_provider_review_cites_the_article_the_bureau_set(client, db, bureau_admin):
    world = factories.world()
    application = factories.apply(world)
    client.force_login(world.provider_officer)
    url = reverse("sharing:application", args=[application.pk])
    assert "拉萨办法第二十二条" in client.get(url).content.decode()
    today = timezone.localdate()
    policy_set(
        actor=bureau_admin,
        key="SHARE_MINIMUM_GRANT_ARTICLE",
        value="泗县办法第二十八条",
        effective_from=today,
        reason="x",
    )
    policy_set(actor=bureau_admin, key="SHARE_REVIEW_WORKING_DAYS", value="7", effective_from=today, reason="x")
    page = client.get(url).content.decode()
    assert "泗县办法第二十八条" in page and "拉萨办法第二十二条" not in page
    assert "应在 7 个工作日内答复" in page
