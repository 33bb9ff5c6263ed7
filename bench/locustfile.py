"""B8's users (run by bench/scenarios/b8.py: locust --headless). Department staff browse and search
the catalog, open entries, apply for shared data (the web form, with its CSRF token) and query their
grant through the token API; public visitors browse the open data and download a dataset.

Sign-ins are prepared by the runner (session rows and API tokens) and read from the JSON file named
by BENCH_LOCUST_DATA."""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["BENCH_LOCUST_DATA"], encoding="utf-8").read())
_STAFF = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
APPLIED = re.compile(r"/sharing/applications/\d+/$")


class DepartmentStaff(HttpUser):
    weight = 4
    wait_time = between(0.5, 2)

    def on_start(self):
        # One connection per request: python-requests does not retry a request that meets a
        # keep-alive connection gunicorn has just closed (its keep-alive is 2 s), as browsers do.
        self.client.headers["Connection"] = "close"
        me = DATA["staff"][next(_STAFF) % len(DATA["staff"])]
        self.me = me
        name, value = me["cookie"].split("=", 1)
        self.client.cookies.set(name, value)
        self.apply_to = iter(me["apply_entries"])
        self.rng = random.Random(me["cookie"])

    @task(3)
    def browse_catalog(self):
        self.client.get(f"/catalog/?sort=newest&page={self.rng.randint(1, 50)}", name="catalog list")

    @task(3)
    def search_catalog(self):
        word = self.rng.choice(DATA["words"])
        self.client.get(f"/catalog/?q={word}&share_type=unconditional", name="catalog search")

    @task(2)
    def entry_detail(self):
        self.client.get(f"/catalog/{self.rng.choice(DATA['entries'])}/", name="catalog entry")

    @task(1)
    def apply(self):
        entry = next(self.apply_to, None)
        if entry is None:
            return
        page = self.client.get(f"/sharing/apply/{entry}/", name="sharing apply form")
        token = CSRF.search(page.text or "")
        if token is None:
            return
        with self.client.post(
            f"/sharing/apply/{entry}/",
            name="sharing apply submit",
            catch_response=True,
            data={"csrfmiddlewaretoken": token.group(1), "purpose": "履职需要（压测）"},
            headers={"Referer": page.url},
        ) as answer:
            if answer.status_code == 200 and APPLIED.search(answer.url or ""):
                answer.success()
            else:
                answer.failure(f"not applied: {answer.status_code} {answer.url}")

    @task(3)
    def query_grant(self):
        district = self.rng.choice(DATA["districts"])
        self.client.get(
            f"/api/sharing/grants/{self.me['grant']}/query/?district={district}"
            f"&page={self.rng.randint(1, 20)}&page_size=50",
            headers={"Authorization": f"Token {self.me['token']}"},
            name="grant query API",
        )

    @task(1)
    def inbox(self):
        self.client.get("/inbox/", name="inbox")


class PublicVisitor(HttpUser):
    weight = 1
    wait_time = between(0.5, 2)

    def on_start(self):
        self.client.headers["Connection"] = "close"  # as for the staff
        self.rng = random.Random()

    @task(3)
    def open_list(self):
        self.client.get("/open/", name="open data list")

    @task(2)
    def open_search(self):
        self.client.get(f"/open/?q={self.rng.choice(DATA['open_words'])}", name="open data search")

    @task(2)
    def dataset(self):
        self.client.get(f"/open/datasets/{DATA['dataset']}/", name="open dataset page")

    @task(1)
    def download(self):
        with self.client.get(
            f"/open/datasets/{DATA['dataset']}/download/csv/", name="open dataset download", catch_response=True
        ) as answer:  # read whole: the time counts the body too
            size = len(answer.content or b"")
            if answer.status_code != 200 or size < DATA["download_min_bytes"]:
                answer.failure(f"download: {answer.status_code}, {size} bytes")
