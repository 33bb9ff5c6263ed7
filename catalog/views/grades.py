"""The grades on an entry's page: shown with their suggestion, confirmed by the bureau's reviewer.

Lhasa art. 39 分级分类管理 (docs/grading.md): the officer proposes, the reviewer confirms (or changes)
when approving a version, or on its own for an entry published before grading existed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog import selectors
from catalog.models import EntryVersion
from catalog.services import grades
from portal.pages import refused
from portal.visibility import visible_or_404
from protection.grading.constants import GradeCategory
from protection.grading.selectors import grade_label, level_choices, level_names
from protection.grading.services import entry_grade, item_grade, item_suggestion


def grade_context(version, items) -> dict:
    """What the entry page shows of the grades: each item's stored grade, effective grade and
    suggestion, the entry's grade, and the choices of the reviewer's form."""
    if version is None:
        return {}
    items = list(items)
    names = level_names()
    rows = []
    for item in items:
        suggestion = item_suggestion(item)
        rows.append(
            {
                "item": item,
                "stored": grade_label(item.grade_level, item.grade_category, names),
                "effective": grade_label(item_grade(item).level, item.grade_category, names),
                "suggested": suggestion.level,
                "reason": suggestion.reason,
                "confirmed": item.grade_confirmed,
            }
        )
    grade = entry_grade(version, items=items)
    return {
        "grade_rows": rows,
        "entry_grade": grade,
        "entry_grade_label": grade_label(grade.level, grade.category, names),
        "level_choices": level_choices(),
        "category_choices": GradeCategory.choices,
    }


def grade_history(user, entry) -> list[dict]:
    """分级记录 (Lhasa art. 39; Sixian art. 39): the entry's grade at each published or replaced version
    the user may open, oldest first, with who confirmed it and when, and the items whose grade changed
    from the version before (name, before, after). Drafts and submissions are not history yet."""
    names = level_names()
    versions = (
        selectors.versions_visible_to(user, entry)
        .filter(status__in=[EntryVersion.Status.PUBLISHED, EntryVersion.Status.SUPERSEDED])
        .select_related("grade_confirmed_by")
        .prefetch_related("items")
        .order_by("number")
    )
    history, before = [], {}
    for version in versions:
        items = list(version.items.all())
        now = {item.key: (item.grade_level, item.grade_category, item.name) for item in items}
        changes = [
            {
                "name": name,
                "before": grade_label(before[key][0], before[key][1], names) if key in before else "",
                "after": grade_label(level, category, names),
            }
            for key, (level, category, name) in now.items()
            if key not in before or before[key][:2] != (level, category)
        ]
        confirmer = version.grade_confirmed_by
        history.append(
            {
                "version": version,
                "label": grade_label(version.grade_level, version.grade_category, names),
                "confirmed": version.grade_confirmed,
                "confirmed_by": (confirmer.get_full_name() or confirmer.get_username()) if confirmer else "",
                "changes": changes if before else [],
            }
        )
        before = now
    return history


def grades_from_post(post, items) -> dict:
    """The reviewer's choices: grade_<key> / category_<key> per item, grade / category for the entry."""
    chosen = {"level": post.get("grade", ""), "category": post.get("category", ""), "items": {}}
    for item in items:
        level, category = post.get(f"grade_{item.key}"), post.get(f"category_{item.key}")
        if level is not None or category is not None:
            chosen["items"][item.key] = {"level": level or "", "category": category or ""}
    return chosen


@login_required
@require_POST
def entry_confirm_grades(request, pk):
    """The reviewer confirms the grades of a published entry."""
    entry = visible_or_404(selectors.entries_visible_to(request.user), pk=pk)  # audited when hidden
    with refused(request, permission_as_message=True):
        items = entry.published_version.items.all() if entry.published_version else []
        grades.grades_confirm(actor=request.user, entry=entry, grades=grades_from_post(request.POST, items))
        messages.success(request, _("分级已确认。"))
    return redirect("catalog:detail", pk=pk)
