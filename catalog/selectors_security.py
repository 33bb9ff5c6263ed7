"""Reads of the catalog for the security self-checks (secops.selfchecks): published items that are
neither marked 敏感 (masked in every grant, catalog.datastore.masks) nor graded (Sixian art. 39:
分级 protection). The self-check decides which of them look personal (protection.grading.suggest)."""

from __future__ import annotations

from django.db.models import F, QuerySet

from catalog.models import DataItem


def unprotected_published_items() -> QuerySet[DataItem]:
    return (
        DataItem.objects.filter(
            sensitive=False,
            grade_level__isnull=True,
            version__entry__withdrawn_at__isnull=True,
            version__entry__published_version=F("version"),
        )
        .select_related("version__entry__department")
        .order_by("version__entry__code", "position")
    )
