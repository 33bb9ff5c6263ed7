"""SECURITY.md 14.13: no answer that may carry someone's data stays in a browser's or a proxy's cache.

Every read route of the permission matrix (pages and API: rows, previews, queries, downloads,
exports, audit exports), as every signed-in column, answers `Cache-Control: no-store, private`,
whatever the status; so does every call with an API token or an open-data key. An anonymous GET
without credentials of a public page may stay cacheable (config/cache_control.py).
"""

from __future__ import annotations

import uuid

import pytest
from django.db import transaction
from django.test import Client

from tests.audit.routes import all_routes
from tests.security.matrix.registry import rows_for
from tests.security.route_args import args_for
from tests.security.world import World

SIGNED_IN = ("public", "own", "other", "officer", "reviewer", "admin", "auditor")


class _Rollback(Exception):
    pass


def _private(response) -> bool:
    directives = {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def _get(client, path, **headers):
    answer = {}
    try:
        with transaction.atomic():
            answer["response"] = client.get(path, **headers)  # headers only: a stream is not read
            raise _Rollback
    except _Rollback:
        pass
    return answer["response"]


@pytest.fixture(autouse=True)
def _own_rate_limit_counters(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"sec-cache-{uuid.uuid4().hex[:8]}"},
    }
    settings.OPEN_DATA = {
        **settings.OPEN_DATA,
        "RATE_ADDRESS_PER_MINUTE": 10**6,
        "RATE_ANONYMOUS_PER_MINUTE": 10**6,
        "RATE_KEY_PER_MINUTE": 10**6,
    }


def _read_paths(world):
    for route in all_routes():
        variants = args_for(route.key) if route.params else {"": lambda w: {}}
        for _name, variant, method, _expected in rows_for(route):
            if method == "get" and variants and variant in variants:
                yield route.key, route.path(variants[variant](world))


@pytest.mark.django_db
@pytest.mark.timeout(1500)
def test_every_read_route_answers_a_signed_in_user_with_no_store_private():
    world = World().build()
    clients = {}
    for column in SIGNED_IN:
        clients[column] = Client(raise_request_exception=False)
        clients[column].force_login(world.users[column])
    problems, checked, rows = [], 0, 0
    for key, path in dict.fromkeys(_read_paths(world)):
        for column, client in clients.items():
            response = _get(client, path)
            checked += 1
            rows += key.endswith(("rows", "download", "pull", "export", "preview")) and response.status_code == 200
            if not _private(response):
                problems.append(
                    f"GET {path} [{key}] as {column}: {response.status_code} "
                    f"Cache-Control {response.get('Cache-Control')!r}"
                )
    assert checked > 1000 and rows > 10, (checked, rows)
    assert not problems, "answers to signed-in users that a cache may keep:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_token_and_key_calls_are_no_store_and_public_anonymous_pages_stay_cacheable():
    from accounts.services.tokens import token_issue
    from openness.services import apikeys

    world = World()
    dataset = world.dataset
    token = token_issue(actor=world.users["own"])
    token = token[1] if isinstance(token, tuple) else token
    anonymous = Client()
    assert _private(_get(anonymous, "/api/catalog/entries/", HTTP_AUTHORIZATION=f"Token {token}"))
    _key, secret = apikeys.apikey_create(actor=world.public, name="缓存")
    keyed = _get(anonymous, f"/api/open/datasets/{dataset.pk}/rows/", HTTP_X_API_KEY=secret)
    assert keyed.status_code == 200 and _private(keyed)
    # nobody signed in, no credentials, no cookie set: public answers about 无条件开放 data may be cached
    for path in ("/api/open/datasets/", f"/api/open/datasets/{dataset.pk}/", f"/api/open/datasets/{dataset.pk}/rows/"):
        response = Client().get(path)
        assert response.status_code == 200 and not response.cookies, path
        assert "no-store" not in response.get("Cache-Control", ""), path
    # the same pages to a signed-in user are private
    signed_in = Client()
    signed_in.force_login(world.public)
    assert _private(_get(signed_in, f"/open/datasets/{dataset.pk}/"))


@pytest.mark.django_db
def test_an_anonymous_answer_that_sets_a_cookie_and_any_write_are_private():
    world = World()
    page = Client().get(f"/open/datasets/{world.dataset.pk}/")  # its forms set the CSRF cookie
    assert page.status_code == 200 and page.cookies and _private(page)
    assert _private(Client().post("/api/open/keys/", {"name": "x"}))  # refused, and still not for a cache
