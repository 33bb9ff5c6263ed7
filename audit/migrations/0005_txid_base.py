"""Entry transaction ids that survive a restore into a new PostgreSQL cluster.

txid = pg_current_xact_id() + base. A new cluster numbers transactions from the start again, so
after a restore new entries would fall below the sealed part of the chain and never be sealed.
audit_txid_base() returns the base, and when the current transaction id plus the base is below the
last block's horizon (only after such a restore) first moves the base above every existing entry —
once: concurrent callers compare-and-set the single row and re-read it. SECURITY DEFINER: the
application's role cannot change the base itself.
"""

from django.db import migrations, models

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION audit_txid_base() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    raw bigint := pg_current_xact_id()::text::bigint;
    b bigint;
    floor_id bigint;
BEGIN
    SELECT base INTO b FROM audit_audittxidbase WHERE id = 1;
    b := coalesce(b, 0);
    SELECT txid_hi INTO floor_id FROM audit_auditblock ORDER BY number DESC LIMIT 1;
    IF floor_id IS NULL OR raw + b >= floor_id THEN
        RETURN b;
    END IF;
    -- Restored into a new cluster: continue numbering above every entry, sealed or not.
    SELECT greatest(floor_id, coalesce(max(txid), 0) + 1) INTO floor_id FROM audit_auditentry;
    INSERT INTO audit_audittxidbase (id, base, adopted_at) VALUES (1, floor_id, clock_timestamp())
        ON CONFLICT (id) DO UPDATE SET base = EXCLUDED.base, adopted_at = EXCLUDED.adopted_at
        WHERE audit_audittxidbase.base = b;
    SELECT base INTO b FROM audit_audittxidbase WHERE id = 1;
    RETURN b;
END $$;

CREATE OR REPLACE FUNCTION audit_set_txid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.txid := pg_current_xact_id()::text::bigint + audit_txid_base();
    RETURN NEW;
END $$;
"""

REVERSE = r"""
CREATE OR REPLACE FUNCTION audit_set_txid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.txid := pg_current_xact_id()::text::bigint;
    RETURN NEW;
END $$;
DROP FUNCTION IF EXISTS audit_txid_base();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_application_role"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditTxidBase",
            fields=[
                ("id", models.SmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("base", models.BigIntegerField(default=0, verbose_name="基数")),
                ("adopted_at", models.DateTimeField(blank=True, null=True, verbose_name="调整时间")),
            ],
            options={
                "verbose_name": "事务号基数",
                "verbose_name_plural": "事务号基数",
                "default_permissions": (),
            },
        ),
        migrations.RunSQL(FUNCTIONS, REVERSE),
    ]
