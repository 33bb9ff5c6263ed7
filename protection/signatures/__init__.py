"""Signatures and non-repudiation (电子签名, 数字证书, 责任认定; Hechi art. 40-41, Sixian art. 28).

The platform's signing keys and the key records (certificates) it issues, a receipt for every
delivery of shared data batched into signed Merkle roots, signed decisions, the offline verifier
and evidence packages. How to verify: docs/signatures.md.
"""
