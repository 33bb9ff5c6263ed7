"""Scale-out (SECURITY.md, scale-out): the races of test_races.py with two web processes (gunicorn, each with its
own workers and threads) and two Celery workers against one PostgreSQL and one Redis. Requests of one
race go to different web processes; the loads and sweeps are taken by different workers.

How to run several of each in production: SECURITY.md, "Running several web processes and workers".
"""

import pytest

from tests.security.test_races import SCENARIOS, deploy

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]  # real gunicorn / Celery / restore processes


@pytest.fixture
def two_by_two(transactional_db, tmp_path):
    d = deploy(tmp_path, webs=2, workers=2, web_workers=1)
    yield d
    d.stop()


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_race_with_two_web_processes_and_two_workers(two_by_two, name):
    SCENARIOS[name](two_by_two)
    two_by_two.check_alive()
