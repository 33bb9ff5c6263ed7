"""The entry table becomes range-partitioned by month, append-only at the database level.

Django cannot express a partitioned table, so the database side is SQL and the model state follows
with SeparateDatabaseAndState. The table of 0001 is replaced (rows, if a development database has
any, are copied over). PostgreSQL requires the partition key in the primary key: (id, occurred_at).

Triggers (docs/conventions.md, pitfalls: "Audit: triggers alone do not make a table append-only"):
- BEFORE UPDATE OR DELETE, row level, on the parent: cloned onto every partition by PostgreSQL;
- BEFORE TRUNCATE, statement level, on the parent and on each partition (statement triggers are
  not cloned): refused unless the session says `audit.maintenance = on` (the test flush does);
- BEFORE INSERT sets txid to the inserting transaction's id (the seal job's horizon).
Privileges for the application's role are set by 0004 and audit.services.dbroles.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Q

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION audit_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '审计日志只能追加，不允许 % (% is append-only)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE FUNCTION audit_forbid_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('audit.maintenance', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '审计日志只能追加，不允许 TRUNCATE (% is append-only)', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE FUNCTION audit_set_txid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.txid := pg_current_xact_id()::text::bigint;
    RETURN NEW;
END $$;

-- One month of entries, bounds at local midnight of the first day (p_tz: settings.TIME_ZONE).
-- Idempotent. Direct access to a partition is for its owner only (the app reaches rows through
-- the parent), so privileges are revoked from PUBLIC and from the application's role.
CREATE OR REPLACE FUNCTION audit_create_partition(p_month date, p_tz text, p_app_role text DEFAULT NULL)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    m date := date_trunc('month', p_month)::date;
    part text := 'audit_auditentry_p' || to_char(m, 'YYYYMM');
    lo timestamptz := (m::timestamp AT TIME ZONE p_tz);
    hi timestamptz := ((m + interval '1 month')::timestamp AT TIME ZONE p_tz);
BEGIN
    IF to_regclass(part) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF audit_auditentry FOR VALUES FROM (%L) TO (%L)',
                       part, lo, hi);
        EXECUTE format('CREATE TRIGGER audit_forbid_truncate BEFORE TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION audit_forbid_truncate()', part);
        EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', part);
    END IF;
    IF p_app_role IS NOT NULL AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_app_role) THEN
        EXECUTE format('REVOKE ALL ON %I FROM %I', part, p_app_role);
    END IF;
    RETURN part;
END $$;
"""

TABLE = r"""
CREATE TEMPORARY TABLE audit_entries_before_partitioning ON COMMIT DROP AS SELECT * FROM audit_auditentry;
DROP TABLE audit_auditentry;
CREATE SEQUENCE audit_auditentry_id_seq;
CREATE TABLE audit_auditentry (
    id bigint NOT NULL DEFAULT nextval('audit_auditentry_id_seq'),
    occurred_at timestamp with time zone NOT NULL,
    actor_id bigint NULL,
    actor_username varchar(150) NOT NULL,
    actor_name varchar(100) NOT NULL,
    department_id bigint NULL,
    department_name varchar(100) NOT NULL,
    role varchar(30) NOT NULL,
    action varchar(60) NOT NULL,
    object_type varchar(60) NOT NULL,
    object_id varchar(64) NOT NULL,
    object_repr varchar(200) NOT NULL,
    outcome varchar(10) NOT NULL,
    client_ip inet NULL,
    request_id varchar(64) NOT NULL,
    detail jsonb NOT NULL,
    owner_department_id bigint NULL,
    txid bigint NOT NULL,
    CONSTRAINT audit_auditentry_pkey PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);
ALTER SEQUENCE audit_auditentry_id_seq OWNED BY audit_auditentry.id;
CREATE INDEX audit_time_id ON audit_auditentry (occurred_at, id);
CREATE INDEX audit_dept_time ON audit_auditentry (department_id, occurred_at);
CREATE INDEX audit_actor_time ON audit_auditentry (actor_id, occurred_at);
CREATE INDEX audit_action_time ON audit_auditentry (action varchar_pattern_ops, occurred_at);
CREATE INDEX audit_object ON audit_auditentry (object_type, object_id, occurred_at);
CREATE INDEX audit_owner_time ON audit_auditentry (owner_department_id, occurred_at);
CREATE INDEX audit_txid ON audit_auditentry (txid, id);
CREATE INDEX audit_request ON audit_auditentry (request_id) WHERE NOT (request_id = '');
CREATE TRIGGER audit_set_txid BEFORE INSERT ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_set_txid();
CREATE TRIGGER audit_forbid_change BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_forbid_change();
CREATE TRIGGER audit_forbid_truncate BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_forbid_truncate();
"""

COLUMNS = (
    "id, occurred_at, actor_id, actor_username, actor_name, department_id, department_name, role, "
    "action, object_type, object_id, object_repr, outcome, client_ip, request_id, detail"
)

# Months from the oldest copied row (or last month) to this many months ahead; the periodic job
# audit.tasks.create_partitions keeps creating them ahead from then on.
MONTHS_AHEAD = 3


def partition(apps, schema_editor):
    tz = settings.TIME_ZONE
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FUNCTIONS)
        cursor.execute(TABLE)
        cursor.execute(
            "SELECT generate_series("
            "  date_trunc('month', least(coalesce((SELECT min(occurred_at) FROM audit_entries_before_partitioning),"
            "                                     now()), now() - interval '1 month') AT TIME ZONE %s),"
            "  date_trunc('month', now() AT TIME ZONE %s) + make_interval(months => %s),"
            "  interval '1 month')::date",
            [tz, tz, MONTHS_AHEAD],
        )
        for (month,) in cursor.fetchall():
            cursor.execute("SELECT audit_create_partition(%s, %s)", [month, tz])
        cursor.execute(
            f"INSERT INTO audit_auditentry ({COLUMNS}, txid) SELECT {COLUMNS}, 0 FROM audit_entries_before_partitioning"
        )
        cursor.execute("SELECT setval('audit_auditentry_id_seq', greatest((SELECT max(id) FROM audit_auditentry), 1))")


def unpartition(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"""
            CREATE TEMPORARY TABLE audit_entries_partitioned ON COMMIT DROP AS SELECT {COLUMNS} FROM audit_auditentry;
            SET LOCAL audit.maintenance = 'on';
            DROP TABLE audit_auditentry CASCADE;
            CREATE TABLE audit_auditentry ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
                "occurred_at" timestamp with time zone NOT NULL, "actor_id" bigint NULL,
                "actor_username" varchar(150) NOT NULL, "actor_name" varchar(100) NOT NULL,
                "department_id" bigint NULL, "department_name" varchar(100) NOT NULL, "role" varchar(30) NOT NULL,
                "action" varchar(60) NOT NULL, "object_type" varchar(60) NOT NULL, "object_id" varchar(64) NOT NULL,
                "object_repr" varchar(200) NOT NULL, "outcome" varchar(10) NOT NULL, "client_ip" inet NULL,
                "request_id" varchar(64) NOT NULL, "detail" jsonb NOT NULL);
            CREATE INDEX "audit_auditentry_occurred_at_313c4590" ON "audit_auditentry" ("occurred_at");
            CREATE INDEX "audit_auditentry_actor_id_8ab278be" ON "audit_auditentry" ("actor_id");
            CREATE INDEX "audit_dept_time" ON "audit_auditentry" ("department_id", "occurred_at");
            CREATE INDEX "audit_action_time" ON "audit_auditentry" ("action", "occurred_at");
            CREATE INDEX "audit_object" ON "audit_auditentry" ("object_type", "object_id");
            INSERT INTO audit_auditentry ({COLUMNS}) OVERRIDING SYSTEM VALUE SELECT {COLUMNS} FROM audit_entries_partitioned;
            SELECT setval(pg_get_serial_sequence('audit_auditentry', 'id'),
                          greatest((SELECT max(id) FROM audit_auditentry), 1));
            DROP FUNCTION IF EXISTS audit_create_partition(date, text, text);
            DROP FUNCTION IF EXISTS audit_set_txid();
        """)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(partition, unpartition)],
            state_operations=[
                migrations.AlterModelOptions(
                    name="auditentry",
                    options={
                        "default_permissions": ("view",),
                        "ordering": ["-occurred_at", "-id"],
                        "permissions": [("export_auditentry", "导出审计记录")],
                        "verbose_name": "审计记录",
                        "verbose_name_plural": "审计记录",
                    },
                ),
                migrations.RemoveIndex(model_name="auditentry", name="audit_action_time"),
                migrations.RemoveIndex(model_name="auditentry", name="audit_object"),
                migrations.AddField(
                    model_name="auditentry",
                    name="owner_department_id",
                    field=models.BigIntegerField(blank=True, null=True, verbose_name="数据提供部门ID"),
                ),
                migrations.AddField(
                    model_name="auditentry",
                    name="txid",
                    field=models.BigIntegerField(blank=True, editable=False, null=True, verbose_name="事务号"),
                ),
                migrations.AlterField(
                    model_name="auditentry",
                    name="actor_id",
                    field=models.BigIntegerField(blank=True, null=True, verbose_name="操作人ID"),
                ),
                migrations.AlterField(
                    model_name="auditentry",
                    name="id",
                    field=models.BigAutoField(primary_key=True, serialize=False),
                ),
                migrations.AlterField(
                    model_name="auditentry",
                    name="occurred_at",
                    field=models.DateTimeField(verbose_name="时间"),
                ),
                migrations.AddIndex(
                    model_name="auditentry",
                    index=models.Index(fields=["occurred_at", "id"], name="audit_time_id"),
                ),
                migrations.AddIndex(
                    model_name="auditentry",
                    index=models.Index(fields=["actor_id", "occurred_at"], name="audit_actor_time"),
                ),
                migrations.AddIndex(
                    model_name="auditentry",
                    index=models.Index(
                        fields=["action", "occurred_at"],
                        name="audit_action_time",
                        opclasses=["varchar_pattern_ops", "timestamptz_ops"],
                    ),
                ),
                migrations.AddIndex(
                    model_name="auditentry",
                    index=models.Index(fields=["object_type", "object_id", "occurred_at"], name="audit_object"),
                ),
                migrations.AddIndex(
                    model_name="auditentry",
                    index=models.Index(fields=["owner_department_id", "occurred_at"], name="audit_owner_time"),
                ),
                migrations.AddIndex(
                    model_name="auditentry",
                    index=models.Index(fields=["txid", "id"], name="audit_txid"),
                ),
                migrations.AddIndex(
                    model_name="auditentry",
                    index=models.Index(
                        condition=Q(("request_id", ""), _negated=True), fields=["request_id"], name="audit_request"
                    ),
                ),
            ],
        ),
    ]
