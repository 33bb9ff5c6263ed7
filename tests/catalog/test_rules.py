"""C3: invalid combinations are refused with a clear Chinese message (Lhasa art. 8-10)."""

import pytest

from catalog.rules import normalise_content, validate_content, validate_items
from catalog.services import entries
from portal.errors import DomainError
from tests.catalog.factories import content, items

pytestmark = pytest.mark.django_db


def test_valid_unconditional_content_passes():
    assert validate_content(content()) == {}


@pytest.mark.parametrize("share_type", ["conditional", "not_shared"])
def test_conditional_and_not_shared_need_a_legal_basis(share_type):
    errors = validate_content(
        content(
            share_type=share_type,
            share_condition="仅向公安提供",
            share_modes=["query"],
            open_type="not_open",
            open_condition="涉及个人信息",
        )
    )
    assert "法律" in errors["legal_basis"][0]


@pytest.mark.parametrize("kind", ["population", "legal_person", "geo", "e_license"])
def test_base_data_must_be_shared_unconditionally(kind):
    errors = validate_content(
        content(
            category="base",
            base_kind=kind,
            share_type="conditional",
            legal_basis="某法",
            share_condition="仅限",
            share_modes=["query"],
        )
    )
    assert "必须为无条件共享" in errors["share_type"][0]
    assert validate_content(content(category="base", base_kind=kind)) == {}


def test_base_category_needs_its_kind():
    assert "基础信息资源须选择类别" in validate_content(content(category="base"))["base_kind"][0]


def test_conditional_sharing_states_its_condition_and_modes():
    errors = validate_content(
        content(share_type="conditional", legal_basis="某法", open_type="not_open", open_condition="x")
    )
    assert "共享条件" in errors["share_condition"][0]
    assert "至少选择一种" in errors["share_modes"][0]


def test_not_shared_data_cannot_be_opened():
    errors = validate_content(content(share_type="not_shared", legal_basis="某法", open_type="unconditional"))
    assert "不予共享的资源不能向社会开放" in errors["open_type"][0]


def test_restricted_opening_publishes_its_basis():
    errors = validate_content(content(open_type="on_application"))
    assert "限制开放的依据" in errors["open_condition"][0]


def test_unconditional_sharing_allows_every_mode():
    assert normalise_content(content())["share_modes"] == ["query", "compare", "statistics", "pull"]
    assert normalise_content(content(share_type="not_shared"))["share_modes"] == []


def test_items_need_identifier_keys_and_unique_names():
    bad = items() + [
        {"key": "Bad Key", "name": "企业名称", "type": "string"},
        {"key": "_row", "name": "行号", "type": "string"},
        {"key": "x", "name": "x", "type": "blob"},
    ]
    messages = " ".join(validate_items(bad)["items"])
    assert "字段代码无效" in messages and "名称「企业名称」重复" in messages and "数据类型无效" in messages
    assert "至少需要一个信息项" in validate_items([])["items"][0]


def test_service_refuses_an_invalid_entry_and_writes_nothing(officer):
    from catalog.models import ResourceEntry

    with pytest.raises(DomainError) as exc:
        entries.entry_create(
            actor=officer,
            department=officer.department,
            content=content(share_type="not_shared", open_type="unconditional"),
            items=items(),
        )
    assert exc.value.status_code == 400
    assert "legal_basis" in exc.value.errors and "open_type" in exc.value.errors
    assert not ResourceEntry.objects.exists()
