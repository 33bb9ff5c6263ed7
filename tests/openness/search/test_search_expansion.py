"""Issue 18 part 8: 养老院 finds 养老机构信息 through the bureau's synonyms; yanglao and ylj find it by
pinyin; a query with no dataset holding every word falls back to the partial matches, ranked, with
a notice; an empty result suggests titles and themes; matched words are marked, escaped first."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from catalog.search import pinyin_tokens, tsquery
from catalog.services import synonyms
from catalog.synonyms import SearchSynonym
from openness import selectors
from tests.openness.factories import published_dataset

pytestmark = pytest.mark.django_db


def _titles(q, **filters):
    return [d.published_version.title for d in selectors.search_datasets(q=q, filters=filters).datasets]


@pytest.fixture
def elderly(officer, reviewer):
    dataset, _v = published_dataset(
        officer, reviewer, name="养老机构信息", theme="社会保障", summary="全市养老机构名录"
    )
    published_dataset(officer, reviewer, name="学校基本信息", theme="教育", summary="全市中小学名称和地址")
    return dataset


def test_a_synonym_the_bureau_admin_adds_lets_yanglaoyuan_find_the_elderly_care_institutions(
    client, elderly, bureau_admin
):
    # without the synonym only the OR fallback finds it (老院 is nowhere), with the notice
    assert selectors.search_datasets(q="养老院").notes.mode == "any"
    synonyms.synonym_save(actor=bureau_admin, term="养老院", synonyms="养老机构，敬老院")
    result = selectors.search_datasets(q="养老院")
    assert result.notes.mode == "all" and [d.published_version.title for d in result.datasets] == ["养老机构信息"]
    page = client.get(reverse("openness:datasets"), {"q": "养老院"}).content.decode()
    assert "<mark>养老机构</mark>信息" in page and 'data-testid="partial-match"' not in page
    row = SearchSynonym.objects.get(term="养老院")
    assert row.synonyms == ["养老机构", "敬老院"] and row.updated_by == bureau_admin
    entry = AuditEntry.objects.get(action="catalog.synonym.save")
    assert entry.actor_id == bureau_admin.pk and entry.detail["synonyms"] == ["养老机构", "敬老院"]
    # every word must match: a second word nobody has still gives nothing by the AND path
    assert "((养老 & 老院) | (养老 & 老机 & 机构) | (敬老 & 老院))" in tsquery(
        "养老院", synonyms={"养老院": ["养老机构", "敬老院"]}
    )


def test_pinyin_and_initials_find_a_title(elderly):
    assert "yanglaojigouxinxi" in pinyin_tokens("养老机构信息") and "yljgxx" in pinyin_tokens("养老机构信息")
    assert _titles("yanglao") == ["养老机构信息"]
    assert _titles("ylj") == ["养老机构信息"]
    assert _titles("jigou") == ["养老机构信息"]
    assert _titles("xuexiao") == ["学校基本信息"]


def test_when_no_dataset_has_every_word_the_partial_matches_come_ranked_with_a_notice(client, elderly):
    result = selectors.search_datasets(q="养老 火星")
    assert result.notes.mode == "any" and [d.published_version.title for d in result.datasets] == ["养老机构信息"]
    page = client.get(reverse("openness:datasets"), {"q": "养老 火星"}).content.decode()
    assert 'data-testid="partial-match"' in page and "未找到同时包含所有词的结果，以下为部分匹配" in page
    both = selectors.search_datasets(q="全市 名录")
    assert both.notes.mode == "all"


def test_an_empty_result_suggests_a_title_that_sounds_alike_and_related_themes(client, elderly):
    # 杨老院: the wrong 杨 typed through a pinyin input method; no bigram matches anything
    result = selectors.search_datasets(q="杨老院")
    assert result.notes.mode == "none" and not result.datasets.exists()
    assert result.notes.suggestions == ["养老机构信息"]
    assert result.notes.related_themes == [("社会保障", 1)]
    page = client.get(reverse("openness:datasets"), {"q": "杨老院"}).content.decode()
    assert 'data-testid="did-you-mean"' in page and "养老机构信息" in page
    assert 'data-testid="related-themes"' in page and "?theme=%E7%A4%BE%E4%BC%9A%E4%BF%9D%E9%9A%9C" in page


def test_a_latin_typo_is_suggested_by_trigram_similarity(officer, reviewer):
    published_dataset(officer, reviewer, name="School directory 学校名录")
    result = selectors.search_datasets(q="schoool")
    assert result.notes.mode == "none" and result.notes.suggestions == ["School directory 学校名录"]


def test_highlighting_escapes_a_title_before_marking_it(client, officer, reviewer):
    published_dataset(officer, reviewer, name="<script>alert(1)</script>养老机构")
    page = client.get(reverse("openness:datasets"), {"q": "养老"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>养老</mark>机构" in page
    assert "<script>alert(1)" not in page


def test_the_format_facet_lists_file_formats(client, elderly):
    result = selectors.search_datasets()
    assert result.facets["data_format"] == [("CSV", 2), ("XLSX", 2), ("JSON", 2), ("API", 2)]
    page = client.get(reverse("openness:datasets")).content.decode()
    facet = page.split('data-testid="facet-data_format"')[1].split("</ul>")[0]
    assert "CSV" in facet and "XLSX" in facet and "数据库" not in facet and "电子表格" not in facet
    assert len(_titles("", data_format="CSV")) == 2
    assert _titles("", data_format="nonsense") == []


def test_without_pg_trgm_the_same_suggestions_come_from_python(monkeypatch, client, elderly, officer, reviewer):
    # the embedded pgserver build ships no pg_trgm: catalog migration 0006 skips it and search compares in Python
    from openness import search as open_search

    monkeypatch.setattr(open_search, "has_trigram_extension", lambda: False)
    published_dataset(officer, reviewer, name="School directory 学校名录")
    assert selectors.search_datasets(q="schoool").notes.suggestions == ["School directory 学校名录"]
    assert "养老机构信息" in selectors.search_datasets(q="杨老院").notes.suggestions
