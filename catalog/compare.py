"""Differences between two versions of an entry, for the history page."""

from catalog import rules
from catalog.models import EntryVersion

ITEM_FIELDS = ["name", "type", "length", "required", "sensitive", "description"]


def _display(version: EntryVersion, field: str):
    value = getattr(version, field)
    getter = getattr(version, f"get_{field}_display", None)
    if getter and value:
        return getter()
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


def compare_versions(a: EntryVersion, b: EntryVersion) -> dict:
    fields = []
    for field in rules.CONTENT_FIELDS:
        before, after = _display(a, field), _display(b, field)
        if before != after:
            fields.append({"field": EntryVersion._meta.get_field(field).verbose_name, "before": before, "after": after})
    items_a = {i.key: i for i in a.items.all()}
    items_b = {i.key: i for i in b.items.all()}
    items = []
    for key in sorted(set(items_a) | set(items_b)):
        old, new = items_a.get(key), items_b.get(key)
        if old is None:
            items.append({"key": key, "change": "added", "item": new})
        elif new is None:
            items.append({"key": key, "change": "removed", "item": old})
        else:
            changed = [f for f in ITEM_FIELDS if getattr(old, f) != getattr(new, f)]
            if changed:
                items.append({"key": key, "change": "changed", "item": new, "fields": changed, "old": old})
    return {"fields": fields, "items": items}
