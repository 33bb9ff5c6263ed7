"""SECURITY.md 14.3: no grant mode confirms a guessed masked value (docs/grant-modes.md).

- 统计: a filter on a masked item is refused (400, recorded as denied); the answer no longer says how
  many groups were left out; a filtered set smaller than MIN_FILTERED_ROWS is refused without its size.
- 查阅 / 获取: a masked item is filtered on only by a full identifier (ID number, credit code, phone);
  a masked name or amount, whose values can be tried one by one, is refused.
- 比对: one record is compared at most COMPARES_PER_RECORD times a grant and day.
"""

import pytest

from audit.models import AuditEntry
from portal.errors import DomainError
from sharing.models import GrantUse
from sharing.services import applications, use
from tests.sharing import factories
from tests.sharing.test_api import token_client


def granted(w, *, mode, items):
    application = factories.apply(w, mode=mode, items=list(items))
    return applications.application_approve(actor=w.provider_officer, application=application)


def test_the_suppressed_group_count_no_longer_confirms_a_guessed_masked_value(world):
    """The review's attack: ?group_by=district&name=<guess> answered suppressed_groups 1 for a right
    guess and 0 for a wrong one. Now both guesses get the same refusal, recorded as denied."""
    grant = granted(world, mode="statistics", items=["name", "district", "amount"])
    api = token_client(world.applicant)
    right, wrong = world.rows[0]["name"], "不存在某"
    answers = [
        api.get(f"/api/sharing/grants/{grant.pk}/statistics/", {"group_by": "district", "name": guess})
        for guess in (right, wrong)
    ]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["code"] == "masked_filter" and "姓名（name）" in answers[0].json()["detail"]
    denied = AuditEntry.objects.filter(
        action="sharing.grant.statistics", outcome="denied", object_id=str(grant.pk), detail__code="masked_filter"
    )
    assert denied.count() == 2
    assert GrantUse.objects.filter(grant=grant, outcome="denied", detail__code="masked_filter").count() == 2
    assert right not in str(list(denied.values_list("detail", flat=True)))  # the guess is not logged

    ok = api.get(f"/api/sharing/grants/{grant.pk}/statistics/", {"group_by": "district"})
    assert ok.status_code == 200 and "suppressed_groups" not in ok.json()


def test_statistics_refuse_a_filtered_set_below_the_minimum_without_saying_its_size(world, settings):
    grant = granted(world, mode="statistics", items=["district", "status", "amount"])
    refusals = []
    for filters in ({"district": "南湖区"}, {"district": "西山县"}, {"district": "东城区"}):  # 2, 5 and 7 rows
        with pytest.raises(DomainError) as refused:
            use.grant_statistics(actor=world.applicant, grant=grant, group_by=["status"], filters=filters)
        assert refused.value.status_code == 400 and refused.value.code == "population_too_small"
        refusals.append(str(refused.value.message))
    assert len(set(refusals)) == 1 and "10" in refusals[0]
    assert not any(str(n) in refusals[0].replace("10", "") for n in (2, 5, 7))
    assert GrantUse.objects.filter(grant=grant, outcome="denied", detail__code="population_too_small").count() == 3
    # the whole table (14 rows) may be counted; a lower minimum lets 西山县 through
    assert use.grant_statistics(actor=world.applicant, grant=grant, group_by=["district"])["groups"]
    settings.SHARING = {"MIN_FILTERED_ROWS": 5}
    result = use.grant_statistics(
        actor=world.applicant, grant=grant, group_by=["district"], filters={"district": "西山县"}
    )
    assert result["groups"] == [{"group": {"district": "西山县"}, "count": 5}]


def test_query_filters_a_masked_item_only_by_a_full_identifier(world):
    grant = granted(world, mode="query", items=["id_number", "name", "district", "amount"])
    person = world.rows[4]
    found = use.grant_query(actor=world.applicant, grant=grant, filters={"id_number": person["id_number"]})
    assert found["count"] == 1 and found["rows"][0]["district"] == person["district"]
    assert found["rows"][0]["id_number"] != person["id_number"]  # still shown masked
    with pytest.raises(DomainError) as refused:
        use.grant_query(actor=world.applicant, grant=grant, filters={"name": person["name"]})
    assert refused.value.status_code == 400 and refused.value.code == "masked_filter"
    assert "姓名（name）" in str(refused.value.message)
    assert GrantUse.objects.filter(grant=grant, outcome="denied", detail__code="masked_filter").count() == 1


@pytest.mark.django_db(transaction=True)
def test_pull_filters_a_masked_item_only_by_a_full_identifier():
    w = factories.world()
    grant = granted(w, mode="pull", items=["id_number", "name", "district"])
    with pytest.raises(DomainError) as refused:
        use.grant_pull(actor=w.applicant, grant=grant, filters={"name": w.rows[0]["name"]})
    assert refused.value.code == "masked_filter"
    pull = use.grant_pull(actor=w.applicant, grant=grant, fmt="json", filters={"id_number": w.rows[0]["id_number"]})
    assert pull.rows == 1 and b"".join(pull.chunks).count(b"district") == 1


def test_one_record_is_compared_a_limited_number_of_times_a_day(world, settings):
    settings.SHARING = {"COMPARES_PER_RECORD": 3}
    grant = granted(world, mode="compare", items=["id_number", "amount"])
    person, other = world.rows[2], world.rows[3]
    api = token_client(world.applicant)

    def compare(key_value, guess):
        return api.post(
            f"/api/sharing/grants/{grant.pk}/compare/",
            {"key": "id_number", "key_value": key_value, "values": {"amount": guess}},
            format="json",
        )

    assert [compare(person["id_number"], f"{500 + n}.00").status_code for n in range(3)] == [200, 200, 200]
    refused = compare(person["id_number"], person["amount"])
    assert refused.status_code == 429 and refused.json()["code"] == "compare_record_quota"
    assert int(refused["Retry-After"]) > 0 and "3 次" in refused.json()["detail"]
    assert compare(other["id_number"], other["amount"]).json()["results"]["amount"] == "match"
    # the usage log names the compared record by a digest, never by its value
    details = GrantUse.objects.filter(grant=grant).values_list("detail", flat=True)
    assert person["id_number"] not in str(list(details))
    assert (
        AuditEntry.objects.filter(
            action="sharing.grant.compare", outcome="denied", detail__code="compare_record_quota"
        ).count()
        == 1
    )


def test_compare_locates_records_by_a_masked_item_only_if_it_is_an_identifier(world):
    """Keyed on a masked name or amount, "found / not found" would confirm guessed values one by one."""
    grant = granted(world, mode="compare", items=["id_number", "name", "district"])
    person = world.rows[0]
    with pytest.raises(DomainError) as refused:
        use.grant_compare(
            actor=world.applicant,
            grant=grant,
            key="name",
            key_value=person["name"],
            values={"district": person["district"]},
        )
    assert refused.value.status_code == 400 and refused.value.code == "masked_key"
    assert GrantUse.objects.filter(grant=grant, outcome="denied", detail__code="masked_key").count() == 1
    # an item that is not masked locates records; an identifier does even when masked
    by_district = use.grant_compare(
        actor=world.applicant, grant=grant, key="district", key_value="东城区", values={"name": person["name"]}
    )
    assert by_district["results"] == {"district": "match", "name": "match"}
    by_id = use.grant_compare(
        actor=world.applicant,
        grant=grant,
        key="id_number",
        key_value=person["id_number"],
        values={"name": person["name"]},
    )
    assert by_id["results"] == {"id_number": "match", "name": "match"}
