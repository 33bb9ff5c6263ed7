"""Encrypted data items in data tables: ciphertext and blind index in PostgreSQL, plaintext nowhere,
every read path decrypting (and masking) in Python, tampering and a wrong master key reported."""

import dataclasses
import io
import json
import uuid

import pytest
from django.db import connection

from catalog import datastore
from catalog.datastore import export, usage
from protection.encryption import keys, services
from protection.encryption.models import StoredKey
from tests.catalog.test_datastore_support import PEOPLE, person, write_csv

pytestmark = pytest.mark.django_db

SENSITIVE = {"id_no", "name", "born", "children", "mobile"}
SEALED = [dataclasses.replace(c, encrypted=c.key in SENSITIVE) for c in PEOPLE]


@pytest.fixture
def tables(tmp_path):
    """The same 30 people loaded twice: plain, and with the sensitive items encrypted."""
    rows = [person(n) for n in range(1, 31)]
    rows[2][5] = ""  # a NULL phone
    rows[7][1] = "=HYPERLINK(1)"  # formula-like name: neutralised in downloads
    path = write_csv(tmp_path / "p.csv", rows)
    plain, sealed = "p_" + uuid.uuid4().hex[:12], "s_" + uuid.uuid4().hex[:12]
    assert datastore.load_file(path, filename="p.csv", columns=PEOPLE, table=plain).ok
    assert datastore.load_file(path, filename="p.csv", columns=SEALED, table=sealed).ok
    yield plain, sealed, rows
    for name in (plain, sealed):
        datastore.drop_table(name)


def _raw_table(table) -> list[str]:
    """Every cell of the raw PostgreSQL table as text (bytea in its hex form), and the bytes of bytea."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT row_to_json(t)::text FROM datastore."{table}" t')
        texts = [r[0] for r in cursor.fetchall()]
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'datastore' AND table_name = %s",
            [table],
        )
        types = dict(cursor.fetchall())
        blobs = []
        for name, kind in types.items():
            if kind == "bytea":
                cursor.execute(f'SELECT "{name}" FROM datastore."{table}" WHERE "{name}" IS NOT NULL')
                blobs += [bytes(r[0]) for r in cursor.fetchall()]
    return texts, types, blobs


def test_raw_table_holds_no_plaintext_of_an_encrypted_item(tables):
    plain, sealed, rows = tables
    texts, types, blobs = _raw_table(sealed)
    for key in SENSITIVE:
        assert types[key] == "bytea" and types["_i_" + key] == "bytea"
    assert types["amount"] == "numeric"  # not sensitive: unchanged
    whole = "\n".join(texts)
    joined = b"\n".join(blobs)
    for row in rows:
        for value in (row[0], row[1], row[5]):
            if value:
                assert value not in whole
                assert value.encode() not in joined and value.encode().hex() not in whole
    assert "1990-03-07" not in whole  # the encrypted birth date
    # and the plain table does hold them: the check above would have seen them
    assert rows[0][0] in "\n".join(_raw_table(plain)[0])


def test_reads_decrypt_to_the_same_values(tables):
    plain, sealed, _rows = tables
    assert datastore.preview(sealed, SEALED, limit=30) == datastore.preview(plain, PEOPLE, limit=30)
    assert datastore.query_rows(sealed, SEALED, page_size=7, page=2) == datastore.query_rows(
        plain, PEOPLE, page_size=7, page=2
    )
    assert datastore.preview(sealed, SEALED, limit=1)[0]["children"] == 1


def test_equality_filters_and_compare_use_the_blind_index(tables):
    plain, sealed, rows = tables
    wanted = {"id_no": rows[4][0].lower(), "mobile": rows[4][5]}  # normalised like a load (x -> X)
    assert datastore.query_rows(sealed, SEALED, filters=wanted) == datastore.query_rows(plain, PEOPLE, filters=wanted)
    assert datastore.query_rows(sealed, SEALED, filters={"id_no": rows[4][0]})[1] == 1
    assert datastore.query_rows(sealed, SEALED, filters={"name": "没有这个人"})[1] == 0
    assert datastore.query_rows(sealed, SEALED, filters={"born": "1990/3/7"})[1] == 30
    assert usage.count(sealed, SEALED, filters={"children": "2"}) == usage.count(
        plain, PEOPLE, filters={"children": "2"}
    )
    sent = {"name": rows[4][1], "mobile": "13800000000", "amount": rows[4][3]}
    assert usage.compare(sealed, SEALED, key="id_no", key_value=rows[4][0], values=sent) == {
        "id_no": True,
        "name": True,
        "mobile": False,
        "amount": True,
    }
    assert usage.compare(sealed, SEALED, key="id_no", key_value=rows[4][0], values=sent) == usage.compare(
        plain, PEOPLE, key="id_no", key_value=rows[4][0], values=sent
    )
    assert usage.compare(sealed, SEALED, key="mobile", key_value="13900000000", values={"name": "x"})["mobile"] is False


def test_blind_index_joins_across_tables(tables, tmp_path):
    _plain, sealed, rows = tables
    other = "o_" + uuid.uuid4().hex[:12]
    path = write_csv(tmp_path / "o.csv", [person(n) for n in (5, 6, 40)])
    try:
        assert datastore.load_file(path, filename="o.csv", columns=SEALED, table=other).ok
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT count(*) FROM datastore."{sealed}" a JOIN datastore."{other}" b ON a."_i_id_no" = b."_i_id_no"'
            )
            assert cursor.fetchone()[0] == 2
            cursor.execute(
                f'SELECT count(*) FROM datastore."{sealed}" a JOIN datastore."{other}" b ON a."id_no" = b."id_no"'
            )
            assert cursor.fetchone()[0] == 0  # ciphertexts differ (own data key, fresh nonces)
    finally:
        datastore.drop_table(other)


def test_masking_in_python_matches_sql(tables):
    plain, sealed, _rows = tables
    masked = {"id_no", "name", "mobile", "born"}
    got = usage.query(sealed, SEALED, masked=masked, page_size=30)
    assert got == usage.query(plain, PEOPLE, masked=masked, page_size=30)
    assert got[0][0]["id_no"].startswith("**************") and got[0][0]["born"] is None
    assert datastore.preview(sealed, SEALED, masked=masked, limit=3) == datastore.preview(
        plain, PEOPLE, masked=masked, limit=3
    )


def test_order_group_and_sum_on_ciphertext_are_refused(tables):
    _plain, sealed, _rows = tables
    with pytest.raises(ValueError, match="加密存储，不能排序"):
        datastore.query_rows(sealed, SEALED, order_by="-name")
    with pytest.raises(ValueError, match="加密存储，不能分组"):
        usage.statistics(sealed, SEALED, group_by=["born"])
    with pytest.raises(ValueError, match="加密存储，不能统计"):
        usage.statistics(sealed, SEALED, group_by=["insured"], measures=[("sum", "children")])
    assert usage.statistics(sealed, SEALED, group_by=["insured"], measures=[("sum", "amount")])["groups"]


def test_downloads_decrypt_and_neutralise_like_copy(tables):
    plain, sealed, _rows = tables
    out_plain, out_sealed = io.BytesIO(), io.BytesIO()
    datastore.copy_to(plain, PEOPLE, out_plain, bom=True)
    datastore.copy_to(sealed, SEALED, out_sealed, bom=True)
    assert out_sealed.getvalue() == out_plain.getvalue()
    assert b"'=HYPERLINK(1)" in out_sealed.getvalue()


@pytest.mark.django_db(transaction=True)
def test_streamed_downloads_decrypt_like_copy(tables):
    """The streams read on a connection of their own: committed tables (a transactional test)."""
    plain, sealed, _rows = tables
    assert b"".join(datastore.stream_csv(sealed, SEALED)) == b"".join(datastore.stream_csv(plain, PEOPLE))
    masked = {"name", "mobile"}
    assert b"".join(usage.stream(sealed, SEALED, masked=masked)) == b"".join(usage.stream(plain, PEOPLE, masked=masked))
    as_json = json.loads(b"".join(usage.stream(sealed, SEALED, masked=masked, fmt="json")))
    assert as_json == json.loads(b"".join(usage.stream(plain, PEOPLE, masked=masked, fmt="json")))
    assert json.loads(b"".join(export.stream_json(sealed, SEALED))) == json.loads(
        b"".join(export.stream_json(plain, PEOPLE))
    )
    assert b"".join(export.stream_xlsx(sealed, SEALED, row_count=30))[:2] == b"PK"


def test_a_tampered_cell_is_reported_never_served(tables):
    _plain, sealed, _rows = tables
    with connection.cursor() as cursor:
        # flip one byte of the first row's name ciphertext
        cursor.execute(
            f'UPDATE datastore."{sealed}" SET name = overlay(name placing '
            f"decode(lpad(to_hex(get_byte(name, 20) # 1), 2, '0'), 'hex') from 21 for 1) WHERE _row = 1"
        )
    with pytest.raises(keys.TamperedError, match="篡改"):
        datastore.preview(sealed, SEALED, limit=1)
    with connection.cursor() as cursor:  # a ciphertext moved from another column
        cursor.execute(f'UPDATE datastore."{sealed}" SET name = id_no WHERE _row = 2')
    with pytest.raises(keys.TamperedError):
        datastore.query_rows(sealed, SEALED, page=1, page_size=2)
    assert datastore.preview(sealed, [c for c in SEALED if c.key != "name"], limit=2)


def test_a_ciphertext_swapped_between_rows_is_reported(tables):
    _plain, sealed, _rows = tables
    with connection.cursor() as cursor:  # two rows' ID numbers swapped, indexes and all
        cursor.execute(
            f'UPDATE datastore."{sealed}" t SET id_no = o.id_no, "_i_id_no" = o."_i_id_no" '
            f'FROM datastore."{sealed}" o WHERE t._row IN (1, 2) AND o._row = 3 - t._row'
        )
    with pytest.raises(keys.TamperedError):
        datastore.preview(sealed, SEALED, limit=2)


def test_an_unmarked_ciphertext_column_is_not_served(tables):
    _plain, sealed, _rows = tables
    with pytest.raises(keys.EncryptionError):
        datastore.preview(sealed, PEOPLE, limit=1)  # columns not marked encrypted: refuse, never hex


def test_wrong_master_key_refuses_to_read(tables, tmp_path, settings):
    _plain, sealed, _rows = tables
    services.forget_keys()
    settings.ENCRYPTION = {
        **settings.ENCRYPTION,
        "MASTER_KEY_FILE": str(tmp_path / "other.key"),
        "GENERATE_MASTER_KEY": True,
    }
    with pytest.raises(keys.MasterKeyError, match="主密钥错误或缺失"):
        datastore.preview(sealed, SEALED, limit=1)
    assert services.unknown_master_keys()


@pytest.mark.parametrize(
    "rule",
    [
        {"rule": "hide"},
        {"rule": "keep_first", "first": 3},
        {"rule": "keep_last", "last": 4},
        {"rule": "keep_first_last", "first": 6, "last": 4},
        {"rule": "hash"},
        {"rule": "year"},
        {"rule": "none"},
    ],
)
def test_masked_copies_of_encrypted_items_match_the_sql_rules(tables, rule):
    from catalog.datastore import masking

    plain, sealed, _rows = tables
    keys_ = ["id_no", "name", "born", "mobile"] if rule["rule"] != "year" else ["born"]
    plan_plain = [(c, masking.Rule.from_dict(rule)) for c in PEOPLE if c.key in keys_]
    plan_sealed = [(c, masking.Rule.from_dict(rule)) for c in SEALED if c.key in keys_]
    targets = ["m_" + uuid.uuid4().hex[:12], "n_" + uuid.uuid4().hex[:12]]
    assert masking.create_masked_table(source=plain, target=targets[0], plan=plan_plain, salt="s") == 30
    assert masking.create_masked_table(source=sealed, target=targets[1], plan=plan_sealed, salt="s") == 30
    out = [masking.masked_column(c, r) for c, r in plan_plain]
    assert datastore.preview(targets[1], out, limit=30) == datastore.preview(targets[0], out, limit=30)
    texts, types, _blobs = _raw_table(targets[1])
    assert "bytea" not in types.values()  # masked values only, never ciphertext


def test_aes_256_gcm_by_one_setting(tmp_path, settings):
    settings.ENCRYPTION = {**settings.ENCRYPTION, "ALGORITHM": "aes-256-gcm"}
    path = write_csv(tmp_path / "a.csv", [person(n) for n in range(1, 4)])
    table = "a_" + uuid.uuid4().hex[:12]
    assert datastore.load_file(path, filename="a.csv", columns=SEALED, table=table).ok
    _texts, _types, blobs = _raw_table(table)
    from protection.encryption import ciphers

    values = [b for b in blobs if len(b) > 16 and b[0] == keys.VALUE_VERSION]
    assert values and all(b[1] == ciphers.ALGORITHM_IDS["aes-256-gcm"] for b in values)
    assert datastore.preview(table, SEALED, limit=3)[2]["name"] == "张三3"
    assert datastore.query_rows(table, SEALED, filters={"name": "张三2"})[1] == 1


def test_a_wrong_master_key_writes_nothing(tmp_path, settings):
    services.index_key()  # data exists under the test master key
    settings.ENCRYPTION = {
        **settings.ENCRYPTION,
        "MASTER_KEY_FILE": str(tmp_path / "other.key"),
        "GENERATE_MASTER_KEY": True,
    }
    services.forget_keys()
    path = write_csv(tmp_path / "w.csv", [person(1)])
    before = StoredKey.objects.count()
    with pytest.raises(keys.MasterKeyError, match="主密钥错误或缺失"):
        datastore.load_file(path, filename="w.csv", columns=SEALED, table="w_" + uuid.uuid4().hex[:12])
    assert StoredKey.objects.count() == before
