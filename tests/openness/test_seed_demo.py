"""`manage.py seed_demo` publishes at least 15 open datasets of several departments, one of them
over 100,000 rows, each through the masking check and the bureau's approval; safe to run twice."""

import io

import pytest
from django.core.management import call_command

from catalog import datastore
from openness.models import Application, Dataset, DatasetVersion

pytestmark = pytest.mark.django_db


def test_seed_demo_publishes_the_open_data_of_the_demo_city():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "demo openness:" in out.getvalue()
    open_datasets = Dataset.objects.filter(published_version__isnull=False, withdrawn_at__isnull=True)
    assert open_datasets.count() >= 15
    assert open_datasets.values("department").distinct().count() >= 6
    assert set(open_datasets.values_list("published_version__open_type", flat=True)) == {
        "unconditional",
        "on_application",
    }
    big = open_datasets.order_by("-published_version__row_count").first().published_version
    assert big.row_count > 100_000 and datastore.row_count(big.table_name) == big.row_count
    for version in DatasetVersion.objects.filter(status="published"):
        assert version.check_report["findings"] == [] and version.reviewed_by is not None
    assert DatasetVersion.objects.filter(status="superseded").exists()
    assert Dataset.objects.filter(withdrawn_at__isnull=False).exclude(withdrawal_reason="").exists()
    assert Dataset.objects.filter(stale_since__isnull=False).exists()
    assert Application.objects.filter(status="approved").exists()
    traders = DatasetVersion.objects.get(status="published", title="个体工商户登记信息")
    assert {i["key"]: i["rule"] for i in traders.items}["uscc"] == "hash"

    count = Dataset.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Dataset.objects.count() == count
