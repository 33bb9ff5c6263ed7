"""The publisher of both catalogs: the big-data bureau (数据主管部门, Lhasa art. 5), else the portal itself."""

from __future__ import annotations

from django.conf import settings

from interop.dcat import vocab
from portal.models import Department


def bureau(base_url: str) -> dict:
    department = Department.objects.filter(is_bureau=True, is_active=True).order_by("pk").first()
    if department is not None:
        return vocab.agent(base_url, department)
    return {"@id": f"{base_url}/#portal", "@type": "foaf:Agent", "foaf:name": str(settings.PORTAL_TITLE)}
