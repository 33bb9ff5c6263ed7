"""S5: a grant is used in exactly its mode, on exactly its items; everything else is refused and
recorded as denied; compare answers carry no stored values; small groups are suppressed; expired
and revoked grants are refused."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from portal.errors import DomainError, PermissionDeniedError
from sharing.models import Grant, GrantUse
from sharing.services import applications, grants, use
from tests.sharing import factories


def granted(w, *, mode, items=("id_number", "name", "district", "amount"), unmask=()):
    application = factories.apply(w, mode=mode, items=list(items), unmask_requested=list(unmask))
    return applications.application_approve(
        actor=w.provider_officer, application=application, unmasked_items=list(unmask)
    )


def denied(w, call, code):
    with pytest.raises(PermissionDeniedError) as refused:
        call()
    assert refused.value.code == code
    return str(refused.value.message)


def test_query_returns_the_granted_items_only_with_sensitive_items_masked(world):
    grant = granted(world, mode="query", items=["id_number", "name", "district"])
    result = use.grant_query(actor=world.applicant, grant=grant, filters={"district": "西山县"})
    assert result["count"] == 5
    assert all(set(row) == {"id_number", "name", "district"} for row in result["rows"])
    first = [r for r in world.rows if r["district"] == "西山县"][0]
    row = result["rows"][0]
    assert row["id_number"] == "*" * 14 + first["id_number"][-4:]
    assert row["name"] == first["name"][0] + "*" and row["district"] == "西山县"
    assert GrantUse.objects.get(grant=grant).amount == 5


def test_every_mode_refuses_what_is_outside_it(world):
    query = granted(world, mode="query", items=["id_number", "district"])
    message = denied(
        world, lambda: use.grant_query(actor=world.applicant, grant=query, items=["amount"]), "item_not_granted"
    )
    assert "月保障金额（元）（amount）" in message
    denied(
        world, lambda: use.grant_query(actor=world.applicant, grant=query, filters={"name": "张某"}), "item_not_granted"
    )
    denied(world, lambda: use.grant_query(actor=world.applicant, grant=query, order_by="-amount"), "item_not_granted")
    assert "不能「比对」" in denied(
        world,
        lambda: use.grant_compare(
            actor=world.applicant, grant=query, key="id_number", key_value="x", values={"district": "东城区"}
        ),
        "wrong_mode",
    )
    denied(world, lambda: use.grant_statistics(actor=world.applicant, grant=query, group_by=["district"]), "wrong_mode")
    denied(world, lambda: use.grant_pull(actor=world.applicant, grant=query), "wrong_mode")

    compare = granted(world, mode="compare", items=["id_number", "name"])
    denied(
        world,
        lambda: use.grant_compare(
            actor=world.applicant,
            grant=compare,
            key="id_number",
            key_value=world.rows[0]["id_number"],
            values={"amount": "500"},
        ),
        "item_not_granted",
    )
    denied(world, lambda: use.grant_query(actor=world.applicant, grant=compare), "wrong_mode")

    statistics = granted(world, mode="statistics", items=["district", "amount"])
    denied(
        world,
        lambda: use.grant_statistics(actor=world.applicant, grant=statistics, group_by=["status"]),
        "item_not_granted",
    )
    denied(
        world,
        lambda: use.grant_statistics(
            actor=world.applicant, grant=statistics, group_by=["district"], measures=[("sum", "name")]
        ),
        "item_not_granted",
    )

    pull = granted(world, mode="pull", items=["district"])
    denied(world, lambda: use.grant_pull(actor=world.applicant, grant=pull, items=["name"]), "item_not_granted")
    denied(world, lambda: use.grant_statistics(actor=world.applicant, grant=pull, group_by=["district"]), "wrong_mode")

    refusals = AuditEntry.objects.filter(action__startswith="sharing.grant.", outcome="denied")
    assert refusals.count() == GrantUse.objects.filter(outcome="denied").count() == 12
    assert not GrantUse.objects.filter(outcome="success").exists()


def test_only_the_holder_department_uses_a_grant(world, make_user):
    from portal.roles import Role

    grant = granted(world, mode="query")
    denied(world, lambda: use.grant_query(actor=world.provider_officer, grant=grant), "not_holder")
    colleague = make_user(Role.DEPARTMENT_STAFF, department=world.department)
    assert use.grant_query(actor=colleague, grant=grant)["count"] == len(world.rows)


def test_compare_answers_match_or_no_match_per_item_and_never_a_stored_value(world):
    grant = granted(world, mode="compare", items=["id_number", "name", "district", "amount"])
    person = world.rows[3]
    result = use.grant_compare(
        actor=world.applicant,
        grant=grant,
        key="id_number",
        key_value=person["id_number"],
        values={"name": person["name"], "district": "南湖区", "amount": person["amount"]},
    )
    assert result["results"] == {"id_number": "match", "name": "match", "district": "no_match", "amount": "match"}
    text = json.dumps(result, ensure_ascii=False)
    for stored in (person["district"], person["id_number"][-4:]):
        assert stored not in text
    unknown = factories.fake_id_number(factories.random.Random(99), dt.date(1990, 1, 1), True)
    result = use.grant_compare(
        actor=world.applicant, grant=grant, key="id_number", key_value=unknown, values={"name": person["name"]}
    )
    assert result["results"] == {"id_number": "no_match", "name": "no_match"}
    with pytest.raises(DomainError) as bad:
        use.grant_compare(actor=world.applicant, grant=grant, key="id_number", key_value="12345", values={"name": "x"})
    assert bad.value.status_code == 400 and "身份证号" in str(bad.value.message)


def test_statistics_suppress_groups_smaller_than_the_threshold(world, settings):
    grant = granted(world, mode="statistics", items=["district", "amount", "status"])
    result = use.grant_statistics(
        actor=world.applicant, grant=grant, group_by=["district"], measures=[("sum", "amount"), ("avg", "amount")]
    )
    groups = {g["group"]["district"]: g for g in result["groups"]}
    assert set(groups) == {"东城区", "西山县"} and "suppressed_groups" not in result  # 南湖区 has 2 rows
    east = [r for r in world.rows if r["district"] == "东城区"]
    assert groups["东城区"]["count"] == 7
    assert float(groups["东城区"]["sum_amount"]) == sum(float(r["amount"]) for r in east)
    settings.SHARING = {"MIN_GROUP_SIZE": 8}
    result = use.grant_statistics(actor=world.applicant, grant=grant, group_by=["district"])
    assert result["groups"] == [] and set(result) == {"data_version", "groups", "min_group_size", "truncated"}


def test_statistics_refuse_grouping_on_masked_items(world):
    grant = granted(world, mode="statistics", items=["name", "district"])
    with pytest.raises(DomainError):
        use.grant_statistics(actor=world.applicant, grant=grant, group_by=["name"])


@pytest.mark.django_db(transaction=True)  # COPY streams on a connection of its own: committed data only
def test_pull_streams_csv_and_json_of_the_granted_items(world):
    grant = granted(world, mode="pull", items=["name", "district", "amount"])
    pull = use.grant_pull(actor=world.applicant, grant=grant, fmt="csv")
    text = b"".join(pull.chunks).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "姓名,所属区县,月保障金额（元）" and len(lines) == 1 + len(world.rows)
    assert lines[1] == f"{world.rows[0]['name'][0]}*,东城区,500.00"
    pull = use.grant_pull(actor=world.applicant, grant=grant, fmt="json")
    rows = json.loads(b"".join(pull.chunks))
    assert len(rows) == len(world.rows) and set(rows[0]) == {"name", "district", "amount"}
    assert rows[-1]["district"] == "南湖区" and rows[0]["name"].endswith("*")
    assert GrantUse.objects.filter(grant=grant, mode="pull", amount=len(world.rows)).count() == 2


def test_an_expired_or_revoked_grant_is_refused(world):
    grant = granted(world, mode="query")
    Grant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    grant.refresh_from_db()
    assert "到期" in denied(world, lambda: use.grant_query(actor=world.applicant, grant=grant), "expired")
    assert grants.sweep_expired_grants() == 1
    grant.refresh_from_db()
    assert grant.status == Grant.Status.EXPIRED

    other = granted(world, mode="compare", items=["id_number"])
    grants.grant_revoke(actor=world.provider_officer, grant=other, reason="用途已变更")
    other.refresh_from_db()
    message = denied(
        world,
        lambda: use.grant_compare(
            actor=world.applicant,
            grant=other,
            key="id_number",
            key_value=world.rows[0]["id_number"],
            values={"id_number": world.rows[0]["id_number"]},
        ),
        "revoked",
    )
    assert "用途已变更" in message


def test_revocation_needs_a_reason_and_the_provider_or_the_bureau(world, bureau_admin):
    grant = granted(world, mode="query")
    with pytest.raises(PermissionDeniedError):
        grants.grant_revoke(actor=world.applicant_officer, grant=grant, reason="x")
    with pytest.raises(DomainError):
        grants.grant_revoke(actor=world.provider_officer, grant=grant, reason="")
    grants.grant_revoke(actor=bureau_admin, grant=grant, reason="监督检查发现超范围使用")
    assert AuditEntry.objects.filter(action="sharing.grant.revoke", object_id=str(grant.pk)).count() == 1


def test_an_item_flagged_sensitive_after_the_grant_is_masked_from_then_on(world):
    from catalog.services import entries

    grant = granted(world, mode="query", items=["district", "status"])
    assert use.grant_query(actor=world.applicant, grant=grant)["rows"][0]["district"] == "东城区"
    entries.entry_revise(actor=world.provider_officer, entry=world.entry)
    items = [
        dict(i, sensitive=i["sensitive"] if i.get("sensitive") else i["key"] == "district") for i in factories.ITEMS
    ]
    entries.version_update(actor=world.provider_officer, entry=world.entry, content={}, items=items)
    entries.entry_submit(actor=world.provider_officer, entry=world.entry)
    entries.entry_approve(actor=world.reviewer, entry=world.entry)
    result = use.grant_query(actor=world.applicant, grant=grant)
    assert result["rows"][0]["district"] == "东**" and result["rows"][0]["status"] in ("在保", "停保")
    assert [c["masked"] for c in result["columns"]] == [True, False]
