"""Permission matrix of the admin site: staff accounts (the bureau admin) with the model permission;
wildcard rows (`admin:portal_user_*`) cover every route of a model admin.

Columns, outcomes and bodies: tests/security/matrix/builder.py.
"""

from __future__ import annotations

from tests.security.matrix.builder import Bodies, matrix_test
from tests.security.matrix.outcomes import parse_table

MATRIX = """
# route[variant]                               method anon public own other officer reviewer admin auditor
# --- admin site: staff accounts (the bureau admin) with the model permission ---------------------
admin:index                                     GET     L    -     -    -     -       -       +     -
admin:login                                     GET     +    +     +    +     +       +       +     +
admin:logout                                    POST    +    +     +    +     +       +       +     +
admin:password_change                           GET     L    -     -    -     -       -       +     -
admin:password_change_done                      GET     L    -     -    -     -       -       +     -
admin:autocomplete                              GET     L    -     -    -     -       -       -     -
admin:jsi18n                                    GET     L    -     -    -     -       -       +     -
admin:view_on_site                              GET     L    -     -    -     -       -       -     -
admin:app_list                                  GET     L    -     -    -     -       -       +     -
admin/(?P<url>.*)$                              GET     L    -     -    -     -       -       -     -
admin/*/<path:object_id>/                       GET     L    -     -    -     -       -       +     -  # redirect to the change page
admin:authtoken_tokenproxy_*                    GET     L    -     -    -     -       -       -     -
admin:axes_accessattempt_*                      GET     L    -     -    -     -       -       +     -
admin:axes_accessattempt_add                    GET     L    -     -    -     -       -       -     -
admin:axes_accesslog_*                          GET     L    -     -    -     -       -       +     -
admin:axes_accesslog_add                        GET     L    -     -    -     -       -       -     -
admin:axes_accesslog_delete                     GET     L    -     -    -     -       -       -     -
admin:axes_accessfailurelog_*                   GET     L    -     -    -     -       -       -     -
admin:django_celery_beat_periodictask_*         GET     L    -     -    -     -       -       +     -
admin:django_celery_beat_periodictask_add       GET     L    -     -    -     -       -       -     -
admin:django_celery_beat_periodictask_delete    GET     L    -     -    -     -       -       -     -
admin:django_celery_beat_*schedule_*            GET     L    -     -    -     -       -       -     -
admin:portal_department_*                       GET     L    -     -    -     -       -       +     -
admin:portal_department_delete                  GET     L    -     -    -     -       -       -     -
admin:portal_user_*                             GET     L    -     -    -     -       -       +     -
admin:portal_user_delete                        GET     L    -     -    -     -       -       -     -
admin:auth_user_password_change                 GET     L    -     -    -     -       -       +     -
admin:portal_calendarday_*                      GET     L    -     -    -     -       -       +     -
admin:portal_calendaryear_*                     GET     L    -     -    -     -       -       +     -
admin:portal_missingcalendaryear_*              GET     L    -     -    -     -       -       +     -
admin:portal_missingcalendaryear_add            GET     L    -     -    -     -       -       -     -
"""

ROWS = parse_table(MATRIX)

# Rows whose expected outcome the portal does not give yet: (route, variant, method) -> the defect.
DEFECTS: dict[tuple[str, str, str], str] = {}

# Valid bodies for the POST / PUT / PATCH rows that need one.
BODIES: Bodies = {}


test_permission_matrix = matrix_test(ROWS, BODIES, DEFECTS)
