"""检索同义词 (issue 18 part 8): the bureau admin's table of search synonyms (养老院 → 养老机构), read
by the open-data and catalog searches to expand a query word into its alternatives.

The table is small and read on every search, so synonym_map() serves it from the cache through
portal.cached_counts (the portal's one way to keep a value in Redis: a search still works with Redis
down); the services (catalog.services.synonyms) forget it with each change, now and on commit.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.cached_counts import CachedCounts

TABLE = CachedCounts("catalog:search-synonyms:v2", seconds=3600)


class SearchSynonym(models.Model):
    """检索同义词: a term and the words a search for it also looks for."""

    term = models.CharField(_("检索词"), max_length=50, unique=True)
    synonyms = models.JSONField(_("同义词"), default=list)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        app_label = "catalog"
        verbose_name = _("检索同义词")
        verbose_name_plural = _("检索同义词")
        ordering = ["term"]

    def __str__(self):
        return f"{self.term} → {'、'.join(self.synonyms)}"


def synonym_map() -> dict[str, list[str]]:
    """{term: [synonyms]} of the whole table (cached until the next change)."""
    return TABLE.get("table", lambda: {row.term: list(row.synonyms) for row in SearchSynonym.objects.order_by("term")})


def forget() -> None:
    """Now (this transaction's next read) and when it commits (a read meanwhile kept the old table)."""
    TABLE.forget()
