"""Public pages of interop.ckan: each open dataset's datapackage.json (issue 17 part 4) and the public
API documentation (part 8), in Chinese, with examples per dataset."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from interop.ckan import datapackage
from interop.ckan.conf import setting
from openness import selectors
from openness.conf import setting as open_setting
from openness.models import Dataset
from portal.visibility import hidden_404

EXAMPLES_PER_PAGE = 10


@require_safe
def datapackage_json(request, pk):
    """The Data Package of an open dataset: public metadata, as its page (its rows follow the download's rule)."""
    dataset = selectors.dataset_public(pk)
    if dataset is None:
        raise hidden_404(Dataset, pk)  # SECURITY.md 14.4: a dataset never published is audited when asked for
    if dataset.is_withdrawn:
        raise Http404  # Hechi art. 29: a withdrawn dataset is no longer offered; its page carries the notice
    answer = JsonResponse(datapackage.descriptor(request, dataset), json_dumps_params={"ensure_ascii": False})
    answer["Cache-Control"] = "no-cache"
    return answer


def _key_hint(user) -> dict:
    """What the examples put where the key goes: the name and prefix of the reader's newest active key
    (its secret is stored hashed and is never shown again), or a placeholder."""
    if getattr(user, "is_authenticated", False):
        key = next((k for k in selectors.keys_of(user) if k.is_active and not k.is_expired()), None)
        if key is not None:
            return {"name": key.name, "prefix": key.prefix, "placeholder": f"{key.prefix}..."}
    return {"name": "", "prefix": "", "placeholder": "YOUR_API_KEY"}


@require_safe
def api_docs(request):
    """Issue 17 part 8: the open-data API and the CKAN-compatible API, for the public."""
    datasets = selectors.public_datasets().order_by("-last_published_at", "-id")
    page = Paginator(datasets, EXAMPLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "ckan/api_docs.html",
        {
            "base": request.build_absolute_uri("/").rstrip("/"),
            "page": page,
            "key": _key_hint(request.user),
            "limits": {
                "key": open_setting("RATE_KEY_PER_MINUTE"),
                "anon": open_setting("RATE_ANONYMOUS_PER_MINUTE"),
            },
            "rows_max": setting("ROWS_MAX"),
        },
    )
