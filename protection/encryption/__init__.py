"""Encryption at rest (Tongren art. 22 加密存储, Lhasa art. 40 数据加密, Sixian art. 39 加密认证).

``keys``: the master key's provider, wrapping data keys, authenticated encryption of values;
``ciphers``: SM4-GCM / AES-256-GCM and HMAC-SM3 / HMAC-SHA-256. SECURITY.md says what is
encrypted, with which keys, and what losing the master key means.
"""
