"""SECURITY.md 14.F, deeper fuzzing: for each role, walk every published and superseded version of every
open type, every format and every way rows are read, and compare what is served with the rules.

The rules (openness.selectors.read_refusal), written out so that a reader can check them. A row is
how a version is served; a column a caller; "+" the caller reads its rows, "-" it does not.

The open type served is the version's own or, for a dataset published from a catalog resource, the
resource's current open type when that is stricter (a resource re-catalogued 不予开放 stops serving
its older versions). A withdrawal withdraws every version. "applicant" holds an approved application
for each 依申请开放 dataset; "expired" held one that has expired.
"""

import csv
import io
import json

import openpyxl
import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from audit.models import AuditEntry
from catalog.services import entries as entry_services
from catalog.services import loads
from openness.models import Dataset, DatasetVersion
from openness.services import apikeys, publishing
from portal.roles import Role
from tests.factories import DepartmentFactory, user_with_role
from tests.openness.factories import (
    approved_application,
    company,
    csv_upload,
    entry_with_rows,
    propose,
    publish_upload,
    recatalogue,
    republish,
)

pytestmark = pytest.mark.django_db

ROLES = ["anon", "public", "applicant", "expired", "own_staff", "other_staff", "officer", "reviewer", "auditor"]

READ_RULES = """
# served_as          anon public applicant expired own_staff other_staff officer reviewer auditor
unconditional         +     +      +         +        +         +          +       +        +
on_application        -     -      +         -        -         -          +       +        -
not_open              -     -      -         -        -         -          +       +        -
withdrawn             -     -      -         -        -         -          -       -        -
"""

# /open/versions/<id>/, the review page: its department's data officers and the bureau only. "L":
# sent to sign in. Rows are shown there when the page is visible and the read rule above allows.
REVIEW_PAGE = """
# page               anon public applicant expired own_staff other_staff officer reviewer auditor
review_page           L     -      -         -        -         -          +       +        -
"""

# What a refusal answers, per way in: status and the reason the caller is told (in Chinese).
REFUSAL = {
    "on_application": (403, "application_required", "依申请开放"),
    "not_open": (403, "not_open", "不予开放"),
    "withdrawn": (410, "withdrawn", "撤回"),
}
FORMATS = ("csv", "json", "xlsx")


def _table(text):
    rows = [line.split() for line in text.strip().splitlines() if not line.startswith("#")]
    header = text.strip().splitlines()[0].lstrip("#").split()[1:]
    assert header == ROLES
    return {row[0]: dict(zip(ROLES, row[1:], strict=True)) for row in rows}


READS = _table(READ_RULES)
REVIEW = _table(REVIEW_PAGE)["review_page"]


def _rows(n, marker):
    # the marker (in 备注) names the version, so a body shows whose rows it carries
    return [company(n * 10 + i, note=marker) for i in range(1, 3)]


class World:
    """Department A publishes; every dataset below through the real services. `versions` lists
    (marker, dataset, number, served as) for every published and superseded version."""

    def __init__(self):
        self.officer = user_with_role(Role.DATA_OFFICER)
        self.reviewer = user_with_role(Role.BUREAU_REVIEWER)
        a = self.officer.department
        self.users = {
            "anon": None,
            "public": user_with_role(Role.PUBLIC),
            "applicant": user_with_role(Role.PUBLIC),
            "expired": user_with_role(Role.PUBLIC),
            "own_staff": user_with_role(Role.DEPARTMENT_STAFF, department=a),
            "other_staff": user_with_role(Role.DEPARTMENT_STAFF, department=DepartmentFactory()),
            "officer": self.officer,
            "reviewer": self.reviewer,
            "auditor": user_with_role(Role.AUDITOR),
        }
        self.versions = []
        officer, reviewer = self.officer, self.reviewer

        # 1. catalog, 无条件开放 twice: v1 superseded, v2 published
        entry = entry_with_rows(officer, _rows(1, "MARK-UNCOND-1"), reviewer=reviewer, name="企业名录甲")
        v1 = publishing.version_approve(actor=reviewer, version=propose(officer, entry))
        loads.load_start(actor=officer, entry=entry, upload=csv_upload(_rows(2, "MARK-UNCOND-2")))
        republish(officer, reviewer, v1.dataset)
        self._add("MARK-UNCOND-1", v1.dataset, 1, "unconditional")
        self._add("MARK-UNCOND-2", v1.dataset, 2, "unconditional")

        # 2. catalog, 依申请开放 twice
        entry = entry_with_rows(
            officer,
            _rows(3, "MARK-ONAPP-1"),
            reviewer=reviewer,
            name="企业名录乙",
            open_type="on_application",
            open_condition="用于科研，须申请",
        )
        v1 = publishing.version_approve(actor=reviewer, version=propose(officer, entry))
        self._apply(v1.dataset)
        loads.load_start(actor=officer, entry=entry, upload=csv_upload(_rows(4, "MARK-ONAPP-2")))
        republish(officer, reviewer, v1.dataset)
        self._add("MARK-ONAPP-1", v1.dataset, 1, "on_application")
        self._add("MARK-ONAPP-2", v1.dataset, 2, "on_application")

        # 3. SECURITY.md 14.1: upload, v1 依申请开放 superseded by a 无条件开放 v2 (v1 stays on application)
        v1 = publish_upload(
            officer, reviewer, _rows(5, "MARK-APP-THEN-OPEN-1"), open_type="on_application", title="名录丙"
        )
        self._apply(v1.dataset)
        publish_upload(
            officer,
            reviewer,
            _rows(6, "MARK-APP-THEN-OPEN-2"),
            open_type="unconditional",
            dataset=v1.dataset,
            title="名录丙",
        )
        self._add("MARK-APP-THEN-OPEN-1", v1.dataset, 1, "on_application")
        self._add("MARK-APP-THEN-OPEN-2", v1.dataset, 2, "unconditional")

        # 4. upload, v1 无条件开放 superseded by a 依申请开放 v2
        v1 = publish_upload(
            officer, reviewer, _rows(7, "MARK-OPEN-THEN-APP-1"), open_type="unconditional", title="名录丁"
        )
        publish_upload(
            officer,
            reviewer,
            _rows(8, "MARK-OPEN-THEN-APP-2"),
            open_type="on_application",
            dataset=v1.dataset,
            title="名录丁",
        )
        self._apply(v1.dataset)
        self._add("MARK-OPEN-THEN-APP-1", v1.dataset, 1, "unconditional")
        self._add("MARK-OPEN-THEN-APP-2", v1.dataset, 2, "on_application")

        # 5. catalog, v1 无条件开放, v2 依申请开放 (applications approved), then the resource is
        #    re-catalogued 不予开放: neither version is served to the public any more
        entry = entry_with_rows(officer, _rows(9, "MARK-NOTOPEN-1"), reviewer=reviewer, name="企业名录戊")
        v1 = publishing.version_approve(actor=reviewer, version=propose(officer, entry))
        recatalogue(
            officer,
            reviewer,
            entry,
            open_type="on_application",
            open_condition="须申请",
            rows=_rows(10, "MARK-NOTOPEN-2"),
        )
        republish(officer, reviewer, v1.dataset)
        self._apply(v1.dataset)
        recatalogue(officer, reviewer, entry, open_type="not_open", open_condition="涉及商业秘密，不予开放")
        self._add("MARK-NOTOPEN-1", v1.dataset, 1, "not_open")
        self._add("MARK-NOTOPEN-2", v1.dataset, 2, "not_open")

        # 6. upload, v1 依申请开放 (applications approved) and v2 无条件开放, then withdrawn
        v1 = publish_upload(
            officer, reviewer, _rows(11, "MARK-WITHDRAWN-1"), open_type="on_application", title="名录己"
        )
        self._apply(v1.dataset)
        publish_upload(
            officer,
            reviewer,
            _rows(12, "MARK-WITHDRAWN-2"),
            open_type="unconditional",
            dataset=v1.dataset,
            title="名录己",
        )
        publishing.dataset_withdraw(actor=officer, dataset=v1.dataset, reason="来源系统停用")
        self._add("MARK-WITHDRAWN-1", v1.dataset, 1, "withdrawn")
        self._add("MARK-WITHDRAWN-2", v1.dataset, 2, "withdrawn")

        # 7. catalog, 无条件开放 twice, withdrawn with its catalog resource (the cascade)
        entry = entry_with_rows(officer, _rows(13, "MARK-ENTRY-GONE-1"), reviewer=reviewer, name="企业名录庚")
        v1 = publishing.version_approve(actor=reviewer, version=propose(officer, entry))
        loads.load_start(actor=officer, entry=entry, upload=csv_upload(_rows(14, "MARK-ENTRY-GONE-2")))
        republish(officer, reviewer, v1.dataset)
        entry_services.entry_withdraw(actor=officer, entry=entry, reason="资源停止维护")
        self._add("MARK-ENTRY-GONE-1", v1.dataset, 1, "withdrawn")
        self._add("MARK-ENTRY-GONE-2", v1.dataset, 2, "withdrawn")

        fresh = {d.pk: d for d in Dataset.objects.filter(pk__in=[d.pk for _m, d, _v, _s in self.versions])}
        self.versions = [(m, fresh[d.pk], v, served) for m, d, v, served in self.versions]
        self.keys = {}
        for role in ("public", "applicant", "expired"):
            _key, self.keys[role] = apikeys.apikey_create(actor=self.users[role], name="遍历")

    def _apply(self, dataset):
        approved_application(dataset, self.users["applicant"], self.officer)
        # granted for 0 days: lapsed as soon as approved
        with override_settings(OPEN_DATA={**(getattr(settings, "OPEN_DATA", None) or {}), "GRANT_DAYS": 0}):
            approved_application(dataset, self.users["expired"], self.officer)

    def _add(self, marker, dataset, number, served):
        version = DatasetVersion.objects.get(dataset=dataset, number=number)
        self.versions.append((marker, dataset, version, served))


def _body(response, fmt) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "xlsx" and response.status_code == 200:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return json.dumps([list(r) for r in book.worksheets[0].iter_rows(values_only=True)], ensure_ascii=False)
    return content.decode("utf-8-sig")


def _check_download(response, fmt, marker, served, allowed, where):
    text = _body(response, fmt)
    if allowed:
        assert response.status_code == 200, (where, response.status_code, text[:300])
        assert marker in text, where
        if fmt == "csv":
            assert len(list(csv.reader(io.StringIO(text)))) == 3, where  # header and the version's 2 rows
        return
    status, code, reason = REFUSAL[served]
    assert response.status_code == status, (where, response.status_code)
    assert marker not in text and reason in text, (where, text[:300])


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for every role, committed (CSV downloads stream on a connection of their own, which
    sees only committed rows); each test runs in a transaction rolled back at its end, and the world
    is flushed after the module, as a transactional test's is."""
    from django.core.management import call_command

    from tests.conftest import _drop_datastore_tables

    with django_db_blocker.unblock():
        _seed()
        try:
            built = World()
        except BaseException:
            call_command("flush", interactive=False, verbosity=0)
            _drop_datastore_tables()
            raise
    yield built
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        _drop_datastore_tables()


def _seed():
    from django.contrib.auth.models import Group

    from portal.models import CalendarYear
    from portal.services.roles import ensure_role_groups
    from portal.workdays import seed_from_library

    if not CalendarYear.objects.exists():
        seed_from_library()
    if Group.objects.filter(name__in=[r.value for r in Role]).count() != len(Role):
        ensure_role_groups()


@pytest.fixture(autouse=True)
def _no_anonymous_limit(settings):
    # The walk makes a few hundred downloads from one address: the anonymous limit is not its subject
    settings.OPEN_DATA = {**(getattr(settings, "OPEN_DATA", None) or {}), "RATE_ANONYMOUS_PER_MINUTE": 100_000}


@pytest.mark.parametrize("role", ROLES)
def test_every_version_every_format_every_way_in_serves_what_the_rules_allow(world, role):
    user = world.users[role]
    web = Client()
    if user is not None:
        web.force_login(user)
    walked, pages, details = 0, {}, {}
    for marker, dataset, version, served in world.versions:
        allowed = READS[served][role] == "+"
        n = version.number
        current = dataset.published_version_id == version.pk
        where = f"{role} {marker} ({served})"

        # the dataset page: the current version's preview; the history's download links
        if dataset.pk not in pages:
            page = web.get(reverse("openness:dataset", args=[dataset.pk]))
            assert page.status_code == 200, where
            pages[dataset.pk] = page.content.decode()
        html = pages[dataset.pk]
        if current:
            assert (marker in html) == allowed, f"{where}: page preview"
            assert ('data-testid="dataset-preview"' in html) == allowed, where
        else:
            assert (f'data-testid="version-download-{n}-csv"' in html) == allowed, f"{where}: history link"

        # web downloads, every format: the version's own URL, and the current one's plain URL
        for fmt in FORMATS:
            response = web.get(reverse("openness:version_download", args=[dataset.pk, n, fmt]))
            _check_download(response, fmt, marker, served, allowed, f"{where} v{n} {fmt}")
            if current:
                response = web.get(reverse("openness:download", args=[dataset.pk, fmt]))
                _check_download(response, fmt, marker, served, allowed, f"{where} current {fmt}")
            walked += 1

        # API downloads: the caller's API key on the same URLs, without a session
        if role in world.keys:
            for fmt in FORMATS:
                response = Client().get(
                    reverse("openness:version_download", args=[dataset.pk, n, fmt]), HTTP_X_API_KEY=world.keys[role]
                )
                _check_download(response, fmt, marker, served, allowed, f"{where} v{n} {fmt} with key")

        # API rows of the version (?version=n), with the key or the session
        headers = {"HTTP_X_API_KEY": world.keys[role]} if role in world.keys else {}
        caller = Client() if headers else web
        response = caller.get(f"/api/open/datasets/{dataset.pk}/rows/", {"version": n}, **headers)
        if allowed:
            assert response.status_code == 200, (where, response.json())
            body = response.json()
            assert body["version"] == n and {r["note"] if "note" in r else r.get("c4") for r in body["rows"]} == {
                marker
            }, where
        else:
            status, code, _reason = REFUSAL[served]
            assert response.status_code == status and response.json()["code"] == code, (where, response.json())
            assert marker not in response.content.decode(), where
        if dataset.pk not in details:
            details[dataset.pk] = caller.get(f"/api/open/datasets/{dataset.pk}/", **headers).json()
        readable = {v["number"]: v["readable"] for v in details[dataset.pk]["versions"]}
        assert readable[n] == allowed, f"{where}: readable in the API"

        # the review page
        review = web.get(reverse("openness:version", args=[version.pk]))
        expected = REVIEW[role]
        if expected == "L":
            assert review.status_code == 302 and "/login" in review["Location"], where
        elif expected == "-":
            assert review.status_code == 404, where
        else:
            assert review.status_code == 200, where
            shows_rows = READS[served][role] == "+"
            assert (marker in review.content.decode()) == shows_rows, f"{where}: review page rows"
    assert walked == len(world.versions) * len(FORMATS) == 42


def test_every_row_read_of_the_walk_is_audited(world):
    """Lhasa art. 41: a served read (page preview, review page, download, API rows) leaves an entry."""
    web = Client()
    web.force_login(world.reviewer)
    marker, dataset, version, _served = world.versions[1]  # MARK-UNCOND-2, the current version
    first = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    web.get(reverse("openness:dataset", args=[dataset.pk]))
    web.get(reverse("openness:version", args=[version.pk]))
    b"".join(web.get(reverse("openness:version_download", args=[dataset.pk, 2, "csv"])).streaming_content)
    web.get(f"/api/open/datasets/{dataset.pk}/rows/", {"version": 2})
    entries = AuditEntry.objects.filter(id__gt=first, actor_id=world.reviewer.pk)
    previews = entries.filter(action="openness.preview")
    assert sorted(e.detail["page"] for e in previews) == ["dataset", "review"]
    assert all(e.detail["version"] == 2 and e.detail["rows"] == 2 for e in previews)
    assert entries.filter(action="openness.download", detail__version=2, outcome="success").exists()
    assert entries.filter(action="openness.api.call", detail__version=2, outcome="success").exists()
