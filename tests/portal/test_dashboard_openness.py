"""P3 with open data: datasets published and downloads per period (downloads from the audit log)."""
import pytest
from django.utils import timezone

from openness.services import usage
from portal.dashboard import figures
from tests.openness import factories

pytestmark = pytest.mark.django_db


def test_open_data_figures(officer, reviewer):
    dataset, version = factories.published_dataset(officer, reviewer)
    for _ in range(3):
        usage.download_start(actor=None, dataset=dataset, version=version, fmt="csv")
    data = figures.table(timezone.localdate().year, department_ids=[officer.department_id])
    values = data["rows"][0]["values"]
    assert (values["open_datasets"], values["open_published"], values["open_downloads"]) == (1, 1, 3)
    last_year = figures.table(timezone.localdate().year - 1, department_ids=[officer.department_id])
    assert last_year["rows"][0]["values"]["open_downloads"] == 0
