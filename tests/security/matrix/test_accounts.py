"""Permission matrix of account and department management (issue 19 part 6): the bureau admin
manages every account and department; a data officer the staff of their own department (A), never
another department's (variant b: 404) nor departments; nobody else has these pages.

Variants: a = department A's staff member (the `own` column's account), b = department B's.
Columns, outcomes and bodies: tests/security/matrix/builder.py.
"""

from __future__ import annotations

import json

from portal import demo
from portal.models import Department
from tests.security.matrix.builder import Bodies, matrix_test
from tests.security.matrix.outcomes import parse_table
from tests.security.route_args import ROUTE_ARGS

MATRIX = """
# route[variant]                               method anon public own other officer reviewer admin auditor
# --- pages ---------------------------------------------------------------------------------------
accounts:user_list                              GET     L    -     -    -     +       -       +     -
accounts:user_create                            GET     L    -     -    -     +       -       +     -
accounts:user_create                            POST    L    -     -    -     +       -       +     -
accounts:user_detail[a]                         GET     L    -     -    -     +       -       +     -
accounts:user_detail[b]                         GET     L    -     -    -     -       -       +     -
accounts:user_edit[a]                           GET     L    -     -    -     +       -       +     -
accounts:user_edit[a]                           POST    L    -     -    -     +       -       +     -
accounts:user_edit[b]                           POST    L    -     -    -     -       -       +     -
accounts:user_deactivate[a]                     POST    L    -     -    -     +       -       +     -
accounts:user_deactivate[b]                     POST    L    -     -    -     -       -       +     -
accounts:user_deactivate[a]                     GET     L    .     .    .     .       .       .     .
accounts:user_reactivate[a]                     POST    L    -     -    -     +       -       +     -
accounts:user_unlock[a]                         POST    L    -     -    -     +       -       +     -
accounts:user_unlock[b]                         POST    L    -     -    -     -       -       +     -
accounts:user_password_reset[a]                 POST    L    -     -    -     +       -       +     -
accounts:user_password_reset[b]                 POST    L    -     -    -     -       -       +     -
accounts:department_list                        GET     L    -     -    -     -       -       +     -
accounts:department_create                      GET     L    -     -    -     -       -       +     -
accounts:department_create                      POST    L    -     -    -     -       -       +     -
accounts:department_edit                        GET     L    -     -    -     -       -       +     -
accounts:department_edit                        POST    L    -     -    -     -       -       +     -
# --- API ------------------------------------------------------------------------------------------
staff-user-list                                 GET     L    -     -    -     +       -       +     -
staff-user-list                                 POST    L    -     -    -     +       -       +     -
staff-user-detail[a]                            GET     L    -     -    -     +       -       +     -
staff-user-detail[b]                            GET     L    -     -    -     -       -       +     -
staff-user-detail[a]                            PATCH   L    -     -    -     +       -       +     -
staff-user-detail[b]                            PATCH   L    -     -    -     -       -       +     -
staff-user-deactivate[a]                        POST    L    -     -    -     +       -       +     -
staff-user-deactivate[b]                        POST    L    -     -    -     -       -       +     -
staff-user-reactivate[a]                        POST    L    -     -    -     +       -       +     -
staff-user-unlock[a]                            POST    L    -     -    -     +       -       +     -
staff-user-unlock[b]                            POST    L    -     -    -     -       -       +     -
staff-user-password-reset[a]                    POST    L    -     -    -     +       -       +     -
staff-user-password-reset[b]                    POST    L    -     -    -     -       -       +     -
managed-department-list                         GET     L    -     -    -     -       -       +     -
managed-department-list                         POST    L    -     -    -     -       -       +     -
managed-department-detail                       GET     L    -     -    -     -       -       +     -
managed-department-detail                       PATCH   L    -     -    -     -       -       +     -
"""

ROWS = parse_table(MATRIX)

DEFECTS: dict[tuple[str, str, str], str] = {}


def _account(column):
    return lambda w: {"pk": w.users[column].pk}


_ACCOUNT = {"a": _account("own"), "b": _account("other")}
ROUTE_ARGS.update(
    {
        **dict.fromkeys(
            (
                "accounts:user_detail",
                "accounts:user_edit",
                "accounts:user_deactivate",
                "accounts:user_reactivate",
                "accounts:user_unlock",
                "accounts:user_password_reset",
                "staff-user-detail",
                "staff-user-deactivate",
                "staff-user-reactivate",
                "staff-user-unlock",
                "staff-user-password-reset",
            ),
            _ACCOUNT,
        ),
        "accounts:department_edit": {"": lambda w: {"pk": w.dept_a.pk}},
        "managed-department-detail": {"": lambda w: {"pk": w.dept_a.pk}},
    }
)


def _new_user(w):
    return {
        "username": "matrix_new",
        "real_name": "矩阵新用户",
        "department": w.dept_a.pk,
        "roles": ["department_staff"],
    }


def _edit_user(column):
    def body(w):
        user = w.users[column]
        return {"real_name": "改名", "department": user.department_id, "roles": ["department_staff"]}

    return body


def _department(w, department=None):
    if department is None:
        city = Department.objects.filter(level=Department.Level.CITY).first()
        return {
            "name": "矩阵新部门",
            "code": "matrix-new",
            "uscc": demo.make_uscc("540100", 9876),
            "level": "department",
            "parent": city.pk,
            "is_active": "on",
        }
    return {
        "name": department.name + "（改）",
        "code": department.code,
        "uscc": department.uscc,
        "level": department.level,
        "parent": department.parent_id,
        "is_active": "on",
    }


BODIES: Bodies = {
    ("accounts:user_create", "", "post"): _new_user,
    ("accounts:user_edit", "a", "post"): _edit_user("own"),
    ("accounts:user_edit", "b", "post"): _edit_user("other"),
    ("accounts:user_deactivate", "a", "post"): lambda w: {"reason": "矩阵"},
    ("accounts:user_deactivate", "b", "post"): lambda w: {"reason": "矩阵"},
    ("accounts:department_create", "", "post"): lambda w: _department(w),
    ("accounts:department_edit", "", "post"): lambda w: _department(w, w.dept_a),
    ("staff-user-list", "", "post"): lambda w: json.dumps(_new_user(w)),
    ("staff-user-detail", "a", "patch"): lambda w: json.dumps({"real_name": "改名"}),
    ("staff-user-detail", "b", "patch"): lambda w: json.dumps({"real_name": "改名"}),
    ("staff-user-deactivate", "a", "post"): lambda w: json.dumps({"reason": "矩阵"}),
    ("staff-user-deactivate", "b", "post"): lambda w: json.dumps({"reason": "矩阵"}),
    ("managed-department-list", "", "post"): lambda w: json.dumps({**_department(w), "is_active": True}),
    ("managed-department-detail", "", "patch"): lambda w: json.dumps({"name": "乙名"}),
}


test_permission_matrix = matrix_test(ROWS, BODIES, DEFECTS)
