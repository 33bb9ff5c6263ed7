"""Signed decisions: a provider's approval, a refusal, a revocation (Hechi art. 40 电子签名, art. 41).

Signed at once, inside the decision's transaction, with the deciding department's key (the
platform's for a decision no person took, e.g. a scenario's automatic grant): a decision is rare,
and its signature is what lets the department be held to it later.
"""

from __future__ import annotations

import uuid

from django.utils import timezone

from portal.models import User
from protection.signatures.models import SignedDecision
from protection.signatures.services import keys
from protection.signatures.verifier import canonical


def sign_decision(
    *,
    actor: User | None,
    kind: str,
    application_id: int | None = None,
    grant_id: int | None = None,
    requester_department_id: int | None = None,
    detail: dict | None = None,
) -> SignedDecision:
    department = getattr(actor, "department", None) if actor is not None else None
    cert = keys.department_certificate(department)
    uid = uuid.uuid4()
    now = timezone.now()
    statement = canonical(
        {
            "type": "signed-decision",
            "uid": str(uid),
            "kind": kind,
            "application": application_id,
            "grant": grant_id,
            "department": {"id": department.pk, "name": department.name} if department is not None else None,
            "requester_department": requester_department_id,
            "actor": actor.pk if actor is not None else None,
            "decided_at": now.isoformat(),
            "detail": detail or {},
            "certificate": cert.serial,
        }
    ).decode("utf-8")
    return SignedDecision.objects.create(
        uid=uid,
        kind=kind,
        application_id=application_id,
        grant_id=grant_id,
        department=department,
        requester_department_id=requester_department_id,
        actor_id=actor.pk if actor is not None else None,
        decided_at=now,
        statement=statement,
        signature=keys.sign(cert, statement.encode("utf-8")),
        certificate=cert,
    )
