"""Permission matrix of open data: the public pages without sign-in (API key or session for the
API), applications for datasets opened on application, publishing for A's officer and review
for the reviewer; pages and API.

Columns, outcomes and bodies: tests/security/matrix/builder.py.
"""

from __future__ import annotations

import json

from tests.security.matrix.bodies import load_file
from tests.security.matrix.builder import Bodies, matrix_test
from tests.security.matrix.outcomes import parse_table

MATRIX = """
# route[variant]                               method anon public own other officer reviewer admin auditor
# --- open data pages: public without sign-in; publishing for A's officer; review for the reviewer --
openness:datasets                               GET     +    +     +    +     +       +       +     +
openness:dataset                                GET     +    +     +    +     +       +       +     +
openness:dataset[on_application]                GET     +    +     +    +     +       +       +     +
openness:download                               GET     +    +     +    +     +       +       +     +
openness:download[on_application]               GET     L    -     -    -     +       +       -     -
openness:version_download                       GET     +    +     +    +     +       +       +     +
openness:apply[on_application]                  GET     L    +     -    -     -       -       -     -
openness:apply[on_application]                  POST    L    +     -    -     -       -       -     -
openness:withdraw                               POST    L    -     -    -     +       +       -     -
openness:confirm_current                        POST    L    -     -    -     +       -       -     -
openness:negative_list                          GET     +    +     +    +     +       +       +     +
openness:withdrawn                              GET     +    +     +    +     +       +       +     +
openness:guide                                  GET     +    +     +    +     +       +       +     +
openness:register                               GET     +    +     +    +     +       +       +     +
openness:register                               POST    +    +     +    +     +       +       +     +
openness:register_confirm                       GET     +    +     +    +     +       +       +     +
openness:register_confirm                       POST    +    +     +    +     +       +       +     +
openness:keys                                   GET     L    +     -    -     -       -       -     -
openness:keys                                   POST    L    +     -    -     -       -       -     -
openness:key_revoke                             POST    L    +     -    -     -       -       -     -
openness:key_renew                              POST    L    +     -    -     -       -       -     -
openness:applications                           GET     L    +     +    +     +       +       +     +
openness:application                            GET     L    +     -    -     +       -       -     -
openness:application[other_applicant]           GET     L    -     -    -     +       -       -     -
openness:application_answer                     POST    L    -     -    -     +       -       -     -
openness:application_rereview                   POST    L    +     -    -     -       -       -     -
openness:application_rereview_decide            POST    L    -     -    -     -       +       -     -
openness:manage                                 GET     L    -     -    -     +       -       -     -
openness:dataset_manage                         GET     L    -     -    -     +       -       -     -
openness:upload                                 GET     L    -     -    -     +       -       -     -
openness:upload                                 POST    L    -     -    -     +       -       -     -
openness:propose_entry                          GET     L    -     -    -     +       -       -     -
openness:propose_entry                          POST    L    -     -    -     +       -       -     -
openness:propose_upload                         GET     L    -     -    -     +       -       -     -
openness:propose_upload                         POST    L    -     -    -     +       -       -     -
openness:version[published]                     GET     L    -     -    -     +       +       -     -  # SECURITY.md 14.2
openness:version[proposed]                      GET     L    -     -    -     +       +       -     -
openness:version_approve[proposed]              POST    L    -     -    -     -       +       -     -
openness:version_return[proposed]               POST    L    -     -    -     -       +       -     -
openness:review_queue                           GET     L    -     -    -     -       +       -     -
# --- API: open data (public endpoints: API key or session; account endpoints: signed in) --------
open-api-datasets                               GET     +    +     +    +     +       +       +     +
open-api-dataset-detail                         GET     +    +     +    +     +       +       +     +
open-api-dataset-rows                           GET     +    +     +    +     +       +       +     +
open-api-dataset-rows[on_application]           GET     L    -     -    -     +       +       -     -
open-api-dataset-withdraw                       POST    L    -     -    -     +       +       -     -
open-api-negative-list                          GET     +    +     +    +     +       +       +     +
open-api-keys                                   GET     L    +     +    +     +       +       +     +  # the caller's own keys
open-api-keys                                   POST    L    +     -    -     -       -       -     -
open-api-key-revoke                             POST    L    +     -    -     -       -       -     -
open-api-key-renew                              POST    L    +     -    -     -       -       -     -
open-api-applications                           GET     L    +     +    +     +       +       +     +  # filtered to the caller
open-api-applications                           POST    L    +     -    -     -       -       -     -
open-api-application-answer                     POST    L    -     -    -     +       -       -     -
open-api-application-rereview                   POST    L    +     -    -     -       -       -     -
open-api-application-rereview-decide            POST    L    -     -    -     -       +       -     -
open-api-uploads                                POST    L    -     -    -     +       -       -     -
open-api-versions                               GET     L    +     +    +     +       +       +     +  # filtered to the caller
open-api-versions                               POST    L    -     -    -     +       -       -     -
open-api-version-approve[proposed]              POST    L    -     -    -     -       +       -     -
open-api-version-return[proposed]               POST    L    -     -    -     -       +       -     -
"""

ROWS = parse_table(MATRIX)

# Rows whose expected outcome the portal does not give yet: (route, variant, method) -> the defect.
DEFECTS: dict[tuple[str, str, str], str] = {}

# Valid bodies for the POST / PUT / PATCH rows that need one.
BODIES: Bodies = {
    ("openness:apply", "on_application", "post"): lambda w: {"purpose": "研究", "intended_use": "统计分析"},
    ("openness:withdraw", "", "post"): lambda w: {"reason": "数据停止更新"},
    ("openness:application_answer", "", "post"): lambda w: {"decision": "approve", "answer": "同意"},
    ("openness:application_rereview", "", "post"): lambda w: {"reason": "理由充分"},
    ("openness:application_rereview_decide", "", "post"): lambda w: {"decision": "approve", "answer": "同意"},
    ("openness:version_return", "proposed", "post"): lambda w: {"reason": "请补充"},
    ("openness:upload", "", "post"): lambda w: {"file": load_file(w)},
    ("openness:keys", "", "post"): lambda w: {"name": "新密钥"},
    ("open-api-dataset-withdraw", "", "post"): lambda w: json.dumps({"reason": "停止更新"}),
    ("open-api-keys", "", "post"): lambda w: json.dumps({"name": "新密钥"}),
    ("open-api-applications", "", "post"): lambda w: json.dumps(
        {"dataset": w.on_application_dataset.pk, "purpose": "研究", "intended_use": "统计"}
    ),
    ("open-api-application-answer", "", "post"): lambda w: json.dumps({"approve": True, "answer": "同意"}),
    ("open-api-application-rereview", "", "post"): lambda w: json.dumps({"reason": "理由充分"}),
    ("open-api-application-rereview-decide", "", "post"): lambda w: json.dumps({"approve": True, "comment": "同意"}),
    ("open-api-uploads", "", "post"): lambda w: {"file": load_file(w)},
    ("open-api-versions", "", "post"): lambda w: json.dumps({"entry": w.published.pk, "items": _safe_rules()}),
    ("open-api-version-return", "proposed", "post"): lambda w: json.dumps({"reasons": "请补充", "reason": "请补充"}),
}


def _safe_rules():
    from tests.openness.factories import SAFE_RULES

    return SAFE_RULES


test_permission_matrix = matrix_test(ROWS, BODIES, DEFECTS)
