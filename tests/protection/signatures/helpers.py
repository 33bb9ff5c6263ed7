"""Shared steps of the signatures tests: a grant used over the API, the evidence of its receipt."""

import io
import zipfile

from protection.signatures.models import Receipt
from sharing.services import applications
from tests.sharing import factories
from tests.sharing.test_api import token_client


def approved(w, **kwargs):
    return applications.application_approve(actor=w.provider_officer, application=factories.apply(w, **kwargs))


def delivered(w, grant, api=None, **params):
    """One query page over the API: (response bytes, its receipt)."""
    api = api or token_client(w.applicant)
    response = api.get(f"/api/sharing/grants/{grant.pk}/query/", params)
    assert response.status_code == 200, response.content
    return response.content, Receipt.objects.get(uid=response["X-Receipt"])


def zip_parts(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()
