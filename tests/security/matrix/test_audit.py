"""Permission matrix of the audit log: the log and its export only for auditors, integrity also for
the bureau admin, usage for data officers; pages and API.

Columns, outcomes and bodies: tests/security/matrix/builder.py.
"""

from __future__ import annotations

from tests.security.matrix.builder import Bodies, matrix_test
from tests.security.matrix.outcomes import parse_table
from tests.security.route_args import ROUTE_ARGS


def _verification_job(w):
    from django.utils import timezone

    from audit.models import VerificationJob

    return {"pk": VerificationJob.objects.create(requested_by_id=0, created_at=timezone.now()).pk}


def _verification(w):
    from django.utils import timezone

    from audit.models import AuditVerification

    now = timezone.now()
    row = AuditVerification(started_at=now, finished_at=now, trigger="matrix", ok=False, altered_ids=[1])
    row.save()
    return {"pk": row.pk}


# The routes' objects, declared beside their rows (tests/security/route_args.py reads ROUTE_ARGS).
ROUTE_ARGS.update({"audit:verify_job": {"": _verification_job}, "audit:verification": {"": _verification}})

MATRIX = """
# route[variant]                               method anon public own other officer reviewer admin auditor
# --- audit pages: the log only for auditors; integrity also for the bureau admin; usage for officers --
audit_log                                       GET     L    -     -    -     -       -       -     +
audit:log                                       GET     L    -     -    -     -       -       -     +
audit:entry                                     GET     L    -     -    -     -       -       -     +
audit:export                                    GET     L    -     -    -     -       -       -     +
audit:integrity                                 GET     L    -     -    -     -       -       +     +
audit:heads                                     GET     L    -     -    -     -       -       -     +
audit:usage                                     GET     L    -     -    -     +       -       -     -
# --- 立即校验 (issue 19 part 8): the auditor verifies now and opens what a run found ----------------
audit:verify_start                              POST    L    -     -    -     -       -       -     +
audit:verify_job                                GET     L    -     -    -     -       -       -     +
audit:verification                              GET     L    -     -    -     -       -       -     +
# --- API: audit ---------------------------------------------------------------------------------
audit-integrity                                 GET     L    -     -    -     -       -       +     +
audit-usage                                     GET     L    -     -    -     +       -       -     -
audit-entry-list                                GET     L    -     -    -     -       -       -     +
audit-entry-list                                POST    L    -     -    -     -       -       -     .
audit-entry-export                              GET     L    -     -    -     -       -       -     +
audit-entry-detail                              GET     L    -     -    -     -       -       -     +
audit-entry-detail                              PATCH   L    -     -    -     -       -       -     .
audit-entry-detail                              DELETE  L    -     -    -     -       -       -     .
"""

ROWS = parse_table(MATRIX)

# Rows whose expected outcome the portal does not give yet: (route, variant, method) -> the defect.
DEFECTS: dict[tuple[str, str, str], str] = {}

# Valid bodies for the POST / PUT / PATCH rows that need one.
BODIES: Bodies = {}


test_permission_matrix = matrix_test(ROWS, BODIES, DEFECTS)
