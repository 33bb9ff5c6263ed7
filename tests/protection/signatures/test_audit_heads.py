"""Seed 004 抗抵赖: the audit chain's heads are signed the same way as receipts (a leaf of the next
signed root), through audit's head hook: the chain becomes keyed."""

import json

import pytest

from audit.services import head_signers, heads, record
from audit.services.chain import chain_head, seal
from audit.services.verification import check_chain
from protection.signatures import verifier
from protection.signatures.models import Receipt
from protection.signatures.services import audit_heads, evidence, roots


@pytest.mark.django_db(transaction=True)  # seal() seals only what committed before it started
def test_each_new_chain_head_is_signed_in_the_next_root():
    record("test.event", target=("test.thing", "1"))
    blocks = seal()
    assert blocks
    leaf = Receipt.objects.get(kind=Receipt.Kind.AUDIT_HEAD)
    body = json.loads(leaf.body)
    assert (body["block"], body["hash"]) == (chain_head().number, chain_head().block_hash)
    roots.seal_receipts()
    report = verifier.verify_evidence(evidence.receipt_evidence(Receipt.objects.get(pk=leaf.pk)))
    assert report.valid, report.as_dict()


def test_the_daily_head_export_is_signed_too(db, settings, tmp_path):
    settings.AUDIT_HEAD_DIR = str(tmp_path)
    record("test.event", target=("test.thing", "1"))
    export = heads.export_head()
    signed = [json.loads(r.body) for r in Receipt.objects.filter(kind=Receipt.Kind.AUDIT_HEAD)]
    assert [(s["block"], s["hash"]) for s in signed if s["day"] == export.day.isoformat()] == [
        (export.block_number, export.block_hash)
    ]


def test_the_hook_is_declared_by_the_signatures_app():
    assert roots.record_audit_head in head_signers.signers()
    assert audit_heads.check_audit_heads in head_signers.checks()


@pytest.mark.django_db(transaction=True)
def test_a_consistent_rewrite_of_the_whole_chain_is_caught_by_the_signed_head(officer, settings, tmp_path):
    """No head file at all (an empty AUDIT_HEAD_DIR): the platform's signature alone finds the rewrite."""
    from tests.audit.conftest import rewrite_whole_chain, superuser_without_triggers

    settings.AUDIT_HEAD_DIR = str(tmp_path)

    entries = [
        record("catalog.entry.update", actor=officer, target=officer.department, detail={"n": i}) for i in range(3)
    ]
    seal()
    roots.seal_receipts()
    assert check_chain().ok
    with superuser_without_triggers() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'catalog.entry.view' WHERE id = %s", [entries[1].pk])
        rewrite_whole_chain(cursor)
    report = check_chain()
    assert not report.altered and not report.block_problems  # the forgery is self-consistent...
    assert any("与平台签名的链头不符" in p for p in report.head_problems)  # ...but not with the signed head


@pytest.mark.django_db(transaction=True)
def test_deleted_signed_heads_are_reported_once_the_chain_is_old(officer, settings, tmp_path):
    settings.AUDIT_HEAD_DIR = str(tmp_path)
    record("catalog.entry.update", actor=officer, target=officer.department)
    seal()
    roots.seal_receipts()
    from tests.audit.conftest import superuser_without_triggers

    with superuser_without_triggers() as cursor:
        cursor.execute("DELETE FROM signatures_receipt WHERE kind = 'audit_head'")
        cursor.execute("UPDATE audit_auditblock SET sealed_at = sealed_at - interval '3 days'")
    assert any("没有平台签名的审计链头" in p for p in check_chain().head_problems)
