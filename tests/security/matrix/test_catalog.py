"""Permission matrix of the resource catalog: entries through their life cycle (draft, submitted,
published), duties, imports and data loads; pages and API.

Columns, outcomes and bodies: tests/security/matrix/builder.py.
"""

from __future__ import annotations

import json
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.matrix.bodies import load_file
from tests.security.matrix.builder import Bodies, matrix_test
from tests.security.matrix.outcomes import parse_table
from tests.security.route_args import ROUTE_ARGS
from tests.security.world import today

MATRIX = """
# route[variant]                               method anon public own other officer reviewer admin auditor
# --- catalog pages ------------------------------------------------------------------------------
catalog:list                                    GET     L    +     +    +     +       +       +     +
catalog:create                                  GET     L    -     -    -     +       -       -     -
catalog:create                                  POST    L    -     -    -     +       -       -     -
catalog:review_queue                            GET     L    -     -    -     -       +       +     -
catalog:duties                                  GET     L    -     -    -     +       +       +     -
catalog:duties                                  POST    L    -     -    -     +       +       +     -
catalog:duty_confirm                            POST    L    -     -    -     +       -       -     -
catalog:withdrawn                               GET     L    +     +    +     +       +       +     +
catalog:export_csv                              GET     L    +     +    +     +       +       +     +
catalog:export_xlsx                             GET     L    +     +    +     +       +       +     +
catalog:export_dcat                             GET     L    +     +    +     +       +       +     +
catalog:import                                  GET     L    -     -    -     +       -       -     -
catalog:import                                  POST    L    -     -    -     +       -       -     -
catalog:import_job                              GET     L    -     -    -     +       -       -     -
catalog:detail[draft]                           GET     L    -     +    -     +       +       +     -
catalog:detail[published]                       GET     L    +     +    +     +       +       +     +
catalog:edit[draft]                             GET     L    -     -    -     +       -       -     -
catalog:edit[draft]                             POST    L    -     -    -     +       -       -     -
catalog:submit[draft]                           POST    L    -     -    -     +       -       -     -
catalog:approve[submitted]                      POST    L    -     -    -     -       +       +     -
catalog:return[submitted]                       POST    L    -     -    -     -       +       +     -
catalog:confirm_grades[published]               POST    L    -     -    -     -       +       +     -
catalog:revise[published]                       POST    L    -     -    -     +       -       -     -
catalog:withdraw[published]                     POST    L    -     -    -     +       -       -     -
catalog:version[draft]                          GET     L    -     +    -     +       +       +     -
catalog:version[published]                      GET     L    +     +    +     +       +       +     +
catalog:compare[published]                      GET     L    +     +    +     +       +       +     +
catalog:upload[published]                       POST    L    -     -    -     +       -       -     -
catalog:load                                    GET     L    -     -    -     +       +       +     -
catalog:load_remove                             POST    L    -     -    -     -       -       +     -
catalog:synonyms                                GET     L    -     -    -     -       +       +     -  # the reviewer reads
catalog:synonyms                                POST    L    -     -    -     -       -       +     -
catalog:synonym_edit                            GET     L    -     -    -     -       -       +     -
catalog:synonym_edit                            POST    L    -     -    -     -       -       +     -
catalog:synonym_delete                          POST    L    -     -    -     -       -       +     -
# --- API: catalog -------------------------------------------------------------------------------
catalog-export                                  GET     L    +     +    +     +       +       +     +
catalog-entry-list                              GET     L    +     +    +     +       +       +     +
catalog-entry-list                              POST    L    -     -    -     +       -       -     -
catalog-entry-detail[draft]                     GET     L    -     +    -     +       +       +     -
catalog-entry-detail[draft]                     PATCH   L    -     -    -     +       -       -     -
catalog-entry-detail[published]                 GET     L    +     +    +     +       +       +     +
catalog-entry-detail[published]                 PATCH   L    -     -    -     +       -       -     -
catalog-entry-approve[submitted]                POST    L    -     -    -     -       +       +     -
catalog-entry-return-[submitted]                POST    L    -     -    -     -       +       +     -
catalog-entry-grades[published]                 POST    L    -     -    -     -       +       +     -
catalog-entry-submit[draft]                     POST    L    -     -    -     +       -       -     -
catalog-entry-revise[published]                 POST    L    -     -    -     +       -       -     -
catalog-entry-withdraw[published]               POST    L    -     -    -     +       -       -     -
catalog-entry-versions[draft]                   GET     L    -     +    -     +       +       +     -
catalog-entry-versions[published]               GET     L    +     +    +     +       +       +     +
catalog-entry-rows[draft]                       GET     L    -     +    -     +       +       +     -
catalog-entry-rows[published]                   GET     L    -     +    -     +       +       +     -
catalog-entry-loads[published]                  POST    L    -     -    -     +       -       -     -
catalog-load-detail                             GET     L    -     -    -     +       +       +     -
catalog-load-remove                             POST    L    -     -    -     -       -       +     -
catalog-duty-change-list                        GET     L    +     +    +     +       +       +     +  # filtered to the caller's department
catalog-duty-change-list                        POST    L    -     -    -     -       +       +     -
catalog-duty-list                               GET     L    +     +    +     +       +       +     +  # filtered to the caller's department
catalog-duty-confirm                            POST    L    -     -    -     +       -       -     -
catalog-import-list                             POST    L    -     -    -     +       -       -     -
catalog-import-detail                           GET     L    -     -    -     +       -       -     -
catalog-synonym-list                            GET     L    -     -    -     -       +       +     -
catalog-synonym-list                            POST    L    -     -    -     -       -       +     -
catalog-synonym-detail                          GET     L    -     -    -     -       +       +     -
catalog-synonym-detail                          PUT     L    -     -    -     -       -       +     -
catalog-synonym-detail                          PATCH   L    -     -    -     -       -       +     -
catalog-synonym-detail                          DELETE  L    -     -    -     -       -       +     -
"""

ROWS = parse_table(MATRIX)

# Rows whose expected outcome the portal does not give yet: (route, variant, method) -> the defect.
DEFECTS: dict[tuple[str, str, str], str] = {}

# Valid bodies for the POST / PUT / PATCH rows that need one.
BODIES: Bodies = {
    ("catalog:upload", "published", "post"): lambda w: {"file": load_file(w)},
    ("catalog-entry-loads", "published", "post"): lambda w: {"file": load_file(w)},
    ("catalog:return", "submitted", "post"): lambda w: {"reason": "请补充"},
    ("catalog:withdraw", "published", "post"): lambda w: {"reason": "职能调整"},
    ("catalog-entry-return-", "submitted", "post"): lambda w: json.dumps({"reason": "请补充"}),
    ("catalog-entry-withdraw", "published", "post"): lambda w: json.dumps({"reason": "职能调整"}),
    ("catalog-entry-revise", "published", "post"): lambda w: json.dumps({"change_note": "修订"}),
    ("catalog-entry-approve", "submitted", "post"): lambda w: json.dumps({"comment": "同意"}),
    ("catalog-entry-grades", "published", "post"): lambda w: json.dumps({"items": {}}),
    ("catalog-entry-list", "", "post"): lambda w: json.dumps(_entry_json(w)),
    ("catalog-entry-detail", "draft", "patch"): lambda w: json.dumps({"summary": "新摘要"}),
    ("catalog-entry-detail", "published", "patch"): lambda w: json.dumps({"summary": "新摘要"}),
    ("catalog-duty-change-list", "", "post"): lambda w: json.dumps(
        {"department": w.dept_a.pk, "kind": "law", "description": "法规修订", "effective_date": str(today())}
    ),
    ("catalog-duty-confirm", "", "post"): lambda w: json.dumps({"note": "无需变更"}),
    ("catalog:duty_confirm", "", "post"): lambda w: {"note": "无需变更"},
    ("catalog-import-list", "", "post"): lambda w: {"file": _import_file(w)},
    ("catalog:synonyms", "", "post"): lambda w: {"term": "矩阵新词", "synonyms": "矩阵同义词"},
    ("catalog:synonym_edit", "", "post"): lambda w: {"term": "矩阵词", "synonyms": "矩阵同义词，另一个"},
    ("catalog-synonym-list", "", "post"): lambda w: json.dumps({"term": "矩阵新词", "synonyms": ["矩阵同义词"]}),
    ("catalog-synonym-detail", "", "put"): lambda w: json.dumps({"term": "矩阵词", "synonyms": ["另一个"]}),
    ("catalog-synonym-detail", "", "patch"): lambda w: json.dumps({"synonyms": ["另一个"]}),
}


@cache
def _synonym(world):
    """One row of the search synonyms (issue 18 part 8), the bureau admin's."""
    from catalog.synonyms import SearchSynonym

    return SearchSynonym.objects.create(term="矩阵词", synonyms=["矩阵同义词"], updated_by=world.users["admin"])


def _synonym_pk(w):
    return {"pk": _synonym(w).pk}


ROUTE_ARGS.update(
    {
        "catalog:synonym_edit": {"": _synonym_pk},
        "catalog:synonym_delete": {"": _synonym_pk},
        "catalog-synonym-detail": {"": _synonym_pk},
    }
)


def _import_file(w):
    from tests.catalog.factories import import_workbook

    return SimpleUploadedFile("目录.xlsx", import_workbook(["矩阵导入的资源"]))


def _entry_json(w):
    from tests.catalog.factories import content, items

    return {**content(name="矩阵新资源"), "items": items()}


test_permission_matrix = matrix_test(ROWS, BODIES, DEFECTS)
