"""O1/O3: the public pages work without signing in: landing page, search with facets, dataset page
with metadata, preview and history; the negative list with its legal basis."""

import re

import pytest
from django.urls import reverse

from openness.models import Dataset
from tests.catalog.factories import published
from tests.openness.factories import published_dataset

pytestmark = pytest.mark.django_db


def test_landing_page_shows_counts_newest_and_most_downloaded(client, officer, reviewer):
    first, _v = published_dataset(officer, reviewer, name="企业登记信息")
    second, _v = published_dataset(officer, reviewer, name="食品经营许可证信息")
    Dataset.objects.filter(pk=first.pk).update(download_count=42)
    for url in (reverse("home"), reverse("open_data_home")):
        page = client.get(url).content.decode()
        assert 'data-testid="stat-datasets">2<' in page
        newest = page.split('data-testid="newest-datasets"')[1].split("</section>")[0]
        popular = page.split('data-testid="popular-datasets"')[1].split("</section>")[0]
        assert newest.index("食品经营许可证信息") < newest.index("企业登记信息")
        assert popular.index("企业登记信息") < popular.index("食品经营许可证信息")


def test_search_finds_datasets_by_chinese_words_and_filters_by_facets(client, officer, reviewer):
    published_dataset(officer, reviewer, name="企业登记信息", theme="市场监管")
    published_dataset(
        officer, reviewer, name="学校基本信息", summary="全市中小学名称和地址", theme="教育", update_frequency="yearly"
    )
    page = client.get(reverse("openness:datasets"), {"q": "登记"}).content.decode()
    assert "企业<mark>登记</mark>信息" in page and "学校基本信息" not in page  # marked: issue 18 part 8
    page = client.get(reverse("openness:datasets"), {"update_frequency": "yearly"}).content.decode()
    assert "学校基本信息" in page and "企业登记信息" not in page
    page = client.get(reverse("openness:datasets")).content.decode()
    for facet in ("department", "theme", "data_format", "open_type", "update_frequency"):
        assert f'data-testid="facet-{facet}"' in page
    assert client.get(reverse("openness:datasets"), {"department": "x'; drop", "sort": "bad"}).status_code == 200


def test_dataset_page_shows_metadata_masked_preview_and_history(client, officer, reviewer):
    dataset, version = published_dataset(officer, reviewer)
    page = client.get(reverse("openness:dataset", args=[dataset.pk])).content.decode()
    assert version.title in page and officer.department.name in page
    assert 'data-testid="dataset-preview"' in page and "张*" in page and "张三" not in page
    assert "保留前 1 位" in page and 'data-testid="version-history"' in page
    assert 'data-testid="download-xlsx"' in page


def test_on_application_datasets_show_no_rows_until_access_is_granted(client, officer, reviewer):
    dataset, _v = published_dataset(officer, reviewer, open_type="on_application", open_condition="须申请")
    page = client.get(reverse("openness:dataset", args=[dataset.pk])).content.decode()
    assert 'data-testid="dataset-preview"' not in page and 'data-testid="application-needed"' in page
    assert "注册" in page


def test_the_negative_list_is_public_with_its_legal_basis(client, officer, reviewer):
    published(
        officer,
        reviewer,
        name="违法犯罪记录信息",
        share_type="not_shared",
        open_type="not_open",
        legal_basis="《中华人民共和国刑事诉讼法》第五十四条",
    )
    published(officer, reviewer, name="企业营业执照信息", open_type="unconditional")
    page = client.get(reverse("openness:negative_list")).content.decode()
    assert "违法犯罪记录信息" in page and "《中华人民共和国刑事诉讼法》第五十四条" in page
    assert "企业营业执照信息" not in page
    landing = client.get(reverse("open_data_home")).content.decode()
    assert "不予开放负面清单（1）" in landing


def test_unknown_datasets_are_not_found(client):
    assert client.get(reverse("openness:dataset", args=[424242])).status_code == 404


def test_public_pages_carry_no_external_assets(client, officer, reviewer):
    dataset, _v = published_dataset(officer, reviewer)
    for url in (
        reverse("openness:datasets"),
        reverse("openness:dataset", args=[dataset.pk]),
        reverse("openness:negative_list"),
        reverse("openness:guide"),
        reverse("openness:register"),
    ):
        body = client.get(url).content.decode()
        # schema.org's JSON-LD names its vocabulary by an https IRI: an identifier, nothing is fetched
        body = re.sub(r'<script type="application/ld\+json">.*?</script>', "", body, flags=re.S)
        assert "https://" not in body and 'src="http' not in body and 'name="viewport"' in body
