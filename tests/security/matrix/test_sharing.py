"""Permission matrix of data sharing: department A provides, B (the "other" column) applies and holds
the grant; `[foreign]` is a grant held by a third department C. Applications, grants and their
use, objections, coordination, scenarios and the policy; pages and API.

Columns, outcomes and bodies: tests/security/matrix/builder.py.
"""

from __future__ import annotations

import datetime as dt
import json

from tests.security.matrix.builder import Bodies, matrix_test
from tests.security.matrix.outcomes import parse_table
from tests.security.world import today

MATRIX = """
# route[variant]                               method anon public own other officer reviewer admin auditor
# --- sharing pages: A provides, B (other) applies and holds the grant; [foreign]: a grant held by C --
sharing:home                                    GET     L    +     +    +     +       +       +     +  # each sees their own lists
sharing:choose_entry                            GET     L    +     +    +     +       +       +     +
sharing:apply                                   GET     L    +     +    +     +       +       +     +  # the form; applying is refused below
sharing:apply                                   POST    L    -     +    +     +       -       -     -
sharing:review                                  GET     L    +     +    +     +       +       +     +  # empty for those who review nothing
sharing:application                             GET     L    -     +    +     +       +       +     -
sharing:application_approve                     POST    L    -     -    -     +       -       -     -
sharing:application_refuse                      POST    L    -     -    -     +       -       -     -
sharing:application_co_approve                  POST    L    -     -    -     -       +       -     -
sharing:application_cancel                      POST    L    -     -    +     -       -       -     -
sharing:grant                                   GET     L    -     +    +     +       +       +     -
sharing:grant[foreign]                          GET     L    -     +    -     +       +       +     -
sharing:grant_query                             GET     L    -     -    -     -       -       -     -  # the grant is for 获取 (pull) only
sharing:grant_query[foreign]                    GET     L    -     -    -     -       -       -     -
sharing:grant_query                             POST    L    -     -    -     -       -       -     -  # SECURITY.md 14.14: filters in the body
sharing:grant_query[foreign]                    POST    L    -     -    -     -       -       -     -
sharing:grant_compare                           POST    L    -     -    -     -       -       -     -
sharing:grant_compare[foreign]                  POST    L    -     -    -     -       -       -     -
sharing:grant_statistics                        GET     L    -     -    -     -       -       -     -
sharing:grant_statistics[foreign]               GET     L    -     -    -     -       -       -     -
sharing:grant_pull                              GET     L    -     -    +     -       -       -     -
sharing:grant_pull[foreign]                     GET     L    -     -    -     -       -       -     -
sharing:grant_revoke                            POST    L    -     -    -     +       +       +     -
sharing:grant_revoke[foreign]                   POST    L    -     -    -     +       +       +     -
sharing:objection_new                           GET     L    -     +    +     +       +       +     -  # the form; raising is refused below
sharing:objection_new                           POST    L    -     -    +     -       -       -     -
sharing:objection_new[foreign]                  GET     L    -     +    -     +       +       +     -
sharing:objection_new[foreign]                  POST    L    -     -    -     -       -       -     -
sharing:objection                               GET     L    -     +    +     +       +       +     -
sharing:objection_answer                        POST    L    -     -    -     +       -       -     -
sharing:coordination_new                        GET     L    +     +    +     +       +       +     +  # the form; opening is refused below
sharing:coordination_new                        POST    L    -     +    +     +       -       -     -
sharing:coordination                            GET     L    -     +    +     +       +       +     -
sharing:coordination_answer                     POST    L    -     -    -     +       -       -     -
sharing:coordination_escalate                   POST    L    -     -    +     -       -       -     -
sharing:coordination_conclude                   POST    L    -     -    -     -       +       -     -
sharing:scenarios                               GET     L    -     -    -     -       +       +     -
sharing:scenario_new                            GET     L    -     -    -     -       -       +     -
sharing:scenario_new                            POST    L    -     -    -     -       -       +     -
sharing:scenario_edit                           GET     L    -     -    -     -       -       +     -
sharing:scenario_edit                           POST    L    -     -    -     -       -       +     -
sharing:policy                                  POST    L    -     -    -     -       -       +     -
sharing:usage                                   GET     L    +     +    +     +       +       +     +  # each department its own use
sharing:evaluation                              GET     L    -     -    -     -       +       +     -
# --- API: sharing -------------------------------------------------------------------------------
sharing-policy                                  GET     L    -     -    -     -       -       +     -
sharing-policy                                  PUT     L    -     -    -     -       -       +     -
sharing-overdue                                 GET     L    -     -    -     -       +       +     -
sharing-application-list                        GET     L    +     +    +     +       +       +     +  # filtered to the caller
sharing-application-list                        POST    L    -     +    +     +       -       -     -
sharing-application-review-queue                GET     L    +     +    +     +       +       +     +  # filtered to the caller
sharing-application-detail                      GET     L    -     +    +     +       +       +     -
sharing-application-approve                     POST    L    -     -    -     +       -       -     -
sharing-application-cancel                      POST    L    -     -    +     -       -       -     -
sharing-application-refuse                      POST    L    -     -    -     +       -       -     -
sharing-application-co-approve                  POST    L    -     -    -     -       +       -     -
sharing-grant-list                              GET     L    +     +    +     +       +       +     +  # filtered to the caller
sharing-grant-detail                            GET     L    -     +    +     +       +       +     -
sharing-grant-detail[foreign]                   GET     L    -     +    -     +       +       +     -
sharing-grant-compare                           POST    L    -     -    -     -       -       -     -
sharing-grant-compare[foreign]                  POST    L    -     -    -     -       -       -     -
sharing-grant-pull                              GET     L    -     -    +     -       -       -     -
sharing-grant-pull[foreign]                     GET     L    -     -    -     -       -       -     -
sharing-grant-pull                              POST    L    -     -    +     -       -       -     -  # SECURITY.md 14.14: parameters in the body
sharing-grant-pull[foreign]                     POST    L    -     -    -     -       -       -     -
sharing-grant-query                             GET     L    -     -    -     -       -       -     -
sharing-grant-query[foreign]                    GET     L    -     -    -     -       -       -     -
sharing-grant-query                             POST    L    -     -    -     -       -       -     -
sharing-grant-query[foreign]                    POST    L    -     -    -     -       -       -     -
sharing-grant-revoke                            POST    L    -     -    -     +       +       +     -
sharing-grant-revoke[foreign]                   POST    L    -     -    -     +       +       +     -
sharing-grant-statistics                        GET     L    -     -    -     -       -       -     -
sharing-grant-statistics[foreign]               GET     L    -     -    -     -       -       -     -
sharing-grant-statistics                        POST    L    -     -    -     -       -       -     -
sharing-grant-statistics[foreign]               POST    L    -     -    -     -       -       -     -
sharing-objection-list                          GET     L    +     +    +     +       +       +     +  # filtered to the caller
sharing-objection-list                          POST    L    +     -    +     -       -       -     +  # public, auditor: 400, the grant is hidden from them
sharing-objection-detail                        GET     L    -     +    +     +       +       +     -
sharing-objection-answer                        POST    L    -     -    -     +       -       -     -
sharing-coordination-list                       GET     L    +     +    +     +       +       +     +  # filtered to the caller
sharing-coordination-list                       POST    L    -     +    +     +       -       -     -
sharing-coordination-detail                     GET     L    -     +    +     +       +       +     -
sharing-coordination-answer                     POST    L    -     -    -     +       -       -     -
sharing-coordination-conclude                   POST    L    -     -    -     -       +       -     -
sharing-coordination-escalate                   POST    L    -     -    +     -       -       -     -
sharing-scenario-list                           GET     L    +     +    +     +       +       +     +
sharing-scenario-list                           POST    L    -     -    -     -       -       +     -
sharing-scenario-detail                         GET     L    +     +    +     +       +       +     +
sharing-scenario-detail                         PUT     L    -     -    -     -       -       +     -
sharing-usage-list                              GET     L    +     +    +     +       +       +     +  # filtered to the caller
"""

ROWS = parse_table(MATRIX)

# Rows whose expected outcome the portal does not give yet: (route, variant, method) -> the defect.
DEFECTS: dict[tuple[str, str, str], str] = {}

# Valid bodies for the POST / PUT / PATCH rows that need one.
BODIES: Bodies = {
    ("sharing:apply", "", "post"): lambda w: {
        "purpose": "核定",
        "scenario_text": "审核",
        "items": ["id_number", "name"],
        "mode": "query",
        "end_date": str(today() + dt.timedelta(days=30)),
    },
    ("sharing:application_approve", "", "post"): lambda w: {
        "items": ["id_number", "name"],
        "mode": "query",
        "end_date": str(today() + dt.timedelta(days=30)),
    },
    ("sharing:application_refuse", "", "post"): lambda w: {"reason": "不符合条件"},
    ("sharing:grant_compare", "", "post"): lambda w: {"key": "id_number", "key_value": "1", "name": "张某"},
    ("sharing:grant_compare", "foreign", "post"): lambda w: {"key": "id_number", "key_value": "1", "name": "张某"},
    ("sharing:grant_revoke", "", "post"): lambda w: {"reason": "停止使用"},
    ("sharing:grant_revoke", "foreign", "post"): lambda w: {"reason": "停止使用"},
    ("sharing:objection_new", "", "post"): lambda w: {"rows": "第2行", "items": ["name"], "reason": "有误"},
    ("sharing:objection_new", "foreign", "post"): lambda w: {"rows": "第2行", "items": ["name"], "reason": "有误"},
    ("sharing:objection_answer", "", "post"): lambda w: {"outcome": "confirm", "answer": "经核实无误"},
    ("sharing:coordination_new", "", "post"): lambda w: {"need": "履职需要"},
    ("sharing:coordination_answer", "", "post"): lambda w: {"outcome": "agree", "answer": "同意"},
    ("sharing:coordination_conclude", "", "post"): lambda w: {"conclusion": "协调完成"},
    ("sharing:scenario_new", "", "post"): lambda w: _scenario_form(w),
    ("sharing:scenario_edit", "", "post"): lambda w: _scenario_form(w),
    ("sharing:policy", "", "post"): lambda w: {"auto_grant_unconditional": "on"},
    ("sharing-policy", "", "put"): lambda w: json.dumps({"auto_grant_unconditional": True}),
    ("sharing-application-list", "", "post"): lambda w: json.dumps(
        {
            "entry": w.grant.entry_id,
            "purpose": "核定",
            "scenario_text": "审核",
            "items": ["id_number"],
            "mode": "query",
            "end_date": str(today() + dt.timedelta(days=30)),
        }
    ),
    ("sharing-application-approve", "", "post"): lambda w: json.dumps({"note": "同意"}),
    ("sharing-application-refuse", "", "post"): lambda w: json.dumps({"reason": "不符合条件"}),
    ("sharing-application-co-approve", "", "post"): lambda w: json.dumps({"note": "同意"}),
    ("sharing-grant-compare", "", "post"): lambda w: json.dumps(
        {"key": "id_number", "key_value": "1", "values": {"name": "张某"}}
    ),
    ("sharing-grant-compare", "foreign", "post"): lambda w: json.dumps(
        {"key": "id_number", "key_value": "1", "values": {"name": "张某"}}
    ),
    ("sharing-grant-revoke", "", "post"): lambda w: json.dumps({"reason": "停止使用"}),
    ("sharing-grant-revoke", "foreign", "post"): lambda w: json.dumps({"reason": "停止使用"}),
    ("sharing-objection-list", "", "post"): lambda w: json.dumps(
        {"grant": w.grant.pk, "rows": "第2行", "items": ["name"], "reason": "有误"}
    ),
    ("sharing-objection-answer", "", "post"): lambda w: json.dumps({"outcome": "confirm", "answer": "经核实无误"}),
    ("sharing-coordination-list", "", "post"): lambda w: json.dumps(
        {"entry": w.not_shared_entry.pk, "need": "履职需要"}
    ),
    ("sharing-coordination-answer", "", "post"): lambda w: json.dumps({"outcome": "agree", "answer": "同意"}),
    ("sharing-coordination-conclude", "", "post"): lambda w: json.dumps({"conclusion": "协调完成"}),
    ("sharing-scenario-list", "", "post"): lambda w: json.dumps(_scenario_json(w)),
    ("sharing-scenario-detail", "", "put"): lambda w: json.dumps(_scenario_json(w)),
}


def _scenario_form(w):
    return {"name": "新场景", "entry": w.grant.entry_id, "items": "id_number name", "modes": ["query"], "max_days": 365}


def _scenario_json(w):
    return {
        "name": "新场景",
        "entry": w.grant.entry_id,
        "items": ["id_number", "name"],
        "modes": ["query"],
        "max_days": 365,
    }


test_permission_matrix = matrix_test(ROWS, BODIES, DEFECTS)
