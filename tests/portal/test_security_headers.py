"""Web security of the shell: a Content-Security-Policy without inline scripts, and the usual headers."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)


def _script_src(policy: str) -> str:
    return next(part for part in policy.split(";") if part.strip().startswith("script-src"))


def test_pages_carry_a_strict_script_policy_and_security_headers(client, reviewer):
    client.force_login(reviewer)
    for url in (reverse("home"), reverse("dashboard"), reverse("catalog:list"), "/api/docs/", reverse("login")):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "'self'" in _script_src(policy) and "unsafe-inline" not in _script_src(policy), url
        assert "frame-ancestors 'none'" in policy
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert not INLINE_SCRIPT.search(response.content.decode()), url


def test_api_docs_script_is_served_as_a_file(client, reviewer):
    client.force_login(reviewer)  # issue 17 part 8: the internal API's docs are for signed-in staff
    body = client.get("/api/docs/").content.decode()
    assert "/api/docs/?script" in body or "script=" in body
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
