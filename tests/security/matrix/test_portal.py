"""Permission matrix of the base portal and accounts: portal pages (home, inbox, dashboard,
notifications, the working-day calendar), sign-in, password, the second factor and its admin
pages, and the portal's REST API (token, me, inbox, departments, calendar, notifications).

Columns, outcomes and bodies: tests/security/matrix/builder.py.
"""

from __future__ import annotations

import json

from tests.security.matrix.builder import Bodies, matrix_test
from tests.security.matrix.outcomes import parse_table

MATRIX = """
# route[variant]                               method anon public own other officer reviewer admin auditor
# --- portal pages -------------------------------------------------------------------------------
home                                            GET     +    +     +    +     +       +       +     +
open_data_home                                  GET     +    +     +    +     +       +       +     +
department_list                                 GET     L    -     +    +     +       +       +     +
inbox                                           GET     L    +     +    +     +       +       +     +
dashboard                                       GET     L    -     +    +     +       +       +     +
dashboard_report                                GET     L    -     +    +     +       +       +     +
notifications                                   GET     L    +     +    +     +       +       +     +
notification_read                               POST    L    -     +    -     -       -       -     -  # someone else's: 404
notification_read_all                           POST    L    +     +    +     +       +       +     +
notification_settings                           GET     L    +     +    +     +       +       +     +
notification_settings                           POST    L    +     +    +     +       +       +     +
calendar                                        GET     L    -     -    -     -       -       +     -
calendar                                        POST    L    -     -    -     -       -       +     -
calendar_deadline                               GET     L    +     +    +     +       +       +     +
calendar_missing_dismiss                        POST    L    -     -    -     -       -       +     -  # SECURITY.md 22.2
login                                           GET     +    +     +    +     +       +       +     +
login                                           POST    +    +     +    +     +       +       +     +
logout                                          POST    +    +     +    +     +       +       +     +
password_change                                 GET     L    +     +    +     +       +       +     +
password_change                                 POST    L    +     +    +     +       +       +     +
password_change_done                            GET     L    +     +    +     +       +       +     +
password_reset                                  GET     +    +     +    +     +       +       +     +
password_reset                                  POST    +    +     +    +     +       +       +     +
password_reset_done                             GET     +    +     +    +     +       +       +     +
password_reset_confirm                          GET     +    +     +    +     +       +       +     +
password_reset_confirm                          POST    +    +     +    +     +       +       +     +
password_reset_complete                         GET     +    +     +    +     +       +       +     +
set_language                                    POST    +    +     +    +     +       +       +     +
# --- sign-in security (SECURITY.md 14.5, 14.15): the second step and enrolment for oneself; unlocking and
# device reset for the bureau admin ------------------------------------------------------------------
otp_verify                                      GET     L    +     +    +     +       +       +     +
otp_verify                                      POST    L    +     +    +     +       +       +     +
otp_setup                                       GET     L    +     +    +     +       +       +     +
otp_setup                                       POST    L    +     +    +     +       +       +     +
signin_security                                 GET     L    -     -    -     -       -       +     -
signin_unlock                                   POST    L    -     -    -     -       -       +     -
otp_reset                                       POST    L    -     -    -     -       -       +     -
set_language                                    GET     +    +     +    +     +       +       +     +
# --- API: portal --------------------------------------------------------------------------------
api-root                                        GET     L    +     +    +     +       +       +     +
api_schema                                      GET     L    -     +    +     +       +       +     +  # issue 17 part 8: staff only
api_docs                                        GET     +    +     +    +     +       +       +     +
api_token                                       POST    +    +     +    +     +       +       +     +
api_me                                          GET     L    +     +    +     +       +       +     +
api_inbox                                       GET     L    +     +    +     +       +       +     +
api_evaluation                                  GET     L    -     +    +     +       +       +     +
api_deadline                                    GET     L    +     +    +     +       +       +     +
department-list                                 GET     L    -     +    +     +       +       +     +
department-detail                               GET     L    -     +    +     +       +       +     +
calendar-day-list                               GET     L    +     +    +     +       +       +     +
calendar-day-detail                             GET     L    +     +    +     +       +       +     +
calendar-day-detail                             PUT     L    -     -    -     -       -       +     -
calendar-day-detail                             DELETE  L    -     -    -     -       -       +     -
notification-list                               GET     L    +     +    +     +       +       +     +
notification-read-all                           POST    L    +     +    +     +       +       +     +
notification-read                               POST    L    -     +    -     -       -       -     -
"""

ROWS = parse_table(MATRIX)

# Rows whose expected outcome the portal does not give yet: (route, variant, method) -> the defect.
DEFECTS: dict[tuple[str, str, str], str] = {}

# Valid bodies for the POST / PUT / PATCH rows that need one.
BODIES: Bodies = {
    ("calendar-day-detail", "", "put"): lambda w: json.dumps({"kind": "holiday", "name": "国庆节"}),
    ("password_reset", "", "post"): lambda w: {"email": "someone@example.com"},
    ("otp_verify", "", "post"): lambda w: {"otp_token": "123456"},
    ("otp_setup", "", "post"): lambda w: {"otp_token": "123456"},
    ("signin_unlock", "", "post"): lambda w: {"address": "198.51.100.250"},
    ("otp_reset", "", "post"): lambda w: {"username": w.users["reviewer"].username},
}


test_permission_matrix = matrix_test(ROWS, BODIES, DEFECTS)
