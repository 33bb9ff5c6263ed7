"""The facet lists beside a search's results, one template (templates/portal/_facets.html) filled by
facet_groups() for the catalog and the open-data portal: each app's template tag library gives only its
facets' titles and value labels (catalog_facets, open_data_facets)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.http import QueryDict


@dataclass(frozen=True)
class FacetLabels:
    """An app's facets: {facet: title}; {facet: TextChoices} whose labels name the values, or
    {facet: labeller(value) -> label} for values named elsewhere (a table of levels, say)."""

    titles: Mapping[str, str]
    choices: Mapping[str, type] = field(default_factory=dict)
    labellers: Mapping[str, Callable[[object], str]] = field(default_factory=dict)

    def title(self, facet: str) -> str:
        return self.titles.get(facet, facet)

    def label(self, facet: str, value, department_names: Mapping) -> str:
        if facet == "department":
            return department_names.get(value, value)
        if facet in self.labellers:
            return self.labellers[facet](value)
        choices = self.choices.get(facet)
        if choices and value in choices.values:
            return choices(value).label
        return value


def facet_link(query_string: str, facet: str, value) -> str:
    """The query string with one facet set (or cleared by an empty value), back to the first page."""
    params = QueryDict(query_string, mutable=True)
    params.pop("page", None)
    if value in ("", None):
        params.pop(facet, None)
    else:
        params[facet] = value
    return params.urlencode()


def facet_groups(context, labels: FacetLabels) -> dict:
    """What the template shows, from the page's `facets` ({facet: [(value, count)]}), `filters`,
    `query_string` and `department_names`."""
    filters, query_string = context.get("filters") or {}, context.get("query_string", "")
    names = context.get("department_names") or {}
    groups = []
    for facet, values in (context.get("facets") or {}).items():
        if not values:
            continue
        chosen = filters.get(facet, "") if hasattr(filters, "get") else ""
        groups.append(
            {
                "facet": facet,
                "title": labels.title(facet),
                "values": [
                    {
                        "label": labels.label(facet, value, names),
                        "count": count,
                        "link": facet_link(query_string, facet, value),
                        "chosen": chosen == f"{value}",
                    }
                    for value, count in values
                ],
                "clear": facet_link(query_string, facet, "") if chosen else None,
            }
        )
    return {"groups": groups}
