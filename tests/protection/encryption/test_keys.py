"""The key provider, wrapping data keys, and authenticated encryption of values."""

import base64
import os

import pytest
from django.core import checks
from django.test import override_settings

from protection.encryption import ciphers, keys

# RFC 8998 appendix A.1 (SM4-GCM test vector)
RFC8998 = {
    "key": "0123456789ABCDEFFEDCBA9876543210",
    "iv": "00001234567800000000ABCD",
    "aad": "FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2",
    "plaintext": "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
    "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA",
    "ciphertext": "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
    "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D",
    "tag": "83DE3541E4C2B58177E065A9BF7B62EC",
}


def _key_file(tmp_path, name="master.key"):
    return keys.generate_key_file(tmp_path / name)


def _settings(tmp_path, **extra):
    return override_settings(ENCRYPTION={"MASTER_KEY_FILE": str(tmp_path / "master.key"), **extra})


def test_sm4_gcm_matches_rfc8998(monkeypatch):
    v = {k: bytes.fromhex(x) for k, x in RFC8998.items()}
    monkeypatch.setattr(ciphers.os, "urandom", lambda n: v["iv"])
    blob = ciphers.seal(ciphers.SM4_GCM, v["key"], v["plaintext"], v["aad"])
    assert blob == v["iv"] + v["ciphertext"] + v["tag"]
    assert ciphers.open_sealed(ciphers.SM4_GCM, v["key"], blob, v["aad"]) == v["plaintext"]


def test_hmac_sm3_matches_a_known_value():
    # GB/T 32905 example: SM3("abc")
    from cryptography.hazmat.primitives import hashes

    digest = hashes.Hash(hashes.SM3())
    digest.update(b"abc")
    assert digest.finalize().hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert len(ciphers.keyed_hash(ciphers.SM4_GCM, b"k" * 32, b"abc")) == 32
    assert ciphers.keyed_hash(ciphers.SM4_GCM, b"k" * 32, b"abc") != ciphers.keyed_hash(
        ciphers.AES_256_GCM, b"k" * 32, b"abc"
    )


@pytest.mark.parametrize("name", [ciphers.SM4_GCM, ciphers.AES_256_GCM])
def test_data_key_round_trip_and_tamper(tmp_path, name):
    key = keys.DataKey(keys.new_data_key(), number=7, algorithm_name=name)
    blob = key.encrypt(b"110101199003071234", b"t.c")
    assert b"110101199003071234" not in blob
    assert blob[1] == ciphers.ALGORITHM_IDS[name] and keys.key_number(blob) == 7
    assert key.decrypt(blob, b"t.c") == b"110101199003071234"
    assert key.encrypt(b"x", b"t.c") != key.encrypt(b"x", b"t.c")  # a fresh nonce each time
    flipped = bytearray(blob)
    flipped[-20] ^= 1
    with pytest.raises(keys.TamperedError, match="篡改"):
        key.decrypt(bytes(flipped), b"t.c")
    with pytest.raises(keys.TamperedError):
        key.decrypt(blob, b"t.other")  # moved to another column
    with pytest.raises(keys.TamperedError):
        keys.DataKey(keys.new_data_key(), number=7, algorithm_name=name).decrypt(blob, b"t.c")
    with pytest.raises(keys.TamperedError):
        keys.DataKey(key.secret, number=8).decrypt(blob, b"t.c")


def test_blind_index_is_keyed_and_deterministic():
    secret = keys.new_data_key()
    a, b = keys.DataKey(secret), keys.DataKey(secret)
    assert a.blind_index(b"13812345678") == b.blind_index(b"13812345678")
    assert a.blind_index(b"13812345678") != a.blind_index(b"13812345679")
    assert keys.DataKey(keys.new_data_key()).blind_index(b"13812345678") != a.blind_index(b"13812345678")
    assert len(a.blind_index(b"x")) == 16


def test_file_provider_wraps_and_unwraps(tmp_path):
    _key_file(tmp_path)
    with _settings(tmp_path):
        data_key = keys.new_data_key()
        blob = keys.wrap(data_key)
        assert data_key not in blob
        assert keys.wrapped_key_id(blob) == keys.provider().key_id()
        assert keys.unwrap(blob) == data_key
        assert keys.decrypt(data_key, keys.encrypt(data_key, b"secret", b"a"), b"a") == b"secret"
        tampered = bytearray(blob)
        tampered[-1] ^= 1
        with pytest.raises(keys.TamperedError):
            keys.unwrap(bytes(tampered))


def test_key_file_is_private_and_never_overwritten(tmp_path):
    path = _key_file(tmp_path)
    assert (path.stat().st_mode & 0o777) == 0o600
    with pytest.raises(FileExistsError):
        keys.generate_key_file(path)


def test_embedded_default_generates_the_key_once(tmp_path):
    path = tmp_path / "data" / "master.key"
    with override_settings(ENCRYPTION={"MASTER_KEY_FILE": str(path), "GENERATE_MASTER_KEY": True}):
        first = keys.provider().key_id()
        assert path.exists()
        keys.reset_provider()
        assert keys.provider().key_id() == first


def test_wrong_master_key_is_named_not_taken_for_damage(tmp_path):
    _key_file(tmp_path)
    with _settings(tmp_path):
        blob = keys.wrap(keys.new_data_key())
    os.remove(tmp_path / "master.key")
    _key_file(tmp_path)  # someone "fixed" a lost key by making a new one
    with _settings(tmp_path):
        with pytest.raises(keys.MasterKeyError, match="主密钥错误或缺失"):
            keys.unwrap(blob)


def test_previous_master_key_still_unwraps(tmp_path):
    old = _key_file(tmp_path, "old.key")
    with override_settings(ENCRYPTION={"MASTER_KEY_FILE": str(old)}):
        data_key = keys.new_data_key()
        blob = keys.wrap(data_key)
    _key_file(tmp_path)
    with _settings(tmp_path, PREVIOUS_MASTER_KEY_FILES=[str(old)]):
        assert keys.unwrap(blob) == data_key
        assert keys.wrapped_key_id(keys.wrap(data_key)) != keys.wrapped_key_id(blob)


def test_env_provider(tmp_path, monkeypatch):
    master = os.urandom(32)
    monkeypatch.setenv("TEST_MASTER", base64.b64encode(master).decode())
    with override_settings(ENCRYPTION={"KEY_PROVIDER": "env", "MASTER_KEY_ENV": "TEST_MASTER"}):
        assert keys.provider().key_id() == keys.master_key_id(master)
        data_key = keys.new_data_key()
        assert keys.unwrap(keys.wrap(data_key)) == data_key
    monkeypatch.setenv("TEST_MASTER", "not base64!")
    with override_settings(ENCRYPTION={"KEY_PROVIDER": "env", "MASTER_KEY_ENV": "TEST_MASTER"}):
        with pytest.raises(keys.MasterKeyError, match="格式错误"):
            keys.provider()


def test_missing_master_key_fails_the_system_check(tmp_path):
    with _settings(tmp_path, GENERATE_MASTER_KEY=False):
        errors = [e for e in checks.run_checks(tags=[checks.Tags.security]) if e.id == "encryption.E001"]
    assert errors and "找不到主密钥文件" in errors[0].msg
    _key_file(tmp_path)
    with _settings(tmp_path, GENERATE_MASTER_KEY=False):
        assert not [e for e in checks.run_checks(tags=[checks.Tags.security]) if e.id == "encryption.E001"]
