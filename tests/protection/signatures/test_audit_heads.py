"""Seed 004 抗抵赖: the audit chain's heads are signed the same way as receipts (a leaf of the next
signed root), through audit's head hook: the chain becomes keyed."""

import json

import pytest

from audit.services import heads, record
from audit.services.chain import chain_head, seal
from protection.signatures import verifier
from protection.signatures.models import Receipt
from protection.signatures.services import evidence, roots


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


def test_the_hook_is_registered_by_the_signatures_app():
    assert roots.record_audit_head in heads.HEAD_SIGNERS
