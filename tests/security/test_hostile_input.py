"""Hostile input at the HTTP layer (SECURITY.md, hostile input). The datastore's own guard rails are tested in
tests/catalog/test_datastore_hostile.py; here the same files arrive through the pages and the API,
and each must get a clear answer and leave nothing behind: no data table, no stored file.

Limits (settings, documented in SECURITY.md): UPLOAD_MAX_BYTES (default: the largest file an app
accepts + 1 MB), DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) for other bodies, CATALOG_LOADS["max_bytes"],
OPEN_DATA["UPLOAD_MAX_BYTES"], DATASTORE[...] (catalog/datastore/limits.py).
"""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import ClientHandler

from audit.models import AuditEntry
from catalog.models import DataLoad
from tests.openness.factories import HEADER, company
from tests.security.world import COLUMNS, World

pytestmark = pytest.mark.django_db

XSS = '"><script>alert(1)</script>'  # short enough for every name field (theme: 50 characters)
RAW_MARKERS = ("<script>alert(1)",)


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return World()


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _files_left(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _datastore_tables(entry):
    from django.db import connection

    from catalog.datastore.columns import SCHEMA

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename LIKE %s", [SCHEMA, f"r{entry.pk}\\_%"]
        )
        return [r[0] for r in cursor.fetchall()]


# --- bodies over the limit ---------------------------------------------------------------------
class _CountingInput(io.RawIOBase):
    """A request body that counts what the portal reads of it."""

    def __init__(self, size):
        self.size, self.read_bytes = size, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.size - self.read_bytes)
        buffer[:n] = b"a" * n
        self.read_bytes += n
        return n


def _wsgi_call(path, *, content_type, length, user=None, stream=None):
    client = Client()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(length),
        "wsgi.input": stream,
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_ACCEPT": "application/json",
    }
    if user is not None:
        client.force_login(user)
        environ["HTTP_COOKIE"] = f"sessionid={client.cookies['sessionid'].value}"
    response = ClientHandler()(environ)  # the test client's handler: keeps the test's DB connection
    return response.status_code, response.content


def test_an_upload_declared_over_the_limit_is_refused_before_a_byte_is_read(world, settings):
    settings.CATALOG_LOADS = {"max_bytes": 1024 * 1024}
    settings.OPEN_DATA = {**settings.OPEN_DATA, "UPLOAD_MAX_BYTES": 1024 * 1024}
    entry = world.published
    for path in (f"/catalog/{entry.pk}/loads/", f"/api/catalog/entries/{entry.pk}/loads/", "/open/manage/upload/"):
        stream = _CountingInput(100 * 1024 * 1024)
        code, body = _wsgi_call(
            path,
            content_type="multipart/form-data; boundary=xyz",
            length=100 * 1024 * 1024,
            user=world.officer,
            stream=stream,
        )
        assert code == 413, (path, body[:300])
        assert stream.read_bytes == 0, path
        assert "大小上限" in body.decode()
    assert AuditEntry.objects.filter(action="http.body_too_large", outcome="denied").count() == 3
    assert not DataLoad.objects.filter(entry=entry).exclude(status="succeeded").exists()


def test_a_json_body_over_the_limit_is_refused_before_it_is_read(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    stream = _CountingInput(50 * 1024 * 1024)
    code, body = _wsgi_call(
        "/api/catalog/entries/",
        content_type="application/json",
        length=50 * 1024 * 1024,
        user=world.officer,
        stream=stream,
    )
    assert code == 413 and stream.read_bytes == 0
    assert json.loads(body)["code"] == "too_large"


def test_a_multipart_body_longer_than_it_said_stops_at_the_limit_while_streaming(world, settings, monkeypatch):
    """A server that does not pass Content-Length on (chunked): the upload handler counts and stops."""
    from portal import uploads

    settings.UPLOAD_MAX_BYTES = 64 * 1024
    monkeypatch.setattr(uploads, "declared_length", lambda request: 0)
    client = _signed_in(world.officer)
    big = SimpleUploadedFile("big.csv", b"a,b\n" * 100_000, content_type="text/csv")
    response = client.post(f"/api/catalog/entries/{world.published.pk}/loads/", {"file": big})
    assert response.status_code == 413, response.content[:300]
    assert DataLoad.objects.filter(entry=world.published).count() == 1  # only the world's own load
    assert not _files_left(settings)


# --- files that are not what they say -----------------------------------------------------------
def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    return out.getvalue()


def _csv(rows):
    return ("\n".join(",".join(r) for r in rows) + "\n").encode()


HOSTILE_FILES = {
    "binary as CSV": ("data.csv", os.urandom(64 * 1024)),
    "ELF binary named .csv": ("data.csv", b"\x7fELF\x02\x01\x01" + os.urandom(4096)),
    "zip bomb as XLSX": ("data.xlsx", None),  # built once (300 MB of zeros packs to ~300 KB)
    "damaged XLSX": ("data.xlsx", b"PK\x03\x04" + os.urandom(2048)),
    "10,000 columns": ("data.csv", _csv([[f"c{i}" for i in range(10_000)], ["1"] * 10_000])),
    "one 9 MB line": ("data.csv", ",".join(HEADER).encode() + b"\n" + b"x" * (9 * 1024 * 1024)),
    "NUL bytes": ("data.csv", ",".join(HEADER).encode() + b"\n" + ",".join(company(1)).encode().replace(b"1", b"\0")),
    "mixed encodings": (
        "data.csv",
        ",".join(HEADER).encode("utf-8")
        + b"\n"
        + ",".join(company(2)).encode("gbk")
        + b"\n"
        + ",".join(company(3)).encode("utf-16"),
    ),
    "UTF-16 with BOM": ("data.csv", ("\n".join([",".join(HEADER), ",".join(company(4))]) + "\n").encode("utf-16")),
    "unclosed quote": ("data.csv", ",".join(HEADER).encode() + b'\n"' + b"a" * 5000),
}


@pytest.fixture(scope="module")
def zip_bomb():
    return _zip_bomb()


@pytest.mark.parametrize("kind", list(HOSTILE_FILES))
def test_a_hostile_file_gets_a_clear_error_and_leaves_nothing_behind(world, settings, kind, zip_bomb):
    name, data = HOSTILE_FILES[kind]
    data = zip_bomb if data is None else data
    settings.CATALOG_LOADS = {
        "sync_bytes": 64 * 1024 * 1024
    }  # loaded during the request (the worker's way: test_faults)
    entry = world.published
    tables_before = _datastore_tables(entry)
    client = _signed_in(world.officer)
    response = client.post(
        f"/api/catalog/entries/{entry.pk}/loads/", {"file": SimpleUploadedFile(name, data, content_type="text/csv")}
    )
    assert response.status_code in (201, 400), response.content[:500]
    body = response.json()
    if response.status_code == 201:  # stored, then refused by the load: the record says why
        assert body["status"] == "failed", body
        load = DataLoad.objects.get(pk=body["id"])
        assert load.errors and all(e["message"] for e in load.errors), load.errors
    else:
        assert body["detail"]
    assert _datastore_tables(entry) == tables_before
    assert not _files_left(settings)


def test_path_traversal_in_a_file_name_stays_a_name(world, settings, tmp_path):
    client = _signed_in(world.officer)
    rows = _csv([HEADER, company(7)])
    for name in ("../../../../tmp/evil.csv", "..\\..\\evil.csv", "/etc/passwd.csv", "a/../../b.csv"):
        response = client.post(
            f"/api/catalog/entries/{world.published.pk}/loads/",
            {"file": SimpleUploadedFile(name, rows, content_type="text/csv")},
        )
        assert response.status_code == 201, response.content[:300]
        load = DataLoad.objects.get(pk=response.json()["id"])
        assert "/" not in load.filename and ".." not in load.filename.replace("..csv", ""), load.filename
        assert load.status == "succeeded", load.errors
    assert not os.path.exists("/tmp/evil.csv") and not (tmp_path.parent / "evil.csv").exists()
    assert not _files_left(settings)


# --- API bodies ----------------------------------------------------------------------------------
def test_wrong_content_types_and_broken_json_get_clear_json_errors(world):
    client = _signed_in(world.officer)
    url = "/api/catalog/entries/"
    cases = [
        ("text/plain", "name=x", 415),
        ("application/xml", "<a/>", 415),
        ("application/json", '{"name": ', 400),
        ("application/json", '["not", "an object"]', 400),
        ("application/json", '{"name": "\\ud800"}', 400),
        ("application/json", "1e999999", 400),
    ]
    for content_type, body, status in cases:
        response = client.generic("POST", url, body, content_type=content_type)
        assert response.status_code == status, (content_type, body, response.status_code, response.content[:300])
        data = response.json()
        assert data["detail"] and data["code"], data


# --- search strings ------------------------------------------------------------------------------
SEARCHES = [
    "' OR 1=1 --",
    "'; DROP TABLE catalog_resourceentry; --",
    "%' AND '%'='",
    "\\",
    "\\\\'",
    "(",
    ")",
    "[",
    "*",
    ".*",
    "a{1000000}",
    "(a+)+$",
    "&|!:*",
    "<->",
    "'' ''",
    "\x00",
    "企业 & | !",
    "$$",
    "%s %(x)s",
    "\u202e",
    "a" * 5000,
]


def test_search_strings_with_sql_and_regex_metacharacters_are_plain_text(world):
    world.published  # noqa: B018 - something to find
    clients = {"officer": _signed_in(world.officer), "anon": Client(), "auditor": _signed_in(world.users["auditor"])}
    for q in SEARCHES:
        for client, url in (
            (clients["officer"], "/catalog/"),
            (clients["officer"], "/api/catalog/entries/"),
            (clients["anon"], "/open/"),
            (clients["auditor"], "/audit/"),
            (clients["auditor"], "/api/audit/entries/"),
        ):
            response = client.get(url, {"q": q})
            assert response.status_code in (200, 400), (url, q, response.status_code)
            if response.status_code == 200 and ("1=1" in q or "DROP" in q) and "audit" not in url:
                assert "甲部门开放数据" not in response.content.decode(errors="replace"), (url, q)
    from catalog.models import ResourceEntry

    assert ResourceEntry.objects.exists()  # nothing was dropped


# --- HTML and script in every text field ------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.slow  # every page as every role: over a minute
def test_html_and_script_in_every_text_field_are_escaped_on_every_page(settings, tmp_path):
    """The matrix world with HTML and script in every name and free text; every page and API answer
    that any column can read is fetched, and the markup never comes back unescaped in HTML."""
    from tests.audit.routes import all_routes
    from tests.security.matrix.outcomes import Callers
    from tests.security.matrix.registry import rows_for
    from tests.security.route_args import args_for

    settings.MEDIA_ROOT = tmp_path / "media"
    world = World(mark=XSS).build()
    callers = Callers(world)
    problems = []
    for route in all_routes():
        if route.key.startswith("admin") and route.key not in (
            "admin:index",
            "admin:portal_department_changelist",
            "admin:portal_user_changelist",
        ):
            continue
        variants = args_for(route.key) if route.params else {"": lambda w: {}}
        for _name, variant, method, expected in rows_for(route):
            if method != "get" or variants is None or variant not in variants:
                continue
            path = route.path(variants[variant](world))
            for column in COLUMNS:
                if expected[column] != "+":
                    continue
                response = callers.call(column, "get", path)
                content_type = response.get("Content-Type", "")
                if response.status_code != 200 or getattr(response, "streaming", False):
                    continue
                text = response.content.decode(errors="replace")
                if "html" in content_type and any(marker in text for marker in RAW_MARKERS):
                    problems.append(f"{path} as {column}: unescaped markup")
                if path.startswith("/api/") and route.key != "api_docs" and "html" in content_type:
                    problems.append(f"{path} as {column}: API answered HTML ({content_type})")
    assert not problems, "\n".join(problems)


# --- a defect found on the way -------------------------------------------------------------------
def test_registration_over_its_rate_limit_answers_429(settings):
    import uuid

    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"sec-reg-{uuid.uuid4().hex[:8]}"},
    }
    client = Client(raise_request_exception=False)
    codes = [client.post("/open/register/", {}).status_code for _ in range(30)]
    assert 500 not in codes and 429 in codes, codes
